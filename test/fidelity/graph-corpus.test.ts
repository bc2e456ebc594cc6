/**
 * Graph's own payloads (test/fixtures/graph/, see its README for each file's source) through every
 * part that reads them: each notification through the parser, the handler (202) and the tracker
 * (a final operation settles `wait()`), each 200 body through the client (status normalised).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { createCallsClient } from "../../src/client/index.ts";
import {
  createNotificationHandler,
  createOperationTracker,
  OperationFailedError,
  type OperationNotification,
  parseCommsNotifications,
} from "../../src/notifications/index.ts";
import { stubFetch } from "../support/fetch-stub.ts";

interface Entry {
  file: string;
  source: { repo: string; path: string; commit: string };
  kind: "notification" | "response";
  action: string;
  version: string;
  operationFinal: boolean | null;
  expectStatus: string | null;
  note: string;
}

const root = new URL("../fixtures/graph/", import.meta.url);
const manifest = JSON.parse(readFileSync(new URL("manifest.json", root), "utf8")) as Entry[];
const text = (entry: Entry) => readFileSync(new URL(entry.file, root), "utf8");
const notifications = manifest.filter((entry) => entry.kind === "notification");
const responses = manifest.filter((entry) => entry.kind === "response");
const operationNotifications = notifications.filter((entry) => entry.operationFinal !== null);

describe("the corpus", () => {
  it("holds every file the manifest names, and names every file it holds", () => {
    expect(notifications.length).toBeGreaterThanOrEqual(100);
    expect(responses.length).toBeGreaterThanOrEqual(60);
    expect(operationNotifications.length).toBeGreaterThanOrEqual(40);
    for (const entry of manifest) expect(() => JSON.parse(text(entry)), entry.file).not.toThrow();
  });
});

describe.each(notifications.map((entry) => [entry.file, entry] as const))("notification %s", (_, entry) => {
  it("parses, with the documented camelCase status and changeType", () => {
    const parsed = parseCommsNotifications(text(entry));
    expect(parsed.length).toBeGreaterThan(0);
    for (const n of parsed) expect(["created", "updated", "deleted"]).toContain(n.changeType);
    const operations = parsed.filter((n): n is OperationNotification => n.kind === "operation");
    if (entry.operationFinal === null) return;
    expect(operations.length, "an operation notification").toBeGreaterThan(0);
    expect(operations.map((n) => n.status)).toContain(entry.expectStatus);
  });

  it("gets 202 from the handler and reaches the callback", async () => {
    const received: unknown[] = [];
    const handle = createNotificationHandler({
      appId: "corpus",
      auth: false,
      onNotification: (n) => {
        received.push(n);
      },
      logger: { warn: vi.fn(), error: vi.fn() },
    });
    const response = await handle(
      new Request("http://127.0.0.1/api/calls", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: text(entry),
      }),
    );
    expect(response.status).toBe(202);
    expect(received.length).toBe(parseCommsNotifications(text(entry)).length);
  });
});

describe.each(operationNotifications.map((entry) => [entry.file, entry] as const))(
  "final operation %s",
  (_, entry) => {
    it("settles tracker.wait() started before and after it arrives", async () => {
      const operations = parseCommsNotifications(text(entry)).filter(
        (n): n is OperationNotification => n.kind === "operation",
      );
      const final = operations.find((n) => n.status === entry.expectStatus) as OperationNotification;
      const before = createOperationTracker({ timeoutMs: 1_000 });
      const waiting = before.wait(final);
      const outcome = waiting.then(
        (n) => n.status,
        (error: unknown) => (error instanceof OperationFailedError ? "failed" : error),
      );
      for (const n of operations) await before.handle(n);
      await expect(outcome).resolves.toBe(entry.expectStatus);

      const after = createOperationTracker({ timeoutMs: 1_000 });
      for (const n of operations) await after.handle(n);
      const late = after.wait({ callId: final.callId.toUpperCase(), operationId: final.operationId });
      if (entry.expectStatus === "completed")
        await expect(late).resolves.toMatchObject({ status: "completed" });
      else await expect(late).rejects.toBeInstanceOf(OperationFailedError);
    });
  },
);

describe.each(responses.map((entry) => [entry.file, entry] as const))("200 body %s", (_, entry) => {
  it("gives the client's caller the documented camelCase status", async () => {
    const location =
      "https://graph.microsoft.com/v1.0/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896/operations/0fe0623f-d628-42ed-b4bd-8ac290072cc5";
    const fetch = stubFetch(
      new Response(text(entry), { status: 200, headers: { "content-type": "application/json", location } }),
    );
    const client = createCallsClient({
      token: "t",
      baseUrl: "https://graph.microsoft.com/v1.0",
      path: "/communications/calls/{callId}/cancelMediaProcessing",
      fetch,
    });
    const ref = await client.cancelMediaProcessing("57dab8b1-894c-409a-b240-bd8beae78896");
    expect(ref.httpStatus).toBe(200);
    expect(ref.status).toBe(entry.expectStatus ?? undefined);
    expect(ref.operation).toEqual(JSON.parse(text(entry)));
  });
});
