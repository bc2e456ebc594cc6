/** The error every entry throws for a bad argument or option. */

/**
 * A bad argument or option, found before any request was sent: an empty call id, a
 * `clientContext` over the spec's limit, a body field of the wrong type, an unknown option...
 *
 * @example
 * try {
 *   await client.cancelMediaProcessing("");
 * } catch (error) {
 *   if (error instanceof InvalidArgumentError) console.log(error.argument); // "callId"
 * }
 */
export class InvalidArgumentError extends TypeError {
  // A literal name so that minifiers, which rename classes, keep it.
  /** Always `"InvalidArgumentError"`, in minified bundles too. */
  override readonly name = "InvalidArgumentError";
  /** Which argument or option is wrong, as a path: `callId`, `body.clientContext`, `options.baseUrl`... */
  readonly argument: string;

  constructor(argument: string, problem: string) {
    super(`${argument} ${problem}`);
    this.argument = argument;
  }
}
