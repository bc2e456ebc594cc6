import type { ServerRequestTelemetry, Telemetry } from "../../core/telemetry.ts";
import type { ReceiverAnswer } from "./answers.ts";
import type { IncomingNotification, NotificationReceiver } from "./handler.ts";

/**
 * The receiver core with a span and a duration per request. Only a handler given `telemetry` gets
 * this wrapper (and its extra promise per request); without it the core runs bare.
 */
export function traced(receive: NotificationReceiver, telemetry: Telemetry): NotificationReceiver {
  return (incoming: IncomingNotification) => {
    const target = incoming.describe?.();
    const request = telemetry.serverRequest({
      method: incoming.method,
      path: target?.path ?? "",
      scheme: target?.scheme ?? "http",
      remoteAddress: target?.remoteAddress,
    });
    let answer: ReceiverAnswer | Promise<ReceiverAnswer>;
    try {
      answer = request.run(() => receive(incoming));
    } catch (error) {
      request.end(500, "internal-error", undefined);
      throw error;
    }
    if (!(answer instanceof Promise)) return ended(request, answer);
    return answer.then((ready) => ended(request, ready));
  };
}

function ended(request: ServerRequestTelemetry, answer: ReceiverAnswer): ReceiverAnswer {
  request.end(answer.status, answer.reason, answer.count);
  return answer;
}
