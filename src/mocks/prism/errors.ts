import { MocksError } from "../errors.ts";

/** The errors of the Prism mock server (`graph-comms-kit/mocks/prism`), under the mocks' base class. */

/**
 * Thrown when the Prism CLI (`@stoplight/prism-cli`, an optional peer dependency of
 * graph-comms-kit) cannot be found. The message says how to install it.
 *
 * @example
 * try { await startPrism(); } catch (e) { if (e instanceof PrismNotInstalledError) console.error(e.message); }
 */
export class PrismNotInstalledError extends MocksError {
  /** Always `"PrismNotInstalledError"`, in minified bundles too. */
  override readonly name = "PrismNotInstalledError";

  constructor(searched: readonly string[]) {
    super(
      [
        "Prism (@stoplight/prism-cli) is not installed; the Graph mock server runs on it.",
        "It is an optional peer dependency of graph-comms-kit. Install it in your project with:",
        "  npm install --save-dev --save-exact @stoplight/prism-cli@5.14.2",
        `(looked for it from: ${searched.join(", ")})`,
      ].join("\n"),
    );
  }
}

/**
 * Thrown when Prism was found but did not come up: it exited, its port was taken, or it did not
 * answer in time. `output` holds what Prism printed, to see why.
 *
 * @example
 * try { await startPrism({ port: 4010 }); } catch (e) { if (e instanceof PrismStartError) console.error(e.output); }
 */
export class PrismStartError extends MocksError {
  /** Always `"PrismStartError"`, in minified bundles too. */
  override readonly name = "PrismStartError";
  /** Prism's stdout and stderr up to the failure. */
  readonly output: string;

  constructor(message: string, output: string) {
    super(output.trim() === "" ? message : `${message}\n--- Prism output ---\n${output.trim()}`);
    this.output = output;
  }
}
