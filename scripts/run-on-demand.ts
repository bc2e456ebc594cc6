/**
 * `tsx scripts/run-on-demand.ts <tool> [arguments]`: runs the bin of an on-demand tool (see
 * on-demand.ts), installing it first if needed. `check:package` runs are-the-types-wrong this way.
 */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type OnDemandTool, onDemandPackages, provideTool } from "./on-demand.ts";

const [tool, ...args] = process.argv.slice(2);
if (tool === undefined || !Object.hasOwn(onDemandPackages, tool)) {
  console.error(`run-on-demand: which tool? one of ${Object.keys(onDemandPackages).join(", ")}`);
  process.exit(2);
}
const folder = await provideTool(tool as OnDemandTool);
const manifest = JSON.parse(await readFile(join(folder, "package.json"), "utf8")) as {
  bin?: string | Record<string, string>;
};
const bin = typeof manifest.bin === "string" ? manifest.bin : Object.values(manifest.bin ?? {})[0];
if (bin === undefined) {
  console.error(`run-on-demand: ${tool} has no bin`);
  process.exit(2);
}
const child = spawn(process.execPath, [join(folder, bin), ...args], { stdio: "inherit" });
child.on("exit", (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
