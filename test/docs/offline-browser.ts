/**
 * Opens a local HTML file in Debian's Chromium (driven by playwright-core) with every network
 * request blocked: only the file itself may load. Blocked requests are recorded, so a test can
 * say what the page tried to fetch.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";

export const chromiumPath = "/usr/bin/chromium";

const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

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

/** Fails with the install command when Debian's Chromium is missing. */
export function assertChromiumInstalled(): void {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}. Install Debian's chromium: apt-get install -y chromium ` +
        "(CI's .ci/run does this when it is missing).",
    );
  }
}

/** Opens `file` in a fresh Chromium profile with all network requests except the file itself aborted. */
export async function openOffline(file: string): Promise<OfflinePage> {
  assertChromiumInstalled();
  const profile = await mkdtemp(join(tmpdir(), "gck-chromium-"));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      args: chromiumArgs,
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
