/**
 * The clients the client benchmark compares, each doing the same work: POST the seed body to
 * `/app/calls/{callId}/cancelMediaProcessing` with a bearer token, and read the `Location` header.
 */
import { Client, ResponseType } from "@microsoft/microsoft-graph-client";
import createClient from "openapi-fetch";
import type { paths } from "../generated/schema.d.ts";
import { createCallsClient } from "../src/client/index.ts";

/** One call of a contender; resolves to the Location it read. */
export type Call = () => Promise<string>;

/** A fetch as the contenders are given it (url or Request, plus init). */
export type AnyFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export const callId = "57dab8b1-894c-409a-b240-bd8beae78896";
export const body = { all: true, clientContext: "clientContext-value" };
const token = "bench-token";

/** Our client, as a user would create it. */
export function ours(baseUrl: string, fetch?: AnyFetch): Call {
  const client = createCallsClient({ token: () => token, baseUrl, ...(fetch ? { fetch } : {}) });
  return async () => (await client.cancelMediaProcessing(callId, body)).location;
}

/** openapi-fetch alone, with the generated `paths`. */
export function openapiFetchAlone(baseUrl: string, fetch?: AnyFetch): Call {
  const client = createClient<paths>({ baseUrl, ...(fetch ? { fetch } : {}) });
  return async () => {
    const { response } = await client.POST("/app/calls/{callId}/cancelMediaProcessing", {
      params: { path: { callId } },
      body,
      headers: { Authorization: `Bearer ${token}` },
    });
    return location(response);
  };
}

/** Raw fetch: build the URL and the JSON request by hand. `asRequest` builds a WHATWG Request first. */
export function rawFetch(baseUrl: string, fetch: AnyFetch = globalThis.fetch, asRequest = false): Call {
  return async () => {
    const url = `${baseUrl}/app/calls/${encodeURIComponent(callId)}/cancelMediaProcessing`;
    const init: RequestInit = {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    };
    const response = asRequest ? await fetch(new Request(url, init)) : await fetch(url, init);
    await response.body?.cancel();
    return location(response);
  };
}

/**
 * @microsoft/microsoft-graph-client 3.x with ResponseType.RAW (the only way it exposes Location).
 * It sends the token only to https Graph hosts or `customHosts`: so over plain HTTP to 127.0.0.1
 * it sends none at all (it skips the auth step the others do), which the benchmark reports.
 */
export function graphClient(baseUrl: string): Call {
  const url = new URL(baseUrl);
  const client = Client.init({
    authProvider: (done) => done(null, token),
    baseUrl: `${url.origin}/`,
    defaultVersion: url.pathname.replace(/^\/+/, ""),
    customHosts: new Set([url.hostname]),
  });
  return async () => {
    const response: Response = await client
      .api(`/app/calls/${callId}/cancelMediaProcessing`)
      .responseType(ResponseType.RAW)
      .post(body);
    await response.body?.cancel();
    return location(response);
  };
}

function location(response: Response): string {
  const value = response.headers.get("location");
  if (response.status !== 202 || !value)
    throw new Error(`bench: unexpected ${response.status} without Location`);
  return value;
}
