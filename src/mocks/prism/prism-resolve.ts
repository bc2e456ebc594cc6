import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PrismNotInstalledError } from "./errors.ts";

/** The directories Prism is looked for from by default: this package's, then the current directory. */
export function defaultPrismSearchDirs(): string[] {
  return [dirname(fileURLToPath(import.meta.url)), process.cwd()];
}

/**
 * Finds the Prism CLI's entry script (`@stoplight/prism-cli`'s `bin.prism`), resolving the package
 * as Node would from each directory in turn. Throws {@link PrismNotInstalledError} when none has it.
 */
export function resolvePrismEntry(searchDirs: readonly string[] = defaultPrismSearchDirs()): string {
  for (const dir of searchDirs) {
    try {
      const manifestPath = createRequire(join(dir, "noop.js")).resolve("@stoplight/prism-cli/package.json");
      const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
        bin?: string | Record<string, string>;
      };
      const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin?.prism;
      if (bin) return join(dirname(manifestPath), bin);
    } catch {
      // Not resolvable from here: try the next directory.
    }
  }
  throw new PrismNotInstalledError(searchDirs);
}
