import { type HttpHandler, HttpResponse, http } from "msw";
import type { components } from "../../generated/schema.d.ts";
import { checkRecord, checkType, fail } from "../core/check.ts";
import { normalizeId } from "../core/operation-id.ts";
import type { OperationIds } from "../core/operation-path.ts";
import { parseOperationPath } from "../core/operation-path.ts";
import { specExampleObject } from "../core/spec-document.ts";
import { checkHttpUrl } from "./check-http-url.ts";
import { UnknownOperationError } from "./errors.ts";
import type { IssuedOperation } from "./issued-operation.ts";
import { mediaNotification } from "./media-notifications.ts";
import { isMediaAction, MediaQueues, type SimulatedCall } from "./media-queue.ts";
import {
  buildChecked,
  buildCommsNotifications,
  type CommsNotifications,
  checkContent,
  type NotificationContent,
  notificationContentKeys,
} from "./notification-builder.ts";
import {
  checkBearerToken,
  type DeliveryOptions,
  deliver,
  deliveryOptionKeys,
  type NotificationDelivery,
  type NotificationSigner,
  type NotificationSink,
} from "./notification-delivery.ts";
import { specErrorBody, specHeaderExample } from "./odata-error.ts";
import { checkRequest } from "./request-check.ts";
import {
  ScenarioBook,
  type ScenarioHandle,
  type ScenarioName,
  type ScenarioOptionsByName,
  scenarioStatus,
} from "./scenarios.ts";
import { type ServedBase, servedBases, unservedRequest } from "./served-bases.ts";
import {
  qualifiedPath,
  type SpecOperation,
  type SpecPath,
  specOperation,
  specOperations,
} from "./spec-operations.ts";

/** Options of {@link createGraphHandlers}; every one is optional. */
export interface GraphHandlersOptions {
  /**
   * The Graph base URL(s) the code under test sends to; one without a version also serves each path under the
   * versions the spec lists for it (`{base}/v1.0/communications/...`), as Microsoft's Graph SDK sends.
   * @default the spec's servers for each path (beta for `/app` and `/applications`; beta and v1.0 for `/communications`)
   */
  baseUrl?: string | URL | readonly (string | URL)[];
  /**
   * Default destination of `notify()`: the bot's callback URL or an in-process function.
   * @default undefined (each `notify()` names its `to`)
   */
  callbackUrl?: string | URL | NotificationSink;
  /**
   * Default bearer token `notify()` sends; not with `notificationSigner`.
   * @default undefined (no Authorization header)
   */
  notificationToken?: string;
  /**
   * Default signer of `notify()`, such as the testing kit's `createTestSigningKeys()`; not with `notificationToken`.
   * @default undefined (no Authorization header)
   */
  notificationSigner?: NotificationSigner;
  /**
   * Makes the id of each new operation.
   * @default () => crypto.randomUUID() (a fresh lowercase dashed GUID)
   */
  operationId?: () => string;
  /**
   * How long each playPrompt or recordResponse operation runs before it completes (and its
   * notification is sent); `Infinity`: until `finishMedia(callId)` ends it, for deterministic tests.
   * @default 100
   */
  mediaDurationMs?: number;
  /**
   * Told about each notification the mock sent by itself, once its delivery is settled.
   * @default undefined
   */
  onNotificationSent?: (notification: SentNotification) => void;
}

const handlerOptionKeys = [
  "baseUrl",
  "callbackUrl",
  "notificationToken",
  "notificationSigner",
  "operationId",
  "mediaDurationMs",
  "onNotificationSent",
] as const;
const notifyOptionKeys = [...notificationContentKeys, ...deliveryOptionKeys] as const;

