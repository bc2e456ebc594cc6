import { execFile } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyProject } from "../support/project-copy.ts";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");
const tsx = join(root, "node_modules/.bin/tsx");

/** Runs a project script in `dir`, returning its exit code and output instead of throwing. */
async function script(dir: string, name: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(tsx, [join(dir, "scripts", name)], { cwd: dir });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe("check:generated catches a spec edited without regenerating", () => {
  let dir = "";

  beforeAll(async () => {
    dir = (await copyProject("gck-drift-")).dir;
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("passes on the committed state", async () => {
    const result = await script(dir, "check-generated.ts");
    expect(result.output).toContain("generated/ matches spec/openapi.yaml");
    expect(result.code).toBe(0);
  });

  it("fails, naming the stale files, after a spec edit; passes again after generate", async () => {
    const specFile = join(dir, "spec/openapi.yaml");
    const spec = await readFile(specFile, "utf8");
    await writeFile(specFile, spec.replace("maxLength: 256", "maxLength: 128"));

    const stale = await script(dir, "check-generated.ts");
    expect(stale.code).toBe(1);
    expect(stale.output).toContain("generated/openapi.json");
    expect(stale.output).toContain("generated/constraints.ts");

    const generate = await script(dir, "generate.ts");
    expect(generate.code).toBe(0);
    expect(await readFile(join(dir, "generated/constraints.ts"), "utf8")).toContain('"maxLength": 128');
    expect((await script(dir, "check-generated.ts")).code).toBe(0);
  });

  it("names a missing generated file", async () => {
    await rm(join(dir, "generated/schema.d.ts"));
    const result = await script(dir, "check-generated.ts");
    expect(result.code).toBe(1);
    expect(result.output).toContain("generated/schema.d.ts (missing)");
  });

  it("generate refuses a spec with lint errors and writes nothing", async () => {
    const specFile = join(dir, "spec/openapi.yaml");
    const spec = await readFile(specFile, "utf8");
    await writeFile(specFile, spec.replace("clientContext: clientContext-value", "clientContext: 42"));
    const before = await readFile(join(dir, "generated/openapi.json"), "utf8");
    const result = await script(dir, "generate.ts");
    expect(result.code).toBe(1);
    expect(result.output).toContain("lint errors");
    expect(await readFile(join(dir, "generated/openapi.json"), "utf8")).toBe(before);
  });
});
