/**
 * The browser the docs test drives: Debian's Chromium when installed, else the one the npm package
 * `@sparticuz/chromium` ships, installed on demand. The fallback is exercised here on every
 * machine, so a fresh machine with only `npm ci` is known to be able to run the docs test.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onDemandPackages } from "../../scripts/on-demand.ts";
import { bundledChromium, findChromium, type OfflinePage, openOffline } from "./offline-browser.ts";

describe("findChromium", () => {
  it("takes Debian's Chromium where it is installed", async () => {
    const browser = await findChromium(process.execPath); // stands for an installed /usr/bin/chromium
    expect(browser).toMatchObject({ source: "debian", executablePath: process.execPath });
  });

  it("falls back to @sparticuz/chromium's, unpacked once per version into its own temp folder", async () => {
    const browser = await findChromium(join(tmpdir(), "no-such-chromium"));
    expect(browser.source).toBe("@sparticuz/chromium");
    const { version } = onDemandPackages.chromium;
    expect(browser.executablePath).toBe(join(tmpdir(), `gck-sparticuz-chromium-${version}`, "chromium"));
    expect(existsSync(browser.executablePath)).toBe(true);
    expect(browser.args).toContain("--no-sandbox");
  }, 120_000);
});

describe("the bundled Chromium (@sparticuz/chromium) with playwright-core", { timeout: 120_000 }, () => {
  let dir: string;
  let page: OfflinePage | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "gck-browser-test-"));
    const file = join(dir, "page.html");
    await writeFile(
      file,
      '<!doctype html><title>offline page</title><h1 id="h">drawn by script</h1>' +
        '<img src="https://example.invalid/logo.png"><script>document.getElementById("h").textContent = "run"</script>',
    );
    page = await openOffline(file, await bundledChromium());
    await page.page.goto(page.url);
  }, 120_000);

  afterAll(async () => {
    await page?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("renders a local page and runs its script, blocking what it fetches from the network", async () => {
    if (!page) throw new Error("the page did not open");
    expect(await page.page.title()).toBe("offline page");
    expect(await page.page.locator("#h").textContent()).toBe("run");
    expect(page.blocked).toEqual([{ url: "https://example.invalid/logo.png", resourceType: "image" }]);
    expect(page.pageErrors).toEqual([]);
  });
});
