/**
 * The base class of every error the calls client throws on purpose, so one `instanceof` check
 * catches them all (an `AbortSignal`'s own reason is rethrown as is, and is not one of these).
 *
 * @example
 * try {
 *   await client.cancelMediaProcessing(callId);
 * } catch (error) {
 *   if (error instanceof CallsClientError) console.error(error.name, error.message);
 * }
 */
export class CallsClientError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
