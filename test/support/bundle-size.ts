/** Bundle size of a module, minified and compressed: the size-budget test and `bench:client` both measure with it. */
import { brotliCompressSync, gzipSync } from "node:zlib";
import { build } from "esbuild";

/** The budget for the client entry, openapi-fetch (its createClient included) minified and gzipped. */
export const clientEntryBudgetBytes = 8.5 * 1024;

export interface SizeResult {
  name: string;
  minifiedBytes: number;
  gzippedBytes: number;
  brotliBytes: number;
}

/** Bundles `contents` (a module's source, resolved from the project root) with esbuild, minified, and measures it. */
export async function bundle(
  name: string,
  contents: string,
  platform: "browser" | "node",
): Promise<SizeResult> {
  const result = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform,
    write: false,
    logLevel: "silent",
    external: platform === "node" ? ["node:*"] : [],
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return {
    name,
    minifiedBytes: code.byteLength,
    gzippedBytes: gzipSync(code, { level: 9 }).byteLength,
    brotliBytes: brotliCompressSync(code).byteLength,
  };
}
