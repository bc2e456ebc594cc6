/** `npm run check:generated`: exits 1, naming each stale file, when `generated/` does not match the spec. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { projectRoot } from "./project-paths.ts";
import { renderGenerated } from "./render-generated.ts";

const stale: string[] = [];
for (const [file, expected] of await renderGenerated()) {
  const actual = await readFile(join(projectRoot, file), "utf8").catch(() => undefined);
  if (actual !== expected) stale.push(actual === undefined ? `${file} (missing)` : file);
}
if (stale.length > 0) {
  console.error(`check:generated: generated/ does not match spec/openapi.yaml. Stale: ${stale.join(", ")}`);
  console.error("Run `npm run generate` and commit the result.");
  process.exit(1);
}
console.log("check:generated: generated/ matches spec/openapi.yaml");
