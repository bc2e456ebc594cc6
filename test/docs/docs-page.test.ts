/**
 * The docs page, as a reader sees it: built by `scripts/docs.ts` (the `npm run docs` script), opened
 * from disk in a real Chromium with the network blocked, and checked for every part of the contract.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import openapi from "../../generated/openapi.json" with { type: "json" };
import { type OfflinePage, openOffline } from "./offline-browser.ts";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");
const screenshots = join(root, "test-results/docs");

let workDir: string;
let docs: OfflinePage;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "gck-docs-test-"));
  const output = join(workDir, "index.html");
  await run(join(root, "node_modules/.bin/tsx"), ["scripts/docs.ts", "--output", output], { cwd: root });
  docs = await openOffline(output);
  await docs.page.goto(docs.url);
  await docs.page.getByRole("heading", { name: /The asynchronous flow/ }).waitFor();
}, 120_000);

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
  it("renders from disk with the network blocked, fetching no script, style, font or data", async () => {
    const needed = docs.blocked.filter((request) => request.resourceType !== "image");
    expect(needed, "requests the page needed but could not make").toEqual([]);
    expect(docs.pageErrors).toEqual([]);
    expect(await docs.page.title()).toBe(`${openapi.info.title} · graph-comms-kit`);
    await screenshot("introduction");
  });

  it("introduces the async flow with the seed's request, 202 + Location, notification and correlation", async () => {
    await docs.page
      .getByRole("heading", { name: /Walkthrough: the seed's example/ })
      .scrollIntoViewIfNeeded();
    const text = await visibleText(docs.page.locator("body"));
    for (const step of ["Request.", "Location.", "Notification.", "Correlate."]) expect(text).toContain(step);
    expect(text).toContain(
      "POST https://graph.microsoft.com/beta/app/calls/57dab8b1-894c-409a-b240-bd8beae78896/cancelMediaProcessing",
    );
    expect(text).toContain('"clientContext": "clientContext-value"');
    expect(text).toContain(
      `HTTP/1.1 202 Accepted Location: ${openapi.components.examples.seedLocation.value}`,
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
    // Nullable in the spec (Graph's metadata), so Redoc shows "string or null".
    expect(bodyText).toMatch(/clientContext\s+string or null, <= 256 characters/);

    const responses = operation.locator('[id="calls/appcancelmediaprocessing/responses"]');
    await responses.scrollIntoViewIfNeeded();
    // The /app path declares 200 (present-day beta) and 202 (the 2018 page): the 202 tab shows Location.
    const accepted = responses.getByRole("tab", { name: "202", exact: true });
    await accepted.click();
    expect(await accepted.getAttribute("aria-selected")).toBe("true");
    const header = operation.locator('[id="calls/appcancelmediaprocessing/t=response&c=202&path=location"]');
    await header.scrollIntoViewIfNeeded();
    expect(await visibleText(header)).toContain("Location string, (uri) required");
    expect(await visibleText(operation)).toContain(openapi.components.examples.seedLocation.value);
    await screenshot("operation-202-location");
  });

  it("shows every error response of the operation, each with the spec's description", async () => {
    const operation = await section("calls/appcancelmediaprocessing");
    const responses = operation.locator('[id="calls/appcancelmediaprocessing/responses"]');
    await responses.scrollIntoViewIfNeeded();
    const declared = openapi.paths["/app/calls/{callId}/cancelMediaProcessing"].post.responses;
    const errors = Object.entries(declared).filter(([code]) => !code.startsWith("2"));
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
