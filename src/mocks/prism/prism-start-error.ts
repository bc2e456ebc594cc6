/**
 * Thrown when Prism was found but did not come up: it exited, its port was taken, or it did not
 * answer in time. `output` holds what Prism printed, to see why.
 *
 * @example
 * try { await startPrism({ port: 4010 }); } catch (e) { if (e instanceof PrismStartError) console.error(e.output); }
 */
export class PrismStartError extends Error {
  override readonly name = "PrismStartError";
  /** Prism's stdout and stderr up to the failure. */
  readonly output: string;

  constructor(message: string, output: string) {
    super(output.trim() === "" ? message : `${message}\n--- Prism output ---\n${output.trim()}`);
    this.output = output;
  }
}
