/**
 * A notification body that is not valid JSON or not a valid `commsNotifications` batch. The message
 * names each wrong field by its JSON path, such as `body/value/0/changeType must be one of [...]`.
 *
 * @example
 * try { parseCommsNotifications(body); } catch (e) { if (e instanceof InvalidNotificationError) console.log(e.message); }
 */
export class InvalidNotificationError extends Error {
  override name = "InvalidNotificationError";

  /** @param message What is wrong, naming the field. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}
