/**
 * Thrown when an option given to the mocks (handler options, a scenario, `notify()`, a CLI flag)
 * is invalid. The message names the option, the value received and what is accepted.
 *
 * @example
 * try { graph.scenario("throttled", { times: 0 }); } catch (e) { if (e instanceof MockOptionError) console.log(e.option); }
 */
export class MockOptionError extends TypeError {
  override readonly name = "MockOptionError";

  constructor(
    /** The option's name, such as `times` or `--port`. */
    readonly option: string,
    message: string,
  ) {
    super(message);
  }
}