/** One request the handlers received, valid or not, and how they answered it. */
export interface RecordedRequest {
  /** The spec path template it matched. */
  path: SpecPath;
  /** The spec's operationId for that path. */
  specOperationId: string;
  /** The full request URL. */
  url: string;
  /** The call id from the URL, percent-decoded (as sent when it is not valid percent-encoding). */
  callId: string;
  /** The application id from the URL (`/applications/{appId}/...` only). */
  appId?: string;
  /** The request headers, names in lowercase. */
  headers: Record<string, string>;
  /** The parsed JSON body; the raw text when it was not JSON; `undefined` when empty. */
  body: unknown;
  /** The status answered, or `"networkError"` when the request was made to fail. */
  status: number | "networkError";
  /** The scenario that answered it, if one did. */
  scenario?: ScenarioName;
  /** The operation created for it (successful requests only). */
  operation?: IssuedOperation;
}

/** A notification the mock sent by itself, and how its delivery went. */
export interface SentNotification {
  /** The batch. */
  readonly batch: CommsNotifications;
  /** Why it was sent. */
  readonly reason: "completed" | "cancelled" | "cancelOperation";
  /** The bot's 2xx status, once delivered over HTTP. */
  readonly status?: number;
  /** Why the delivery failed, if it did (a NotificationDeliveryError). */
  readonly error?: Error;
}

/** Options of `notify()`: what the notification says, and where it goes. */
export interface NotifyOptions extends NotificationContent {
  /**
   * Where to deliver.
   * @default the `callbackUrl` given to {@link createGraphHandlers}
   */
  to?: DeliveryOptions["to"];
  /**
   * Bearer token to send (not with `signer`).
   * @default the `notificationToken` given to {@link createGraphHandlers}
   */
  token?: string;
  /**
   * Mints the bearer token to send (not with `token`), such as the testing kit's keys.
   * @default the `notificationSigner` given to {@link createGraphHandlers}
   */
  signer?: NotificationSigner;
  /**
   * HTTP delivery timeout in milliseconds (`Infinity`: no limit).
   * @default 10_000
   */
  timeoutMs?: number;
  /**
   * Aborts an HTTP delivery.
   * @default undefined
   */
  signal?: AbortSignal;
}

/**
 * The Graph mock {@link createGraphHandlers} returns: a handler per spec operation (also namespace-qualified) that
 * answers with the spec's success and a fresh operation's `Location`, Graph's OData errors for bad requests, and
 * scenarios for documented failures.
 */
export interface GraphMock {
  /** The MSW handlers: `server.use(...graph.handlers)` or `setupServer(...graph.handlers)`. */
  readonly handlers: HttpHandler[];
  /** Every request received so far, oldest first (a copy). */
  readonly requests: readonly RecordedRequest[];
  /** Every operation issued so far, oldest first (a copy). */
  readonly operations: readonly IssuedOperation[];
  /** Every call seen so far, with its media queue (running first) and the media operations that ended. */
  readonly calls: readonly SimulatedCall[];
  /** Every notification the mock sent by itself (a media operation ended, a 2018 `202` cancel), oldest first. */
  readonly notifications: readonly SentNotification[];
  /** Ends the call's running media operation now, as if it ran to its end; `false` when none runs. */
  finishMedia(callId: string): boolean;
  /** Ends a call, as a hang-up would: its queue is dropped, and every later request for it gets Graph's `404`. */
  endCall(callId: string): void;
  /** Resolves once every notification sent so far has been delivered (or failed to be). */
  settled(): Promise<void>;
  /** Puts a failure scenario in force for the next `times` matching requests (else until reset), before any check. */
  scenario<N extends ScenarioName>(name: N, options?: ScenarioOptionsByName[N]): ScenarioHandle;
  /** Takes every scenario out of force. */
  resetScenarios(): void;
  /** Takes every scenario out of force and forgets the requests, operations, calls and notifications recorded. */
  reset(): void;
  /** Builds the commsNotifications batch for an issued operation (by ids, `Location` or id), without delivering it. */
  buildNotification(operation: OperationIds | string, content: NotificationContent): CommsNotifications;
  /** Builds an operation's batch and delivers it by HTTP (bypassing MSW) or in process; rejects with NotificationDeliveryError. */
  notify(operation: OperationIds | string, options: NotifyOptions): Promise<NotificationDelivery>;
}

