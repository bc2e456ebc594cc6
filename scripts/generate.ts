/** `npm run generate`: lint the spec, then (re)write every file under `generated/`. */
import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { projectRoot, redocly } from "./project-paths.ts";
import { renderGenerated } from "./render-generated.ts";

try {
  execFileSync(redocly, ["lint", "--config", "redocly.yaml"], {
    cwd: projectRoot,
    stdio: "inherit",
  });
} catch {
  console.error("generate: the spec has lint errors (above); nothing was written.");
  process.exit(1);
}

for (const [file, content] of await renderGenerated()) {
  const target = join(projectRoot, file);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, content);
  console.log(`generate: wrote ${file}`);
}
