/**
 * Microsoft's Graph JS SDK against the real Prism mock (started by the global setup): the SDK puts
 * `/beta` or `/v1.0` first, which the prepared spec serves as Graph does; `Location` is read
 * through `ResponseType.RAW`; a 429 (asked of Prism with `Prefer: code=429` on the first attempt
 * only) is retried by the SDK's own RetryHandler after the spec's `Retry-After`.
 */
import { type Context, type Middleware, ResponseType } from "@microsoft/microsoft-graph-client";
import { describe, expect, inject, it } from "vitest";
import { parseOperationPath } from "../../../src/core/operation-path.ts";
import { callId } from "../../support/seed-ids.ts";
import { graphSdkClient } from "../support/graph-sdk.ts";

const prismUrl = inject("prismUrl");

describe("the Graph SDK against the Prism mock", () => {
  it("v1.0 /communications: 200 with the operation body and Location", async () => {
    const response: Response = await graphSdkClient(prismUrl, { version: "v1.0" })
      .api(`/communications/calls/${callId}/cancelMediaProcessing`)
      .responseType(ResponseType.RAW)
      .post({ clientContext: "d45324c1-fcb5-430a-902c-f20af696537c" });
    expect(response.status).toBe(200);
    const named = parseOperationPath(response.headers.get("location") ?? "");
    expect(named).toBeDefined();
    expect(await response.json()).toMatchObject({ id: named?.operationId, status: "completed" });
  });

  it("beta /applications: 202 with Location and no body", async () => {
    const response: Response = await graphSdkClient(prismUrl, { version: "beta" })
      .api(`/applications/app-1/calls/${callId}/cancelMediaProcessing`)
      .responseType(ResponseType.RAW)
      .post({ all: true });
    expect(response.status).toBe(202);
    expect(parseOperationPath(response.headers.get("location") ?? "")).toBeDefined();
  });

  it("without the hand-built bearer middleware Prism answers 401: the SDK drops the header for a non-Graph host", async () => {
    const { Client } = await import("@microsoft/microsoft-graph-client");
    const sdk = Client.init({
      baseUrl: prismUrl,
      defaultVersion: "beta",
      authProvider: (done) => done(null, "app-token"),
    });
    const response: Response = await sdk
      .api(`/app/calls/${callId}/cancelMediaProcessing`)
      .responseType(ResponseType.RAW)
      .post({});
    expect(response.status).toBe(401);
  });

  it("a 429 is retried by the SDK's RetryHandler, and the retry succeeds", { timeout: 30_000 }, async () => {
    const attempts: (string | null)[] = [];
    /** Asks Prism for its 429 on the first attempt only (the RetryHandler marks retries with Retry-Attempt). */
    class ThrottleFirst implements Middleware {
      #next: Middleware | undefined;
      async execute(context: Context): Promise<void> {
        const headers = new Headers(context.options?.headers as HeadersInit | undefined);
        attempts.push(headers.get("Retry-Attempt"));
        if (headers.has("Retry-Attempt")) headers.delete("Prefer");
        else headers.set("Prefer", "code=429");
        context.options = { ...context.options, headers: Object.fromEntries(headers) };
        return this.#next?.execute(context);
      }
      setNext(next: Middleware): void {
        this.#next = next;
      }
    }
    const throttleFirst = new ThrottleFirst();
    const sdk = graphSdkClient(prismUrl, { version: "beta", insert: throttleFirst });
    const started = Date.now();
    const response: Response = await sdk
      .api(`/app/calls/${callId}/cancelMediaProcessing`)
      .responseType(ResponseType.RAW)
      .post({});
    expect(response.status).toBe(200);
    expect(attempts).toEqual([null, "1"]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000); // the spec's Retry-After: 2.128
  });
});
