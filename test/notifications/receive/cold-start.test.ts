/**
 * A cold start: the handler fetches the signing keys of every key source when it is created, all
 * sources at once, so the first notification finds them fetched or in flight instead of starting
 * the fetches itself, one after another.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createNotificationHandler } from "../../../src/notifications/receive/handler.ts";
import {
  appId,
  type KeyServer,
  newSigningKey,
  type SigningKey,
  sign,
  startKeyServer,
} from "../../support/key-server.ts";
import { specNotificationExamples } from "../../support/notification-fixtures.ts";

let key: SigningKey;
let first: KeyServer;
let second: KeyServer;
const body = JSON.stringify(specNotificationExamples()[0]?.[1]);

beforeAll(async () => {
  key = await newSigningKey("cold-key");
  [first, second] = await Promise.all([startKeyServer([key]), startKeyServer([key])]);
});

afterAll(async () => {
  await Promise.all([first.close(), second.close()]);
});

async function notify(handle: (request: Request) => Promise<Response>): Promise<number> {
  const request = new Request("http://127.0.0.1/api/calls", {
    method: "POST",
    headers: { authorization: `Bearer ${await sign(key)}`, "content-type": "application/json" },
    body,
  });
  return (await handle(request)).status;
}

const quiet = () => ({ warn: vi.fn(), error: vi.fn() });

describe("a cold start", () => {
  it("fetches the keys when the handler is created, and the first notification fetches none", async () => {
    const before = { config: first.configHits, jwks: first.jwksHits };
    const handle = createNotificationHandler({
      appId,
      auth: { openIdConfigurationUrl: first.openIdConfigurationUrl },
      onNotification: () => {},
      logger: quiet(),
    });
    await vi.waitFor(() => expect(first.jwksHits - before.jwks).toBe(1));
    expect(await notify(handle)).toBe(202);
    expect([first.configHits - before.config, first.jwksHits - before.jwks]).toEqual([1, 1]);
  });

  it("fetches every key source at once, not one after another", async () => {
    // Each configuration request is held until both have been asked for: fetching the sources one
    // after another would never get past the first, and the handler would never answer.
    const asked = new Set<string>();
    let bothAsked: () => void = () => {};
    const both = new Promise<void>((resolve) => {
      bothAsked = resolve;
    });
    const gate = async (url: string, init: RequestInit) => {
      if (url.includes("OpenIdConfiguration")) {
        asked.add(url);
        if (asked.size === 2) bothAsked();
        await both;
      }
      return fetch(url, init);
    };
    const handle = createNotificationHandler({
      appId,
      auth: {
        keySources: [
          { openIdConfigurationUrl: first.openIdConfigurationUrl, issuers: ["https://api.botframework.com"] },
          { openIdConfigurationUrl: second.openIdConfigurationUrl, issuers: ["https://graph.microsoft.com"] },
        ],
        fetch: gate,
      },
      onNotification: () => {},
      logger: quiet(),
    });
    await both;
    expect(await notify(handle)).toBe(202);
    expect(asked.size).toBe(2);
  });

  it("answers the first notification, arriving while the keys are in flight, with the fetch already started", async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const fetched: string[] = [];
    const handle = createNotificationHandler({
      appId,
      auth: {
        openIdConfigurationUrl: first.openIdConfigurationUrl,
        fetch: async (url, init) => {
          fetched.push(url);
          await held;
          return fetch(url, init);
        },
      },
      onNotification: () => {},
      logger: quiet(),
    });
    await vi.waitFor(() => expect(fetched).toHaveLength(1)); // started by the handler's creation
    const answer = notify(handle);
    release();
    expect(await answer).toBe(202);
    // One configuration and one JWKS request in all: the notification joined the fetch in flight.
    expect(fetched.map((url) => new URL(url).pathname)).toEqual([
      "/v1/.well-known/OpenIdConfiguration",
      "/keys",
    ]);
  });
});
