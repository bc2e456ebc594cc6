/**
 * Thrown when the Prism CLI (`@stoplight/prism-cli`, an optional peer dependency of
 * graph-comms-kit) cannot be found. The message says how to install it.
 *
 * @example
 * try { await startPrism(); } catch (e) { if (e instanceof PrismNotInstalledError) console.error(e.message); }
 */
export class PrismNotInstalledError extends Error {
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