type Outcome =
  | {
      kind: "success";
      status: number;
      location: string;
      body: components["schemas"]["cancelMediaProcessingOperation"] | undefined;
    }
  | { kind: "failure"; response: Response };

function checkBaseUrls(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const list: unknown[] = typeof value === "string" || value instanceof URL ? [value] : [];
  if (Array.isArray(value)) list.push(...value);
  else if (list.length === 0) fail("options.baseUrl", "must be a URL or a list of URLs");
  if (list.length === 0) fail("options.baseUrl", "must name at least one URL");
  return list.map(
    (entry, index) =>
      checkHttpUrl(entry, Array.isArray(value) ? `options.baseUrl[${index}]` : "options.baseUrl")
        .href.split(/[?#]/)[0]
        ?.replace(/\/+$/, "") ?? "",
  );
}

function checkDuration(option: string, value: unknown): number {
  if (value === Number.POSITIVE_INFINITY) return value;
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  fail(option, `must be a number of milliseconds (0 or more, or Infinity), got ${String(value)}`);
}

function checkText(argument: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "")
    fail(argument, `must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

/** The status a `Prefer: code=NNN` header asks for (Prism's convention, which the mocks share), if any. */
function prefersStatus(request: Request): number | undefined {
  const code = /(?:^|[;,\s])code=(\d{3})\b/.exec(request.headers.get("prefer") ?? "")?.[1];
  return code === undefined ? undefined : Number(code);
}

function headerRecord(headers: Headers): Record<string, string> {
  return Object.fromEntries([...headers].map(([name, value]) => [name.toLowerCase(), value]));
}

function successHeaders(location: string, request: Request): Headers {
  const headers = new Headers({ Location: location, "request-id": crypto.randomUUID() });
  const clientRequestId = request.headers.get("client-request-id");
  if (clientRequestId) headers.set("client-request-id", clientRequestId);
  return headers;
}

/** The spec's success body example (when the success response has a body), with the operation's own values. */
function successBody(
  spec: SpecOperation,
  operation: IssuedOperation,
): components["schemas"]["cancelMediaProcessingOperation"] | undefined {
  if (spec.successBodyExample === undefined) return undefined;
  const body = specExampleObject(
    spec.successBodyExample,
  ) as components["schemas"]["cancelMediaProcessingOperation"];
  body.id = operation.operationId;
  if (operation.clientContext === undefined) delete body.clientContext;
  else body.clientContext = operation.clientContext;
  return body;
}

function errorResponse(
  path: SpecPath,
  status: number,
  request: Request,
  options: { message?: string | undefined; retryAfter?: string | undefined },
): Response {
  const clientRequestId = request.headers.get("client-request-id") ?? undefined;
  const body = specErrorBody(path, status, {
    ...(options.message === undefined ? {} : { message: options.message }),
    clientRequestId,
  });
  const headers = new Headers({ "request-id": body.error.innerError?.["request-id"] ?? crypto.randomUUID() });
  if (clientRequestId) headers.set("client-request-id", clientRequestId);
  if (options.retryAfter !== undefined) headers.set("retry-after", options.retryAfter);
  return HttpResponse.json(body, { status, headers });
}

/**
 * Creates MSW handlers for every path of the spec that answer as Graph would ({@link GraphMock}), with scenarios and `notify()`.
 * @example
 * import { setupServer } from "msw/node";
 * import { createGraphHandlers } from "graph-comms-kit/mocks";
 *
 * const graph = createGraphHandlers({ baseUrl: "https://graph.microsoft.com/v1.0" });
 * const server = setupServer(...graph.handlers);
 * server.listen();
 * graph.scenario("throttled", { times: 2, retryAfter: 1 }); // two 429s, then success
 * // ... code under test calls cancelMediaProcessing ...
 * const [issued] = graph.operations;
 * if (issued) await graph.notify(issued, { status: "completed", to: "http://127.0.0.1:3978/api/calls" });
 */
export function createGraphHandlers(options: GraphHandlersOptions = {}): GraphMock {
  checkRecord("options", options, handlerOptionKeys);
  const baseUrls = checkBaseUrls(options.baseUrl);
  if (options.callbackUrl !== undefined && typeof options.callbackUrl !== "function") {
    checkHttpUrl(options.callbackUrl, "options.callbackUrl");
  }
  if (options.operationId !== undefined) checkType("options.operationId", options.operationId, "function");
  if (options.onNotificationSent !== undefined) {
    checkType("options.onNotificationSent", options.onNotificationSent, "function");
  }
  checkBearerToken(options.notificationToken, "options.notificationToken");
  if (options.notificationToken !== undefined && options.notificationSigner !== undefined) {
    fail("options.notificationSigner", "cannot be combined with notificationToken: give one or the other");
  }
  const nextOperationId = options.operationId ?? (() => crypto.randomUUID());
  const mediaDurationMs =
    options.mediaDurationMs === undefined
      ? 100
      : checkDuration("options.mediaDurationMs", options.mediaDurationMs);
  const requests: RecordedRequest[] = [];
  const operations: IssuedOperation[] = [];
  const book = new ScenarioBook((name) =>
    name === "throttled"
      ? specHeaderExample(
          "/communications/calls/{callId}/cancelMediaProcessing",
          scenarioStatus.throttled,
          "Retry-After",
        )
      : undefined,
  );

  function newOperationId(): string {
    const id = nextOperationId();
    if (typeof id !== "string" || id.trim() === "") {
      fail("options.operationId()", `must return a non-empty string, got ${String(id)}`);
    }
    const normalized = normalizeId(id);
    if (operations.some((op) => op.operationId === normalized)) {
      fail("options.operationId()", `returned ${JSON.stringify(id)} twice; ids must be unique`);
    }
    return normalized;
  }

  const sent: {
    batch: CommsNotifications;
    reason: SentNotification["reason"];
    status?: number;
    error?: Error;
  }[] = [];
  let deliveries: Promise<void> = Promise.resolve();

  /** Tells `onNotificationSent`; what it throws stays out of the delivery chain. */
  function report(entry: SentNotification): void {
    try {
      options.onNotificationSent?.({ ...entry });
    } catch {
      // A listener's failure is its own; later deliveries go on.
    }
  }

  /** Records a notification the mock sends by itself and, with a callbackUrl, delivers it after those before it. */
  function emit(batch: CommsNotifications, reason: SentNotification["reason"]): void {
    const entry: (typeof sent)[number] = { batch, reason };
    sent.push(entry);
    const to = options.callbackUrl;
    if (to === undefined) {
      report(entry);
      return;
    }
    const settings = { to, token: options.notificationToken, signer: options.notificationSigner };
    deliveries = deliveries.then(() =>
      deliver(batch, settings, "options")
        .then(
          (delivery) => {
            if (delivery.status !== undefined) entry.status = delivery.status;
          },
          (error: unknown) => {
            entry.error = error instanceof Error ? error : new Error(String(error));
          },
        )
        .then(() => report(entry)),
    );
  }

  const queues = new MediaQueues(mediaDurationMs, (media, how) =>
    emit(mediaNotification(media.operation, media.action, how), how),
  );

  /** Plays the request's part in its call's media queue; a cancel answered `202` (the 2018 flow) gets its own notification. */
  function simulate(
    spec: SpecOperation,
    issued: IssuedOperation,
    body: { all?: boolean | null; bargeInAllowed?: boolean | null } | undefined,
    request: Request,
  ): { http: number; media?: string } {
    if (isMediaAction(spec.action)) {
      // call-record.md: with bargeInAllowed a recordResponse "will barge into other existing
      // queued-up/currently-processing record/playprompt requests".
      if (spec.action === "recordResponse" && body?.bargeInAllowed === true)
        queues.cancel(issued.callId, false);
      return { http: spec.successStatus, media: queues.add(issued, spec.action) };
    }
    if (spec.action !== "cancelMediaProcessing") return { http: spec.successStatus };
    const http =
      spec.successStatuses.includes(202) && (spec.successStatus === 202 || prefersStatus(request) === 202)
        ? 202
        : spec.successStatus;
    queues.cancel(issued.callId, spec.contract === "2018-beta" && body?.all === false);
    if (http === 202) emit(buildChecked(issued, { status: "completed" }), "cancelOperation");
    return { http };
  }

  function recordOf(
    spec: SpecOperation,
    request: Request,
    params: { callId: string; appId?: string | undefined },
  ): RecordedRequest {
    const record: RecordedRequest = {
      path: spec.path,
      specOperationId: spec.operationId,
      url: request.url,
      callId: params.callId,
      ...(params.appId === undefined ? {} : { appId: params.appId }),
      headers: headerRecord(request.headers),
      body: undefined,
      status: 0,
    };
    requests.push(record);
    return record;
  }

  async function answer(
    spec: SpecOperation,
    base: string,
    request: Request,
    params: { callId: string; appId?: string },
  ): Promise<Outcome | "networkError"> {
    const record = recordOf(spec, request, params);
    const verdict = await checkRequest(spec, request);
    record.body = verdict.body;
    const hit = book.take({ path: spec.path, callId: params.callId });
    if (hit) {
      record.scenario = hit.name;
      const status = scenarioStatus[hit.name];
      record.status = status ?? "networkError";
      if (status === undefined) return "networkError";
      return {
        kind: "failure",
        response: errorResponse(spec.path, status, request, { retryAfter: hit.retryAfter }),
      };
    }
    if (!verdict.ok) {
      record.status = verdict.status;
      return {
        kind: "failure",
        response: errorResponse(spec.path, verdict.status, request, { message: verdict.message }),
      };
    }
    const callId = normalizeId(params.callId);
    if (queues.isEnded(callId)) {
      record.status = 404;
      return { kind: "failure", response: errorResponse(spec.path, 404, request, {}) };
    }
    let operationId: string;
    try {
      operationId = newOperationId();
    } catch (error) {
      record.status = 500; // what MSW answers for a handler that throws
      throw error;
    }
    const location = `${base}${spec.resourcePrefix}/calls/${encodeURIComponent(callId)}/operations/${encodeURIComponent(operationId)}`;
    const requestBody = verdict.body as { clientContext?: string | null } | undefined;
    const issued: IssuedOperation = {
      path: spec.path,
      specOperationId: spec.operationId,
      contract: spec.contract,
      callId,
      ...(params.appId === undefined ? {} : { appId: params.appId }),
      operationId,
      location,
      // `null` is Graph's "not set" (Microsoft's SDKs send it), like an absent clientContext.
      ...(requestBody?.clientContext == null ? {} : { clientContext: requestBody.clientContext }),
      resourcePrefix: spec.resourcePrefix,
    };
    operations.push(issued);
    record.operation = issued;
    record.status = spec.successStatus;
    const status = simulate(spec, issued, requestBody as Parameters<typeof simulate>[2], request);
    record.status = status.http;
    const body = status.http === 202 ? undefined : successBody(spec, issued);
    if (body && status.media) (body as { status?: string }).status = status.media;
    return { kind: "success", status: status.http, location, body };
  }

  /** The MSW route of one spec operation, for one of its path forms (plain or namespace-qualified). */
  function route(spec: SpecOperation, base: string, form: string): HttpHandler {
    const pattern = `${base}${form.replace(/\{(\w+)\}/g, ":$1")}`;
    return http.post(pattern, async ({ params, request }) => {
      const ids = {
        callId: String(params.callId),
        ...(params.appId === undefined ? {} : { appId: String(params.appId) }),
      };
      const outcome = await answer(spec, base, request, ids);
      if (outcome === "networkError") return HttpResponse.error();
      if (outcome.kind === "failure") return outcome.response;
      const headers = successHeaders(outcome.location, request);
      if (outcome.body === undefined) return new HttpResponse(null, { status: outcome.status, headers });
      return HttpResponse.json(outcome.body, { status: outcome.status, headers });
    });
  }

  /** The routes of every spec operation served under `base`, each also in its namespace-qualified form. */
  function handlersAt(base: string, only: readonly SpecPath[]): HttpHandler[] {
    return specOperations()
      .filter((spec) => only.includes(spec.path))
      .flatMap((spec) => [route(spec, base, spec.path), route(spec, base, qualifiedPath(spec.path))]);
  }

  const bases = servedBases(baseUrls);

  /**
   * Answers Graph's 400, before the typed handlers, to ids that are not valid percent-encoding (MSW's matching throws
   * on them) and to a spec path under a version Graph lacks it in.
   */
  const unservedHandler = http.post(
    ({ request }) => unservedRequest(bases, request.url) !== undefined,
    async ({ request }) => {
      const found = unservedRequest(bases, request.url);
      if (!found) return undefined; // matched by the predicate: cannot happen
      const spec = specOperation(found.path);
      const record = recordOf(spec, request, { callId: found.callId, appId: found.appId });
      record.body = (await checkRequest(spec, request)).body;
      record.status = 400;
      const message =
        found.problem === "malformed"
          ? `Invalid request: the URL path segment ${JSON.stringify(found.segment)} is not valid percent-encoding.`
          : `Resource not found for the segment '${found.segment}'. (${found.path} is not served under this API version.)`;
      return errorResponse(spec.path, 400, request, { message });
    },
  );
  const handlers: HttpHandler[] = [
    unservedHandler,
    ...bases.flatMap((served: ServedBase) => handlersAt(served.base, served.paths)),
  ];

  function findOperation(reference: OperationIds | string): IssuedOperation {
    const issued = operations.find((op) => op === reference);
    if (issued) return issued;
    const text = typeof reference === "string" ? reference : String(reference?.operationId);
    const parsed =
      typeof reference === "string"
        ? parseOperationPath(text)
        : { callId: normalizeId(String(reference?.callId)), operationId: normalizeId(text) };
    const wanted = parsed?.operationId ?? normalizeId(text);
    const found = operations.find(
      (op) => op.operationId === wanted && (parsed === undefined || parsed.callId === op.callId),
    );
    if (!found)
      throw new UnknownOperationError(
        text,
        operations.map((op) => op.operationId),
      );
    return found;
  }

  return {
    handlers,
    get requests() {
      return [...requests];
    },
    get operations() {
      return [...operations];
    },
    get calls() {
      return queues.calls();
    },
    get notifications() {
      return sent.map((entry) => ({ ...entry }));
    },
    finishMedia: (callId) => queues.finish(normalizeId(checkText("callId", callId))),
    endCall: (callId) => queues.endCall(normalizeId(checkText("callId", callId))),
    settled: async () => {
      let seen: Promise<void> | undefined;
      while (seen !== deliveries) {
        seen = deliveries;
        await seen;
      }
    },
    scenario: (name, scenarioOptions) => book.add(name, scenarioOptions),
    resetScenarios: () => book.reset(),
    reset() {
      book.reset();
      requests.length = 0;
      operations.length = 0;
      queues.reset();
      sent.length = 0;
    },
    buildNotification: (reference, content) => buildCommsNotifications(findOperation(reference), content),
    async notify(reference, notifyOptions) {
      checkContent(notifyOptions, "options", notifyOptionKeys);
      const operation = findOperation(reference);
      const batch = buildChecked(operation, notifyOptions);
      const to = notifyOptions.to ?? options.callbackUrl;
      if (to === undefined) {
        fail("options.to", "is required: pass { to: callbackUrl } or give createGraphHandlers a callbackUrl");
      }
      // The call's own token or signer wins over the defaults given to createGraphHandlers.
      const own = notifyOptions.token !== undefined || notifyOptions.signer !== undefined;
      return deliver(
        batch,
        {
          to,
          token: own ? notifyOptions.token : options.notificationToken,
          signer: own ? notifyOptions.signer : options.notificationSigner,
          timeoutMs: notifyOptions.timeoutMs,
          signal: notifyOptions.signal,
        },
        "options",
      );
    },
  };
}
