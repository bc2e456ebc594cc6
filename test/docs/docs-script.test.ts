/** `scripts/docs.ts` (`npm run docs`): its offline guarantee and its answers to bad flags. */
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { assertSelfContained, patchRedocScript } from "../../scripts/docs.ts";
import { copyProject, type ProjectCopy } from "../support/project-copy.ts";
import { runScript } from "../support/run-script.ts";

const root = resolve(import.meta.dirname, "../..");

/** Runs the docs script in this checkout with `args`. */
const docsScript = (...args: string[]) => runScript(root, "docs.ts", ...args);

const inlinePage = `<html><head><style>body{margin:0}</style></head><body><div id="redoc"></div>
<script type="module">function hydrate(){} hydrate(definition, options, document.getElementById('redoc'));</script></body></html>`;

describe("assertSelfContained", () => {
  it("accepts a page whose Redoc script is inlined", () => {
    expect(() => assertSelfContained(inlinePage)).not.toThrow();
  });

  it.each([
    [
      "a module import from a CDN",
      `<script type="module">import { hydrate } from "https://cdn.redocly.com/redoc/v3.0.1/bundles/redoc.standalone.js"; hydrate();</script>`,
    ],
    [
      "a module preload",
      `<link rel="modulepreload" href="https://cdn.redocly.com/redoc/v3/redoc.standalone.js" />${inlinePage}`,
    ],
    ["an external script", `<script src="https://cdn.example.com/redoc.js"></script>${inlinePage}`],
    [
      "a protocol-relative stylesheet",
      `<link rel="stylesheet" href="//fonts.example.com/x.css">${inlinePage}`,
    ],
    ["a CSS import", `<style>@import url("https://fonts.example.com/x.css");</style>${inlinePage}`],
    ["an image from a CDN", `<img src="https://cdn.example.com/logo.svg">${inlinePage}`],
    [
      "a script that sets an image source on a CDN",
      `<script>img({ src: \`https://cdn.redoc.ly/redoc/logo-mini.svg\` })</script>${inlinePage}`,
    ],
  ])("rejects %s", (_what, html) => {
    expect(() => assertSelfContained(html)).toThrow(/not self-contained/);
  });

  it("rejects a page without Redoc's inlined script", () => {
    expect(() => assertSelfContained("<html><body>empty</body></html>")).toThrow(/inlined script/);
  });
});

describe("patchRedocScript", () => {
  // The three spots of Redoc 3.0.1's inlined script the page changes, as @redocly/cli 2.77.0 writes them.
  const redocSpots =
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Redoc's own minified code, a template literal inside it.
    "function Hde(e,t){return pF(e,t)?`${e.slice(0,t)}...`:e}" +
    "n.push({type:`group`,label:d,link:i,routeSlug:i,items:f,...iV(u)})" +
    "src:e?`https://cdn.redoc.ly/redoc/logo-mini-full.svg`:`https://cdn.redoc.ly/redoc/logo-mini.svg`";

  it("inlines the logo, opens the sidebar groups and stops cutting scopes", () => {
    const patched = patchRedocScript(redocSpots);
    expect(patched).not.toContain("cdn.redoc.ly");
    expect(patched.match(/src:e\?`data:image\/svg\+xml,/g)).toHaveLength(1);
    expect(patched).toContain("n.push({type:`group`,expanded:`true`,label:d,");
    expect(patched).toContain("function Hde(e,t){return e}");
    expect(() => assertSelfContained(`${patched}hydrate(`)).not.toThrow();
  });

  it.each([
    ["the attribution logo", "cdn.redoc.ly", "cdn.example.org"],
    ["the sidebar's tag groups", "type:`group`,label", "type:`group`,title"],
    ["the cut of long scope names", "e.slice(0,t)", "e.substring(0,t)"],
  ])("fails by name when Redoc no longer has %s where the page expects it", (what, from, to) => {
    expect(() => patchRedocScript(redocSpots.replaceAll(from, to))).toThrow(
      new RegExp(`Redoc's inlined script changed: ${what}.*@redocly/cli upgraded`),
    );
  });
});

describe("npm run docs flags", { timeout: 30_000 }, () => {
  it("names an unknown flag and shows the usage", async () => {
    const result = await docsScript("--outptu", "x.html");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Unknown option '--outptu'");
    expect(result.stderr).toContain("Usage: npm run docs [-- --output <file>]");
  });

  it("refuses an empty --output", async () => {
    const result = await docsScript("--output", " ");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("--output needs a file path");
  });

  it("prints its usage for --help and writes nothing", async () => {
    const result = await docsScript("--help");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("default: docs/index.html");
    expect(result.stdout).not.toContain("wrote");
  });
});

describe("npm run docs on a spec whose seed examples disagree", { timeout: 60_000 }, () => {
  let copy: ProjectCopy | undefined;

  afterAll(() => copy?.remove());

  it("refuses to build a walkthrough whose notification names another operation", async () => {
    copy = await copyProject("gck-docs-drift-");
    const { dir } = copy;
    const specFile = join(dir, "spec/openapi.yaml");
    const spec = await readFile(specFile, "utf8");
    const seedResource =
      "resource: /app/calls/57DAB8B1894C409AB240BD8BEAE78896/operations/0FE0623FD62842EDB4BD8AC290072CC5";
    expect(spec).toContain(seedResource);
    await writeFile(specFile, spec.replace(seedResource, seedResource.replace("0FE0623F", "1FE0623F")));

    const result = await runScript(dir, "docs.ts", "--output", join(dir, "out/index.html"));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "the 2018 beta notification does not name the operation in the 2018 beta Location",
    );
    expect(result.stderr).toContain("1fe0623f-d628-42ed-b4bd-8ac290072cc5");
  });
});
