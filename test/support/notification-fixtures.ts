/** Notification bodies for the notification, Redis and fidelity tests: the spec's examples plus real shapes from REFERENCE.md. */

import { openapiDocument } from "../../src/core/spec-document.ts";
import type { OperationStatus } from "../../src/notifications/parse/notification.ts";
import { callId, operationId, upperCallId, upperOperationId } from "./seed-ids.ts";

export { callId, operationId, upperCallId, upperOperationId };

type Examples = Record<string, { value: unknown }>;
const examples = openapiDocument.components.examples as unknown as Examples;

/** Every example of the `commsNotifications` webhook in the bundled spec, by name. */
export function specNotificationExamples(): Array<[string, unknown]> {
  const content = openapiDocument.webhooks.commsNotifications.post.requestBody.content["application/json"];
  return Object.entries(content.examples).map(([name, ref]) => {
    const target = (ref as { $ref: string }).$ref.split("/").pop() as string;
    return [name, structuredClone(examples[target]?.value)];
  });
}

/** A one-notification batch about an operation. */
export function operationBatch(
  status: OperationStatus,
  ids: { callId?: string; operationId?: string } = {},
  extra: Record<string, unknown> = {},
): { value: Array<Record<string, unknown>> } {
  const call = ids.callId ?? callId;
  const op = ids.operationId ?? operationId;
  return {
    value: [
      {
        changeType: status === "completed" || status === "failed" ? "deleted" : "updated",
        resourceUrl: `/communications/calls/${call}/operations/${op}`,
        resourceData: {
          "@odata.type": "#microsoft.graph.cancelMediaProcessingOperation",
          id: op,
          status,
          clientContext: "ctx-1",
          ...(status === "failed" ? { resultInfo: { code: 400, subcode: 8508, message: "cancelled" } } : {}),
          ...extra,
        },
      },
    ],
  };
}

/** Real shapes seen besides the spec's examples (REFERENCE.md §1-2 and Graph's other call notifications). */
export const realShapes: Array<[string, unknown]> = [
  [
    "2018 failure with errorInfo, string codes and subCode",
    {
      value: [
        {
          changeType: "deleted",
          resource: `/app/calls/${upperCallId}/operations/${upperOperationId}`,
          resourceData: {
            "@odata.type": "#microsoft.graph.commsOperation",
            id: operationId,
            status: "failed",
            createdDateTime: "2018-09-06T15:58:01Z",
            lastActionDateTime: "2018-09-06T15:58:03Z",
            errorInfo: { code: "500", subCode: "8510", message: "Media processing failed" },
          },
        },
      ],
    },
  ],
  [
    "both resource and resourceUrl, lowercase dashed ids",
    {
      value: [
        {
          "@odata.type": "#microsoft.graph.commsNotification",
          changeType: "deleted",
          resource: `/app/calls/${callId}/operations/${operationId}`,
          resourceUrl: `/communications/calls/${callId}/operations/${operationId}`,
          resourceData: {
            "@odata.type": "#microsoft.graph.playPromptOperation",
            id: operationId,
            status: "completed",
          },
        },
      ],
    },
  ],
  [
    "a running recordOperation",
    {
      value: [
        {
          changeType: "updated",
          resourceUrl: `/communications/calls/${callId}/operations/${operationId}`,
          resourceData: {
            "@odata.type": "#microsoft.graph.recordOperation",
            status: "running",
            clientContext: "c",
          },
        },
      ],
    },
  ],
  [
    "call state change",
    {
      "@odata.type": "#microsoft.graph.commsNotifications",
      value: [
        {
          "@odata.type": "#microsoft.graph.commsNotification",
          changeType: "updated",
          resourceUrl: `/communications/calls/${callId}`,
          resourceData: {
            "@odata.type": "#microsoft.graph.call",
            state: "established",
            mediaState: { "@odata.type": "#microsoft.graph.callMediaState", audio: "active" },
          },
        },
      ],
    },
  ],
  [
    "participants update (resourceData is a list)",
    {
      value: [
        {
          changeType: "updated",
          resourceUrl: `/communications/calls/${callId}/participants`,
          resourceData: [
            { "@odata.type": "#microsoft.graph.participant", id: "p1", isMuted: false },
            { "@odata.type": "#microsoft.graph.participant", id: "p2", isMuted: true },
          ],
        },
      ],
    },
  ],
  [
    "tone received",
    {
      value: [
        {
          changeType: "updated",
          resourceUrl: `/communications/calls/${callId}`,
          resourceData: {
            "@odata.type": "#microsoft.graph.call",
            toneInfo: { tone: "tone1", sequenceId: 2 },
          },
        },
      ],
    },
  ],
  [
    "call terminated, no resourceData",
    { value: [{ changeType: "deleted", resourceUrl: `/communications/calls/${callId}` }] },
  ],
];

/** The body of `realShapes[index]`; throws when there is none, so a test cannot pass on `undefined`. */
export function realShape(index: number): { value: Array<Record<string, unknown>> } {
  const shape = realShapes[index];
  if (!shape) throw new Error(`no real shape #${index}`);
  return structuredClone(shape[1]) as { value: Array<Record<string, unknown>> };
}
