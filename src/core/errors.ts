/**
 * A bad argument or option, found before any request was sent (every entry throws it): an empty
 * call id, a `clientContext` over the spec's limit, an unknown option...
 *
 * @example
 * client.cancelMediaProcessing("").catch((e) => { if (e instanceof InvalidArgumentError) console.log(e.argument); }); // "callId"
 */
export class InvalidArgumentError extends TypeError {
  /** Always `"InvalidArgumentError"`: a literal, which minifiers keep. */
  override readonly name = "InvalidArgumentError";
  /** Which argument or option is wrong, as a path: `callId`, `body.clientContext`, `options.baseUrl`... */
  readonly argument: string;

  constructor(argument: string, problem: string) {
    super(`${argument} ${problem}`);
    this.argument = argument;
  }
}
