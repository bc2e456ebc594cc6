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
 * tools (msw and openapi-msw, the optional peers; typescript, @types/node) are linked from this repo's node_modules, so nothing is
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
    for (const name of [
      ...Object.keys(manifest.dependencies),
      "msw",
      "openapi-msw",
      "typescript",
      "@types/node",
    ]) {
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

  it("holds the built entries, the types they import and the bundled spec, and no sources or tests", () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        "package.json",
        "dist/src/client/index.js",
        "dist/src/client/index.d.ts",
        "dist/generated/schema.d.ts",
        "dist/generated/constraints.js",
        "generated/openapi.json",
      ]),
    );
    expect(
      packedFiles.filter((f) => /^(src|test|bench|scripts)\//.test(f) || /\.test(-d)?\.[jt]s$/.test(f)),
    ).toEqual([]);
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

  it("exposes graph-comms-kit/mocks/prism (Node only) with startPrism", async () => {
    const { stdout } = await run(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        'const m = await import("graph-comms-kit/mocks/prism"); console.log(typeof m.startPrism)',
      ],
      { cwd: project },
    );
    expect(stdout.trim()).toBe("function");
  }, 30_000);
});
