import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");
const consumerSource = join(import.meta.dirname, "consumer.ts.txt");

interface PackedFile {
  path: string;
}

/**
 * Builds and packs the package as a publisher would (`npm run build`, `npm pack`), unpacks the
 * tarball into a temporary project's node_modules, and compiles and runs a consumer against it.
 * Only the packed files stand for graph-comms-kit; its declared dependencies and the consumer's
 * tools (msw, the optional peer; typescript, @types/node) are linked from this repo's node_modules, so nothing is
 * downloaded, and an import of an undeclared dependency would fail.
 */
describe("the npm package", () => {
  let work: string;
  let packedFiles: string[];
  let project: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "graph-comms-kit-pack-"));
    await run("npm", ["run", "-s", "build"], { cwd: root });
    const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", work], { cwd: root });
    const [packed] = JSON.parse(stdout) as [{ filename: string; files: PackedFile[] }];
    packedFiles = packed.files.map((f) => f.path);

    project = join(work, "consumer");
    const installed = join(project, "node_modules", "graph-comms-kit");
    await mkdir(installed, { recursive: true });
    await run("tar", ["-xzf", join(work, packed.filename), "-C", installed, "--strip-components=1"]);
    const manifest = JSON.parse(await readFile(join(installed, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    for (const name of [...Object.keys(manifest.dependencies), "msw", "typescript", "@types/node"]) {
      const link = join(project, "node_modules", name);
      await mkdir(dirname(link), { recursive: true });
      await symlink(join(root, "node_modules", name), link, "dir");
    }
    await writeFile(join(project, "package.json"), JSON.stringify({ type: "module", private: true }));
    await writeFile(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          exactOptionalPropertyTypes: true,
          types: ["node"],
          outDir: "out",
          skipLibCheck: true,
        },
        files: ["consumer.ts"],
      }),
    );
    await writeFile(join(project, "consumer.ts"), await readFile(consumerSource, "utf8"));
  }, 120_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** Runs `node <args>` in the consumer project (where graph-comms-kit is installed) for its output. */
  async function nodeInConsumer(...args: string[]): Promise<string> {
    const { stdout } = await run(process.execPath, args, { cwd: project });
    return stdout;
  }

  it("holds the built entries, the types they import, the bundled spec, LICENSE and CHANGELOG, and no sources or tests", () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        "package.json",
        "README.md",
        "LICENSE",
        "CHANGELOG.md",
        "dist/src/client/index.js",
        "dist/src/client/index.d.ts",
        "dist/generated/schema.d.ts",
        "dist/generated/constraints.js",
      ]),
    );
    // Once: the copy the validators load is the one graph-comms-kit/openapi.json exports.
    expect(packedFiles.filter((f) => /(^|\/)openapi\.json$/.test(f))).toEqual([
      "dist/generated/openapi.json",
    ]);
    expect(
      packedFiles.filter((f) => /^(src|test|bench|scripts)\//.test(f) || /\.test(-d)?\.[jt]s$/.test(f)),
    ).toEqual([]);
  });

  it("exports the bundled spec as graph-comms-kit/openapi.json, the same document as generated/", async () => {
    const stdout = await nodeInConsumer(
      "--input-type=module",
      "-e",
      'const m = await import("graph-comms-kit/openapi.json", { with: { type: "json" } }); console.log(JSON.stringify(m.default))',
    );
    const generated: unknown = JSON.parse(await readFile(join(root, "generated/openapi.json"), "utf8"));
    expect(JSON.parse(stdout)).toEqual(generated);
  }, 30_000);

  it("declares runtime dependencies as caret ranges (a consumer's compatible copy is shared), dev tools exact", async () => {
    const manifest = JSON.parse(
      await readFile(join(project, "node_modules", "graph-comms-kit", "package.json"), "utf8"),
    ) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    const ranges = Object.values(manifest.dependencies);
    expect(ranges.length).toBeGreaterThan(0);
    expect(ranges.filter((range) => !/^\^\d+\.\d+\.\d+$/.test(range))).toEqual([]);
    expect(
      Object.values(manifest.devDependencies).filter(
        (range) => !/^(npm:[\w@/.-]+@)?\d+\.\d+\.\d+(-[\w.]+)?$/.test(range),
      ),
    ).toEqual([]);
  });

  it("runs nothing when installed: no install-time lifecycle script", async () => {
    const manifest = JSON.parse(
      await readFile(join(project, "node_modules", "graph-comms-kit", "package.json"), "utf8"),
    ) as { scripts: Record<string, string> };
    const installTime = [
      "preinstall",
      "install",
      "postinstall",
      "prepublish",
      "preprepare",
      "prepare",
      "postprepare",
    ];
    expect(Object.keys(manifest.scripts).filter((name) => installTime.includes(name))).toEqual([]);
  });

  it("ships a README whose links work on the npm page: absolute, an anchor, or a file in the package", async () => {
    const readme = await readFile(join(project, "node_modules", "graph-comms-kit", "README.md"), "utf8");
    const relative = [...readme.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((match) => match[1] ?? "")
      .filter((target) => !/^[a-z]+:/i.test(target) && !target.startsWith("#"));
    expect(relative.filter((target) => !packedFiles.includes(target.split("#")[0] ?? ""))).toEqual([]);
  });

  it("type-checks a consumer with tsc and runs it against an MSW handler", async () => {
    const tsc = join(project, "node_modules", "typescript", "bin", "tsc");
    await run(process.execPath, [tsc, "-p", project], { cwd: project }).catch(
      (error: { stdout?: string }) => {
        throw new Error(`tsc failed on the consumer:\n${error.stdout ?? String(error)}`);
      },
    );
    const { stdout } = await run(process.execPath, [join(project, "out", "consumer.js")], { cwd: project });
    expect(JSON.parse(stdout)).toEqual({
      op: {
        callId: "57dab8b1-894c-409a-b240-bd8beae78896",
        operationId: "0fe0623f-d628-42ed-b4bd-8ac290072cc5",
        location:
          "https://graph.microsoft.com/beta/app/calls/57dab8b1-894c-409a-b240-bd8beae78896/operations/0fe0623f-d628-42ed-b4bd-8ac290072cc5",
        httpStatus: 202,
      },
      sent: { authorization: "Bearer consumer-token", body: { all: true, clientContext: "ctx-1" } },
      error: { name: "GraphError", status: 404, code: "NotFound" },
      normalized: "0fe0623f-d628-42ed-b4bd-8ac290072cc5",
      entries: [true, true],
    });
  }, 60_000);

  it("type-checks the same consumer under node16 and bundler module resolution", async () => {
    const tsc = join(project, "node_modules", "typescript", "bin", "tsc");
    for (const [module, moduleResolution] of [
      ["Node16", "Node16"],
      ["ESNext", "Bundler"],
    ] as const) {
      await run(
        process.execPath,
        [tsc, "-p", project, "--noEmit", "--module", module, "--moduleResolution", moduleResolution],
        { cwd: project },
      ).catch((error: { stdout?: string }) => {
        throw new Error(
          `tsc (${moduleResolution}) failed on the consumer:\n${error.stdout ?? String(error)}`,
        );
      });
    }
  }, 60_000);

  it("compiles a CommonJS consumer under module node20 and nodenext and runs it; node16 gives TS1479", async () => {
    const tsc = join(project, "node_modules", "typescript", "bin", "tsc");
    const cjs = join(project, "cjs");
    await mkdir(cjs, { recursive: true });
    await writeFile(join(cjs, "package.json"), JSON.stringify({ type: "commonjs" }));
    await writeFile(
      join(cjs, "index.ts"),
      'import { createNodeMiddleware } from "graph-comms-kit/notifications";\nconsole.log(typeof createNodeMiddleware);\n',
    );
    const compile = (module: string) =>
      run(
        process.execPath,
        [tsc, "--module", module, "--moduleResolution", "nodenext", "--target", "es2022", "--strict"].concat([
          "--skipLibCheck",
          "--types",
          "node",
          "--outDir",
          join(cjs, module),
          join(cjs, "index.ts"),
        ]),
        { cwd: cjs },
      ).then(
        () => "",
        (error: { stdout?: string }) => error.stdout ?? String(error),
      );
    for (const module of ["node20", "nodenext"]) {
      expect(await compile(module), module).toBe("");
      const { stdout } = await run(process.execPath, [join(cjs, module, "index.js")], { cwd: cjs });
      expect(stdout.trim()).toBe("function");
    }
    expect(await compile("node16")).toMatch(/error TS1479/);
  }, 90_000);

  it("ships the graph-comms-mock bin, which explains itself and says how to install the missing Prism", async () => {
    const manifest = JSON.parse(
      await readFile(join(project, "node_modules", "graph-comms-kit", "package.json"), "utf8"),
    ) as { bin: Record<string, string> };
    const bin = join(
      project,
      "node_modules",
      "graph-comms-kit",
      manifest.bin["graph-comms-mock"] ?? "missing",
    );
    expect(packedFiles).toContain(manifest.bin["graph-comms-mock"]);
    const help = await run(process.execPath, [bin, "--help"], { cwd: project });
    expect(help.stdout).toMatch(/--port/);
    expect(help.stdout).toMatch(/--callback-url/);
    // Prism is an optional peer the consumer has not installed here.
    const missing = await run(process.execPath, [bin, "--port", "0"], { cwd: project }).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/@stoplight\/prism-cli/);
  }, 60_000);

  it("loads with require() too (Node's require of ES modules, from 20.19 / 22.12)", async () => {
    const stdout = await nodeInConsumer(
      "-e",
      'const entries = ["graph-comms-kit", "graph-comms-kit/notifications", "graph-comms-kit/mocks"].map((name) => require(name)); console.log(JSON.stringify([typeof entries[0].createCallsClient, typeof entries[1].createNotificationHandler, typeof entries[2].createGraphHandlers]))',
    );
    expect(JSON.parse(stdout)).toEqual(["function", "function", "function"]);
  }, 30_000);

  it("exposes graph-comms-kit/mocks/prism (Node only) with startPrism", async () => {
    const stdout = await nodeInConsumer(
      "--input-type=module",
      "-e",
      'const m = await import("graph-comms-kit/mocks/prism"); console.log(typeof m.startPrism)',
    );
    expect(stdout.trim()).toBe("function");
  }, 30_000);
});
