import { fail } from "../../core/check.ts";
import type { OperationStatus } from "../../core/operation-status.ts";
import { isLoopback } from "../../core/secure-url.ts";
import { checkHttpUrl } from "../check-http-url.ts";

/** The statuses the Prism mock's notifications can report: the final ones. */
export type PrismNotificationStatus = Extract<OperationStatus, "completed" | "failed">;

/**
 * Checks the URL Prism sends notifications to: absolute http(s), and no `{` or `}` (Prism reads
 * `{...}` as a runtime expression: `{$request.header.authorization}` would hand every caller's
 * bearer token to that URL). Returns the URL and, for a host that is not loopback (or is
 * `0.0.0.0`, an address to listen on, not to send to), a warning to show.
 */
export function checkCallbackUrl(
  value: unknown,
  option = "options.callbackUrl",
): { href: string; warning: string | undefined } {
  const raw = value instanceof URL ? value.href : value;
  if (typeof raw === "string" && /[{}]/.test(raw)) {
    fail(
      option,
      "must not contain { or }: Prism evaluates {...} as a runtime expression, and one such as {$request.header.authorization} would send the caller's bearer token to the callback URL",
    );
  }
  const url = checkHttpUrl(value, option);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const loopback = isLoopback(url);
  const warning =
    host === "0.0.0.0" || host === "::"
      ? `${option} ${url.href}: ${host} is an address to listen on, not to send to; use 127.0.0.1 for a bot on this machine`
      : loopback
        ? undefined
        : `${option} ${url.href} is not a loopback address: every notification (with the spec's example ids) leaves this machine for ${url.host}`;
  return { href: url.href, warning };
}

/** Checks the status Prism's notifications report: `completed` or `failed`. */
export function checkNotificationStatus(
  value: unknown,
  option = "options.notificationStatus",
): PrismNotificationStatus {
  if (value === undefined) return "completed";
  if (value === "completed" || value === "failed") return value;
  fail(option, `must be "completed" or "failed", got ${JSON.stringify(value)}`);
}
