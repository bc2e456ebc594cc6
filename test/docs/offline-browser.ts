/**
 * Opens a local HTML file in Chromium (driven by playwright-core) with every network request
 * blocked: only the file itself may load. Blocked requests are recorded, so a test can say what
 * the page tried to fetch. The browser is Debian's `chromium` when installed, else the Chromium
 * that the npm package `@sparticuz/chromium` ships, installed on first use (scripts/on-demand.ts),
 * so `npm ci` is all a machine needs.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { provideTool } from "../../scripts/on-demand.ts";

/** Where Debian's `chromium` package puts the browser. */
export const debianChromiumPath = "/usr/bin/chromium";

/** Flags that keep the browser from reaching out on its own (updates, sync, first-run pages). */
const quietArgs = [
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A Chromium to launch: its executable and the command-line flags it needs. */
export interface ChromiumBrowser {
  source: "debian" | "@sparticuz/chromium";
  executablePath: string;
  args: string[];
}

/** Debian's Chromium when present (at `debianPath`), else the one `@sparticuz/chromium` ships. */
export async function findChromium(debianPath = debianChromiumPath): Promise<ChromiumBrowser> {
  if (existsSync(debianPath)) {
    return {
      source: "debian",
      executablePath: debianPath,
      args: ["--headless", "--no-sandbox", "--disable-gpu", ...quietArgs],
    };
  }
  return bundledChromium();
}

/** What the docs test uses of `@sparticuz/chromium` (installed on demand, so without its types). */
interface Sparticuz {
  args: string[];
  executablePath(): Promise<string>;
}

/** The Chromium that `@sparticuz/chromium` ships, installed and unpacked on first use. */
export async function bundledChromium(): Promise<ChromiumBrowser> {
  const folder = await provideTool("chromium");
  const entry = pathToFileURL(join(folder, "build/esm/index.js")).href;
  const { default: sparticuz } = (await import(entry)) as { default: Sparticuz };
  return {
    source: "@sparticuz/chromium",
    executablePath: await unpackSparticuz(sparticuz, folder),
    args: [...sparticuz.args, ...quietArgs],
  };
}

/**
 * Unpacks @sparticuz/chromium's browser once per version into `<tmp>/gck-sparticuz-chromium-<version>/`
 * and returns its executable.
 *
 * Why not `executablePath()` as is: it unpacks into the temp folder itself (`<tmp>/chromium`, its
 * libraries beside it) and reuses whatever `<tmp>/chromium` it finds there, whichever version or
 * half-written copy another run left. So it unpacks into a fresh folder (it reads the temp folder
 * from `TMPDIR` when called, before its first await) that is renamed into place when complete.
 */
async function unpackSparticuz(sparticuz: Sparticuz, folder: string): Promise<string> {
  const manifest = join(folder, "package.json");
  const { version } = JSON.parse(await readFile(manifest, "utf8")) as { version: string };
  const home = join(tmpdir(), `gck-sparticuz-chromium-${version}`);
  const executable = join(home, "chromium");
  if (existsSync(executable)) return executable;

  const staging = await mkdtemp(join(tmpdir(), "gck-sparticuz-unpack-"));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = staging;
  let unpacking: Promise<string>;
  try {
    unpacking = sparticuz.executablePath();
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  }
  try {
    const unpacked = await unpacking;
    if (unpacked !== join(staging, "chromium")) {
      throw new Error(`@sparticuz/chromium unpacked to ${unpacked}, not into ${staging}`);
    }
    await rename(staging, home);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    // Another run finished unpacking first: its complete copy is as good as ours.
    if (!existsSync(executable)) throw error;
  }
  return executable;
}

/** A request the page made and the test aborted. */
export interface BlockedRequest {
  url: string;
  /** Playwright's resource type: "image", "script", "stylesheet", "fetch", "font", … */
  resourceType: string;
}

export interface OfflinePage {
  page: Page;
  /** The `file://` URL of the page, without a fragment. */
  url: string;
  blocked: BlockedRequest[];
  /** Uncaught errors thrown by the page's scripts. */
  pageErrors: string[];
  close(): Promise<void>;
}

/**
 * Opens `file` in a fresh Chromium profile (`browser`, default {@link findChromium}'s) with all
 * network requests except the file itself aborted.
 */
export async function openOffline(file: string, browser?: ChromiumBrowser): Promise<OfflinePage> {
  browser ??= await findChromium();
  const profile = await mkdtemp(join(tmpdir(), "gck-chromium-"));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: browser.executablePath,
      args: browser.args,
      viewport: { width: 1400, height: 1000 },
      offline: true,
    });
    const url = pathToFileURL(file).href;
    const blocked: BlockedRequest[] = [];
    const pageErrors: string[] = [];
    await context.route("**/*", (route) => {
      const request = route.request();
      if (request.url().split("#")[0] === url) return route.continue();
      blocked.push({ url: request.url(), resourceType: request.resourceType() });
      return route.abort("blockedbyclient");
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on("pageerror", (error) => pageErrors.push(error.message));
    const opened = context;
    return {
      page,
      url,
      blocked,
      pageErrors,
      close: async () => {
        await opened.close();
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await context?.close();
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
}
