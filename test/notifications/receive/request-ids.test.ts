/**
 * The answer to Graph echoes the request's `client-request-id` and `scenario-id`, as Microsoft's
 * Graph Communications SDK does (`CommunicationsClientExtensions.CreateResponse` adds both headers,
 * each a GUID, to every answer it makes: 202, 400, 401, 500), on both paths.
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
import { caller, type NodeRoute, paths, startNodeRoute } from "./both-paths.ts";

let key: SigningKey;
let keys: KeyServer;
let route: NodeRoute;
const body = JSON.stringify(specNotificationExamples()[0]?.[1]);
const requestId = "8F1C2B3A-4D5E-4F60-8172-93A4B5C6D7E8";
const scenarioId = "0fe0623fd62842edb4bd8ac290072cc5";

beforeAll(async () => {
  key = await newSigningKey("ids-key");
  keys = await startKeyServer([key]);
  route = await startNodeRoute();
});

afterAll(async () => {
  await route.close();
  await keys.close();
});

describe.each(paths)("on the %s path", (path) => {
  const handle = () =>
    caller(
      path,
      () => route,
      createNotificationHandler({
        appId,
        auth: { openIdConfigurationUrl: keys.openIdConfigurationUrl },
        onNotification: () => {},
        logger: { warn: vi.fn(), error: vi.fn() },
      }),
    );
  const post = async (headers: Record<string, string>, token?: string) =>
    new Request("http://127.0.0.1/api/calls", {
      method: "POST",
      headers: {
        authorization: `Bearer ${token ?? (await sign(key))}`,
        "content-type": "application/json",
        ...headers,
      },
      body,
    });

  it("echoes both ids, as lowercase dashed GUIDs, on a 202 and on a 401", async () => {
    const ids = { "client-request-id": requestId, "scenario-id": scenarioId };
    for (const response of [
      await handle()(await post(ids)),
      await handle()(await post(ids, "not-a-token")),
    ]) {
      expect([202, 401]).toContain(response.status);
      expect(response.headers.get("client-request-id")).toBe(requestId.toLowerCase());
      expect(response.headers.get("scenario-id")).toBe("0fe0623f-d628-42ed-b4bd-8ac290072cc5");
    }
  });

  it("echoes only ids that are GUIDs, and adds none to a request without them", async () => {
    const odd = await handle()(await post({ "client-request-id": "abc", "scenario-id": scenarioId }));
    expect(odd.status).toBe(202);
    expect(odd.headers.get("client-request-id")).toBeNull();
    expect(odd.headers.get("scenario-id")).toBe("0fe0623f-d628-42ed-b4bd-8ac290072cc5");
    const plain = await handle()(await post({}));
    expect(plain.status).toBe(202);
    expect([plain.headers.get("client-request-id"), plain.headers.get("scenario-id")]).toEqual([null, null]);
  });
});
