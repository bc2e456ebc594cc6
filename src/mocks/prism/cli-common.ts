import { checkRecord } from "../../core/check.ts";
import { InvalidArgumentError } from "../../core/errors.ts";

/** A parseArgs error, said in this command's words (with the nearest flag for a misspelt one). */
export function flagError(error: unknown, command: string, flags: readonly string[]): InvalidArgumentError {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /Unknown option '(-{1,2})([^']*)'/.exec(message);
  if (unknown) {
    const [, dashes = "--", name = ""] = unknown;
    try {
      checkRecord("flags", { [name]: true }, flags);
    } catch (hint) {
      const near =
        hint instanceof Error ? / \(did you mean "([^"]+)"\?\)/.exec(hint.message)?.[1] : undefined;
      return new InvalidArgumentError(
        `${dashes}${name}`,
        `is not a flag of ${command}${near ? ` (did you mean --${near}?)` : ""}; flags: ${flags.map((f) => `--${f}`).join(", ")}`,
      );
    }
  }
  const missing = /Option '(--[\w-]+)[^']*' argument missing/.exec(message);
  if (missing?.[1]) return new InvalidArgumentError(missing[1], "needs a value");
  const positional = /Unexpected argument '([^']*)'/.exec(message);
  if (positional) {
    return new InvalidArgumentError(
      "arguments",
      `take no positional value, got ${JSON.stringify(positional[1])}`,
    );
  }
  const flag = /'(--[\w-]+)/.exec(message)?.[1];
  return new InvalidArgumentError(flag ?? "arguments", message.replace(/^Option '[^']*' /, ""));
}

const stopOn: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/**
 * Resolves on the first SIGINT, SIGTERM or SIGHUP, or when this process is orphaned (its parent,
 * such as `npm start`, died without passing the signal on); `dispose` removes the listeners.
 */
export function stopSignals(): { signal: Promise<string>; dispose: () => void } {
  let on: (signal: string) => void = () => {};
  const parent = process.ppid;
  const orphanCheck = setInterval(() => {
    if (process.ppid !== parent) on("parent exited");
  }, 1_000);
  orphanCheck.unref();
  const dispose = () => {
    clearInterval(orphanCheck);
    for (const name of stopOn) process.off(name, on);
  };
  const signal = new Promise<string>((resolve) => {
    on = (received) => {
      dispose();
      resolve(received);
    };
    for (const name of stopOn) process.on(name, on);
  });
  return { signal, dispose };
}
