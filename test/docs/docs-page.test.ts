/**
 * The docs page, as a reader sees it: built by `scripts/docs.ts` (the `npm run docs` script), opened
 * from disk in a real Chromium with the network blocked, and checked for every part of the contract,
 * for what a reader meets on load (operations listed, the title, code samples, the scope) and for
 * the TypeScript API reference it links to.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import openapi from "../../generated/openapi.json" with { type: "json" };
import { type OfflinePage, openOffline } from "./offline-browser.ts";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");
const screenshots = join(root, "test-results/docs");

let workDir: string;
let docs: OfflinePage;
/** Console errors of the page: a load the page's Content-Security-Policy refused shows up here. */
const consoleErrors: string[] = [];

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "gck-docs-test-"));
  const output = join(workDir, "index.html");
  await run(join(root, "node_modules/.bin/tsx"), ["scripts/docs.ts", "--output", output], { cwd: root });
  docs = await openOffline(output);
  docs.page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  await docs.page.goto(docs.url);
  await docs.page.getByRole("heading", { name: /The asynchronous flow/ }).waitFor();
}, 240_000);

afterAll(async () => {
  await docs?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** Opens a section by its Redoc route (hash routing, as under `file://`) and returns its element. */
async function section(id: string): Promise<Locator> {
  await docs.page.goto(`${docs.url}#/${id}`);
  const element = docs.page.locator(`[id="${id}"]`);
  await element.waitFor();
  await element.scrollIntoViewIfNeeded();
  return element;
}

async function screenshot(name: string): Promise<void> {
  await mkdir(screenshots, { recursive: true });
  await docs.page.screenshot({ path: join(screenshots, `${name}.png`) });
}

/** The text a reader sees in `locator` (rendered, so hidden tabs are left out), whitespace collapsed. */
async function visibleText(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point; textContent includes hidden panels.
  const text = await locator.innerText();
  return text.replace(/\s+/g, " ");
}

/** Text as the page shows it: Markdown backticks gone, whitespace collapsed. */
function shown(markdown: string): string {
  return markdown.replaceAll("`", "").replace(/\s+/g, " ").trim();
}

function responseDescription(ref: string): string {
  const name = ref.replace("#/components/responses/", "") as keyof typeof openapi.components.responses;
  return shown(openapi.components.responses[name].description);
}

describe("docs page (Redoc, offline, in Chromium)", { timeout: 60_000 }, () => {
  it("renders from disk without a single request beyond its own file (no script, style, font, image or data)", async () => {
    expect(docs.blocked, "requests the page tried to make").toEqual([]);
    expect(consoleErrors, "loads the page's Content-Security-Policy refused").toEqual([]);
    expect(docs.pageErrors).toEqual([]);
    expect(await docs.page.title()).toBe(`${openapi.info.title} · graph-comms-kit`);
    await screenshot("introduction");
  });

  it("introduces the async flow with the seed's request, 202 + Location, notification and correlation", async () => {
    await docs.page
      .getByRole("heading", { name: /Walkthrough: the 2018 beta page's example/ })
      .scrollIntoViewIfNeeded();
    const text = await visibleText(docs.page.locator("body"));
    for (const step of ["Request.", "Location.", "Notification.", "Correlate."]) expect(text).toContain(step);
    expect(text).toContain(
      "POST https://graph.microsoft.com/beta/app/calls/57dab8b1-894c-409a-b240-bd8beae78896/cancelMediaProcessing",
    );
    expect(text).toContain('"clientContext": "clientContext-value"');
    expect(text).toContain(
      `HTTP/1.1 202 Accepted Location: ${openapi.components.examples.beta2018Location.value}`,
    );
    expect(text).toContain(
      "/app/calls/57DAB8B1894C409AB240BD8BEAE78896/operations/0FE0623FD62842EDB4BD8AC290072CC5",
    );
    expect(text).toMatch(
      /normalised \(what to compare\)\s+57dab8b1-894c-409a-b240-bd8beae78896\s+0fe0623f-d628-42ed-b4bd-8ac290072cc5/,
    );
    await screenshot("walkthrough");
  });

  it("lists every operation of the spec and the webhook", async () => {
    const tag = await section("calls");
    const text = await visibleText(tag.locator("xpath=ancestor::*[3]"));
    for (const path of Object.keys(openapi.paths)) expect(text).toContain(path);
    expect(text).toContain("Webhooks");
    expect(text).toContain("commsNotifications");
  });

  it("shows the all and clientContext body fields and the 202 response with its Location header", async () => {
    const operation = await section("calls/appcancelmediaprocessing");
    const body = operation.locator('[id="calls/appcancelmediaprocessing/request/body"]');
    await body.scrollIntoViewIfNeeded();
    const bodyText = await visibleText(operation);
    expect(bodyText).toMatch(/\ball\s+boolean/);
    expect(bodyText).toMatch(/clientContext\s+string or null, <= 256 characters/);

    const responses = operation.locator('[id="calls/appcancelmediaprocessing/responses"]');
    await responses.scrollIntoViewIfNeeded();
    // The path answers 200 today and 202 in the 2018 contract: the 202 tab shows the Location story.
    const accepted = responses.getByRole("tab", { name: "202", exact: true });
    await accepted.click();
    expect(await accepted.getAttribute("aria-selected")).toBe("true");
    const header = operation.locator('[id="calls/appcancelmediaprocessing/t=response&c=202&path=location"]');
    await header.scrollIntoViewIfNeeded();
    expect(await visibleText(header)).toContain("Location string, (uri) required");
    expect(await visibleText(operation)).toContain(openapi.components.examples.beta2018Location.value);
    await screenshot("operation-202-location");
  });

  it("shows every error response of the operation, each with the spec's description", async () => {
    const operation = await section("calls/appcancelmediaprocessing");
    const responses = operation.locator('[id="calls/appcancelmediaprocessing/responses"]');
    await responses.scrollIntoViewIfNeeded();
    const declared = openapi.paths["/app/calls/{callId}/cancelMediaProcessing"].post.responses;
    const errors = Object.entries(declared).filter(([code]) => !["200", "202"].includes(code));
    expect(errors.map(([code]) => code)).toEqual([
      "400",
      "401",
      "403",
      "404",
      "429",
      "500",
      "503",
      "default",
    ]);
    for (const [code, response] of errors) {
      await responses.getByRole("tab", { name: code, exact: true }).click();
      const text = await visibleText(operation);
      expect(text, `response ${code}`).toContain(responseDescription(response.$ref));
      if (code === "429") expect(text).toContain("Retry-After");
    }
    await responses.getByRole("tab", { name: "429", exact: true }).click();
    await screenshot("operation-429");
  });

  it("shows the commsNotifications callback of the operation, expanded to its payload", async () => {
    const operation = await section("calls/appcancelmediaprocessing");
    const callback = operation.locator(
      '[id="calls/appcancelmediaprocessing/callbacks/commsnotifications/post"]',
    );
    await callback.scrollIntoViewIfNeeded();
    const toggle = callback.getByRole("button", { name: "Notifications Graph sends to the bot" });
    expect(await toggle.getAttribute("aria-expanded")).toBe("false");
    await toggle.click();
    expect(await toggle.getAttribute("aria-expanded")).toBe("true");
    // The callback's description and fields are in the middle panel, its URL and payload on the right.
    const row = callback.locator('xpath=ancestor::*[@data-testid="middle-panel"]/..');
    await row
      .getByText(/Show \d+ properties/)
      .first()
      .click();
    const text = await visibleText(row);
    expect(text).toContain("Callback Request");
    for (const field of ["value", "changeType", "resource", "resourceUrl", "resourceData"]) {
      expect(text, `callback field ${field}`).toMatch(new RegExp(`\\b${field}\\b`));
    }
    expect(text).toContain("POST https://bot.contoso.com/api/calls");
    expect(text).toContain('"status": "completed"');
    expect(text).toContain(
      responseDescription(openapi.webhooks.commsNotifications.post.responses["202"].$ref),
    );
    await screenshot("callback");
  });

  it("shows the commsNotifications webhook with its payload, security and answers", async () => {
    const webhook = await section("calls/receivecommsnotifications");
    const text = await visibleText(webhook);
    expect(text).toContain("Notifications Graph sends to the bot");
    expect(text).toContain("graphNotificationToken");
    expect(text).toContain("(commsNotification)");
    const declared = Object.entries(openapi.webhooks.commsNotifications.post.responses);
    expect(declared.map(([code]) => code)).toEqual(expect.arrayContaining(["202", "400", "401"]));
    for (const [code, response] of declared) {
      await webhook.getByRole("tab", { name: code, exact: true }).first().click();
      const shownText = await visibleText(webhook);
      expect(shownText, `webhook response ${code}`).toContain(responseDescription(response.$ref));
    }
    await screenshot("webhook");
  });

  it("shows both security schemes", async () => {
    await docs.page.goto(`${docs.url}#/calls/appcancelmediaprocessing`);
    await docs.page.getByText("graphAppToken").first().waitFor();
    await docs.page.goto(`${docs.url}#/calls/receivecommsnotifications`);
    await docs.page.getByText("graphNotificationToken").first().waitFor();
    expect(docs.pageErrors).toEqual([]);
  });
});

/** Runs `script` (a function expression's source) in the page: tsx would rename a function passed as such. */
function inPage<T>(page: Page, script: string): Promise<T> {
  return page.evaluate(script) as Promise<T>;
}

/** The words of the first `h1` that the browser split over two lines. */
const wordsBrokenInTitle = `(() => {
  const title = document.querySelector("h1");
  const text = title.firstChild;
  const broken = [];
  const words = /\\S+/g;
  let match;
  while ((match = words.exec(text.data))) {
    const range = document.createRange();
    range.setStart(text, match.index);
    range.setEnd(text, match.index + match[0].length);
    const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
    if (tops.size > 1) broken.push(match[0]);
  }
  return { title: text.data, broken };
})()`;

/** Visible code samples whose text runs past their box (cut off or behind a horizontal scroll). */
const clippedCodeSamples = `(() => [...document.querySelectorAll("pre")]
  .filter((pre) => pre.offsetParent !== null && pre.scrollWidth > pre.clientWidth + 1)
  .map((pre) => pre.textContent.slice(0, 60) + " (" + pre.scrollWidth + " > " + pre.clientWidth + ")"))()`;

describe("docs page as a reader meets it (on load, in wide and narrow windows)", { timeout: 90_000 }, () => {
  const operationSummaries = Object.values(openapi.paths).map((item) => item.post.summary);
  const webhookSummary = openapi.webhooks.commsNotifications.post.summary;

  it("lists every operation and the webhook in the sidebar as soon as it loads", async () => {
    await docs.page.setViewportSize({ width: 1400, height: 1000 });
    await docs.page.goto(docs.url);
    await docs.page.getByRole("heading", { name: /The asynchronous flow/ }).waitFor();
    const sidebar = docs.page.locator('[data-component-name="Menu/Menu"]').first();
    for (const summary of [...operationSummaries, webhookSummary]) {
      await expect
        .poll(() => sidebar.getByText(summary, { exact: true }).first().isVisible(), { message: summary })
        .toBe(true);
    }
    await screenshot("on-load");
  });

  it.each([1400, 900, 420, 360])("breaks the title between words only, %i px wide", async (width) => {
    await docs.page.setViewportSize({ width, height: 900 });
    await docs.page.goto(docs.url);
    await docs.page.locator("h1").first().waitFor();
    const { title, broken } = await inPage<{ title: string; broken: string[] }>(
      docs.page,
      wordsBrokenInTitle,
    );
    expect(title).toContain("cancelMediaProcessing");
    expect(broken, `words of "${title}" split over two lines`).toEqual([]);
    if (width === 420) await screenshot("title-420px");
  });

  it.each([
    ["the walkthrough", "", 1400],
    ["the walkthrough", "", 420],
    ["an operation", "#/calls/cancelmediaprocessing", 1400],
    ["an operation", "#/calls/cancelmediaprocessing", 420],
  ])("shows the code samples of %s whole (%s, %i px wide)", async (_what, hash, width) => {
    await docs.page.setViewportSize({ width, height: 900 });
    await docs.page.goto(`${docs.url}${hash}`);
    await docs.page.locator("pre").first().waitFor();
    const samples = await docs.page.locator("pre:visible").count();
    expect(samples).toBeGreaterThan(0);
    expect(await inPage<string[]>(docs.page, clippedCodeSamples)).toEqual([]);
    if (hash === "" && width === 420) {
      await docs.page
        .getByRole("heading", { name: /Walkthrough: the 2018 beta page's example/ })
        .scrollIntoViewIfNeeded();
      await screenshot("walkthrough-420px");
    }
  });

  it("shows the app token's required scope whole", async () => {
    await docs.page.setViewportSize({ width: 1400, height: 1000 });
    const [scope] = openapi.security[0]?.graphAppToken ?? [];
    expect(scope).toBe("https://graph.microsoft.com/.default");
    const operation = await section("calls/appcancelmediaprocessing");
    const security = operation.getByText("Required scopes").first().locator("xpath=..");
    const text = await visibleText(security);
    expect(text).toContain(`Required scopes: ${scope}`);
    expect(text).not.toContain("...");
    const chip = security.getByText(scope ?? "", { exact: true });
    expect(await chip.evaluate((element) => element.scrollWidth <= element.clientWidth + 1)).toBe(true);
    await screenshot("required-scope");
  });
});

describe("the TypeScript API reference the page links to", { timeout: 90_000 }, () => {
  it("is what the README's docs/ paths name (npm run docs builds docs/index.html and docs/api/)", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    // Named as code, not linked: docs/ is built, not shipped, so a link would break on the npm page.
    const links = [...readme.matchAll(/`(docs\/[^`#\s]+)`/g)].map((match) => match[1] ?? "");
    expect(links).toContain("docs/api/index.html");
    const missing = links.filter((link) => !existsSync(join(workDir, link.slice("docs/".length))));
    expect(missing, "README links to files a docs build does not write").toEqual([]);
  });

  it("is linked from the page, exists beside it, and loads offline with every package entry", async () => {
    await docs.page.setViewportSize({ width: 1400, height: 1000 });
    await docs.page.goto(docs.url);
    const link = docs.page.getByRole("link", { name: "api/index.html" });
    const href = await link.getAttribute("href");
    expect(href).toBe("api/index.html");
    const target = new URL(href ?? "", docs.url);
    expect(existsSync(fileURLToPath(target)), `${target.href} exists`).toBe(true);

    // The reference is a folder of files: let the page load files of the built docs, and nothing else.
    const docsFolder = new URL("./", docs.url).href;
    const requests: string[] = [];
    docs.page.on("request", (request) => requests.push(request.url()));
    await docs.page.route(
      (url) => url.href.startsWith(docsFolder),
      (route) => route.continue(),
    );
    try {
      await link.click();
      await docs.page.waitForURL(target.href);
      await docs.page.getByRole("heading", { name: "graph-comms-kit API reference" }).first().waitFor();
      const text = await visibleText(docs.page.locator("body"));
      for (const entry of [
        "graph-comms-kit",
        "graph-comms-kit/notifications",
        "graph-comms-kit/mocks",
        "graph-comms-kit/mocks/prism",
        "graph-comms-kit/testing",
        "graph-comms-kit/redis",
      ]) {
        expect(text).toContain(entry);
      }
      // It opens on the overview (guides/overview.md) and its guides.
      for (const guide of [
        "Receiving notifications",
        "Testing with token checks on",
        "Running several instances",
        "The cancel flow",
      ]) {
        expect(text).toContain(guide);
      }
      await screenshot("api-reference");
      await docs.page
        .getByRole("link", { name: "graph-comms-kit/notifications", exact: true })
        .first()
        .click();
      await docs.page.getByRole("link", { name: "createNotificationHandler", exact: true }).first().click();
      // TypeDoc shows a page only after its script ran (the body is hidden until then): wait for it.
      await docs.page.waitForURL(/createNotificationHandler/);
      await docs.page.getByText("Creates the handler for Graph's notification POSTs").first().waitFor();
      expect(await visibleText(docs.page.locator("body"))).toContain(
        "Creates the handler for Graph's notification POSTs",
      );
      await screenshot("api-reference-handler");
      expect(requests.filter((url) => !url.startsWith(docsFolder))).toEqual([]);
      expect(docs.blocked).toEqual([]);
      expect(docs.pageErrors).toEqual([]);
    } finally {
      await docs.page.unroute((url) => url.href.startsWith(docsFolder));
    }
  });
});
