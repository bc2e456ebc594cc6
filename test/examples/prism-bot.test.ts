/** examples/prism-bot.ts run as a user runs it (`npx tsx examples/prism-bot.ts`): Prism up, bot notified, both stopped. */
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");

it("learns from Prism's callback that the operation it cancelled completed, and exits 0", {
  timeout: 120_000,
}, async () => {
  const { stdout, stderr } = await run(resolve(root, "node_modules/.bin/tsx"), ["examples/prism-bot.ts"], {
    cwd: root,
    timeout: 110_000,
  });
  expect(stderr).toBe("");
  expect(stdout).toMatch(/^Prism answered 202: operation 0fe0623f-d628-42ed-b4bd-8ac290072cc5$/m);
  expect(stdout).toMatch(
    /^operation 0fe0623f-d628-42ed-b4bd-8ac290072cc5 completed \(from the notification\)$/m,
  );
});
