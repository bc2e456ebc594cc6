import type { FetchLike } from "../../src/client/client-options.ts";

/** One request the stub received, with its body read as text. */
export interface SeenRequest {
  url: string;
  method: string;
  headers: Headers;
  body: string;
  /** The `redirect` mode asked for (`undefined` when not set, which means "follow"). */
  redirect: RequestRedirect | undefined;
}

/** A response to give, or a function building one from the request (or throwing, to simulate a network error). */
export type StubAnswer = Response | ((request: SeenRequest) => Response | Promise<Response>);

/**
 * A `fetch` that records every request and answers with the given answers in order (the last one
 * repeats).
 */
export function stubFetch(...answers: StubAnswer[]): FetchLike & { requests: SeenRequest[] } {
  const requests: SeenRequest[] = [];
  const fetch = async (input: string, init: RequestInit): Promise<Response> => {
    const seen: SeenRequest = {
      url: input,
      method: init.method ?? "GET",
      headers: new Headers(init.headers),
      body: typeof init.body === "string" ? init.body : "",
      redirect: init.redirect,
    };
    requests.push(seen);
    init.signal?.throwIfAborted();
    const answer = answers[Math.min(requests.length - 1, answers.length - 1)];
    if (answer === undefined) throw new Error("stubFetch: no answer configured");
    const response = typeof answer === "function" ? await answer(seen) : answer;
    return response.clone();
  };
  return Object.assign(fetch, { requests });
}

export const beta2018Location =
  "https://graph.microsoft.com/beta/app/calls/57dab8b1-894c-409a-b240-bd8beae78896/operations/0fe0623f-d628-42ed-b4bd-8ac290072cc5";

import { operationId } from "./seed-ids.ts";

export { callId, operationId } from "./seed-ids.ts";

/** A 202 with the seed's Location and no body. */
export function accepted(location: string = beta2018Location): Response {
  return new Response(null, { status: 202, headers: { Location: location } });
}

/** A 202 whose Location names an operation of the call requested, under the request's own URL (as Graph's does). */
export function acceptedHere(request: SeenRequest): Response {
  return accepted(request.url.replace(/cancelMediaProcessing$/, `operations/${operationId}`));
}

/** A Graph error response in the OData shape. */
export function graphError(status: number, code: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: { code, message: `${code} happened` } }, { status, headers });
}
