import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyProject, type ProjectCopy } from "../support/project-copy.ts";
import { runScript } from "../support/run-script.ts";

/** Runs a project script in `dir`: its exit code, and stdout and stderr as one text. */
async function script(dir: string, name: string): Promise<{ code: number; output: string }> {
  const { code, stdout, stderr } = await runScript(dir, name);
  return { code, output: stdout + stderr };
}

// Each test runs the generator or the check in a copy of the project (a few seconds each, more on a
// loaded machine): bounded, but above the default 20 s per test.
describe("check:generated catches a spec edited without regenerating", { timeout: 90_000 }, () => {
  let copy: ProjectCopy;
  let dir = "";

  beforeAll(async () => {
    copy = await copyProject("gck-drift-");
    dir = copy.dir;
  });

  afterAll(() => copy.remove());

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
