/** Why a notification's bearer token was refused. */
export type NotificationAuthFailure =
  /** No `Authorization: Bearer …` header. */
  | "missing-token"
  /** The token is malformed, badly signed, expired, or its claims are wrong. */
  | "invalid-token"
  /** The signing keys could not be fetched (OpenID configuration or JWKS endpoint unreachable or invalid). */
  | "keys-unavailable";

/**
 * A notification whose bearer JWT is missing or fails verification. The handler answers 401.
 *
 * @example
 * verifier.verify(header).catch((e) => { if (e instanceof NotificationAuthError) console.log(e.failure); });
 */
export class NotificationAuthError extends Error {
  override name = "NotificationAuthError";
  /** The kind of failure. */
  readonly failure: NotificationAuthFailure;

  /**
   * @param failure The kind of failure.
   * @param message What is wrong with the token.
   */
  constructor(failure: NotificationAuthFailure, message: string, options?: ErrorOptions) {
    super(message, options);
    this.failure = failure;
  }
}
