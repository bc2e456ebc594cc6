/**
 * The spec's examples of the media actions cancelMediaProcessing cancels (playPrompt, recordResponse;
 * `record` in 2018) are Microsoft's printed payloads, kept in test/fixtures/graph/ with their sources
 * (manifest.json). Requests are verbatim; responses and notifications differ only in the operation id,
 * which the spec changes so that no media operation shares the cancel operation's id (Microsoft's
 * pages reuse `0fe0623f-…` for every operation).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { specExample } from "../../src/core/spec-document.ts";
import { operationId as cancelOperationId } from "../support/seed-ids.ts";

const root = new URL("../fixtures/graph/", import.meta.url);
const fixture = (file: string): unknown => JSON.parse(readFileSync(new URL(file, root), "utf8"));
const manifest = fixture("manifest.json") as { file: string; source: { repo: string; commit: string } }[];

/** Every spelling of an id Microsoft's payloads use: dashed lowercase, and 32 uppercase hex digits. */
function withOperationId(value: unknown, from: string, to: string): unknown {
  const text = JSON.stringify(value)
    .replaceAll(from, to)
    .replaceAll(from.replaceAll("-", "").toUpperCase(), to.replaceAll("-", "").toUpperCase());
  return JSON.parse(text);
}

const requests: [string, string][] = [
  ["beta2018PlayPromptRequest", "requests/beta-2018--call-playprompt@ef0e852--1.json"],
  ["currentPlayPromptRequest", "requests/v1.0--call-playprompt@04094bd--1.json"],
  ["beta2018RecordRequest", "requests/beta-2018--call-record@ef0e852--1.json"],
  ["currentRecordResponseRequest", "requests/v1.0--call-record@06473d2--1.json"],
];
const renumbered: [string, string][] = [
  ["currentPlayPromptOperation", "responses/v1.0--call-playprompt@04094bd--1.json"],
  ["currentRecordOperation", "responses/v1.0--call-record@06473d2--1.json"],
  ["currentPlayPromptNotification", "notifications/v1.0--call-playprompt@04094bd--1.json"],
  ["currentRecordNotification", "notifications/v1.0--call-record@06473d2--1.json"],
  ["beta2018RecordNotification", "notifications/beta-2018--call_record@afb72b6--1.json"],
  ["beta2018PlayPromptNotification", "notifications/beta-2018--call-playprompt@ef0e852--1.json"],
  ["currentNotification", "notifications/v1.0--call-cancelmediaprocessing@06473d2--1.json"],
];

describe("the media actions' examples are Microsoft's", () => {
  it("names a source for every fixture used here", () => {
    for (const [, file] of [...requests, ...renumbered]) {
      expect(manifest.find((entry) => entry.file === file)?.source.commit, file).toMatch(/^[0-9a-f]{40}$/);
    }
  });

  it.each(requests)("%s is %s as printed", (name, file) => {
    expect(specExample(name)).toEqual(fixture(file));
  });

  it.each(renumbered)("%s is %s with its own operation id", (name, file) => {
    const example = specExample(name);
    expect(JSON.stringify(example)).not.toContain(cancelOperationId);
    const id = JSON.stringify(example).match(/"id":"([0-9a-f-]{36})"|operations\/([0-9A-F]{32})/);
    const own =
      id?.[1] ?? `${id?.[2]}`.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5").toLowerCase();
    expect(withOperationId(example, own, cancelOperationId)).toEqual(fixture(file));
  });
});
