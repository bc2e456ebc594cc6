/** Measurement 3: bundle size, minified and gzipped, of the client entry (openapi-fetch included) and of peers. */
import { brotliCompressSync, gzipSync } from "node:zlib";
import { build } from "esbuild";

/** The budget for the client entry, openapi-fetch (its createClient included) minified and gzipped: 5 kB until createGraphClient exported createClient. */
export const clientEntryBudgetBytes = 8 * 1024;

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

export async function measureSizes(): Promise<SizeResult[]> {
  return [
    await bundle("graph-comms-kit (client entry)", 'export * from "./src/client/index.ts";', "browser"),
    await bundle("openapi-fetch alone", 'export { default } from "openapi-fetch";', "browser"),
    await bundle("openapi-fetch parts we use", 'export { createFinalURL } from "openapi-fetch";', "browser"),
    await bundle("graph-client (browser)", 'export * from "@microsoft/microsoft-graph-client";', "browser"),
    await bundle("graph-client (node)", 'export * from "@microsoft/microsoft-graph-client";', "node"),
  ];
}
