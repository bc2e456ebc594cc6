/**
 * `npm run docs`: renders `spec/openapi.yaml` to one self-contained HTML page with Redoc
 * (`redocly build-docs --inlineBundle`), by default `docs/index.html`, and the TypeScript API
 * reference of the package's entries with TypeDoc (`typedoc.json`) into `api/` beside it; the page
 * links to it. The page loads nothing from the network: Redoc's script is inlined, Redocly's
 * telemetry is off, its attribution logo is inlined, and a Content-Security-Policy forbids any
 * other load (`scripts/docs-template.hbs`, styles in `scripts/docs-page.css`).
 *
 * The introduction is the spec's own `info.description`, followed by a walkthrough of the 2018 beta page's
 * example exchange (request, `202` + `Location`, notification, correlation) built here from the
 * spec's examples, so the page cannot drift from the contract.
 *
 * Usage: `npm run docs [-- --output <file>]`
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs, promisify } from "node:util";
import { parse as parseYaml } from "yaml";
import { defaultCallsPath } from "../src/core/call-paths.ts";
import { escapePointerKey, readPointer } from "../src/core/json-pointer.ts";
import { parseOperationPath } from "../src/core/operation-path.ts";
import { DocsError } from "./docs-error.ts";
import { projectRoot, redocly, specPath } from "./project-paths.ts";

const run = promisify(execFile);
const defaultOutput = join(projectRoot, "docs/index.html");
const templatePath = join(projectRoot, "scripts/docs-template.hbs");
const stylesPath = join(projectRoot, "scripts/docs-page.css");
const typedoc = join(projectRoot, "node_modules/.bin/typedoc");

/** The API reference's folder, beside the page (the page links to `api/index.html`). */
export const apiFolder = "api";

/** The bot's callback URL in the 2018 beta page's notification example (the spec has no field for it). */
const callbackUrl2018 = "https://bot.contoso.com/api/calls";

/** Redoc options: show every example sample and schema level expanded enough to read without clicking. */
const redocOptions = { jsonSamplesExpandLevel: "all", schemasExpansionLevel: 2, hideDownloadButtons: false };

/** Redocly's attribution, drawn inline: Redoc loads its logo from Redocly's CDN, a request the page must not make. */
const attributionLogo = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="56" height="16" viewBox="0 0 56 16">' +
    '<text x="0" y="12" font-family="sans-serif" font-size="12" font-weight="bold" fill="#c33c54">Redocly</text></svg>',
)}`;

/** A change to Redoc's inlined script that the page needs, and how many places it must change. */
interface ScriptPatch {
  what: string;
  pattern: RegExp;
  replacement: string;
}

/**
 * What the page changes in Redoc 3's inlined script (@redocly/cli is pinned; an upgrade that moves
 * either spot fails the build by name instead of quietly bringing the problem back).
 */
const scriptPatches: readonly ScriptPatch[] = [
  {
    what: "the attribution logo Redoc loads from cdn.redoc.ly",
    pattern: /https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g,
    replacement: attributionLogo,
  },
  {
    // Redoc 3 has no option to open a tag's sidebar group: the operations were hidden behind a click on "calls".
    what: "the sidebar's tag groups, opened on load",
    pattern: /(\.push\(\{type:`group`,)(label:\w+,link:\w+,routeSlug:\w+,items:\w+,)/g,
    replacement: "$1expanded:`true`,$2",
  },
  {
    // Redoc cuts scopes to 24 characters: the app token's one scope read "https://graph.microsoft.com/.def...".
    what: "the cut of long scope names to 24 characters",
    pattern: /function (\w+)\((\w+),(\w+)\)\{return \w+\(\2,\3\)\?`\$\{\2\.slice\(0,\3\)\}\.\.\.`:\2\}/g,
    replacement: "function $1($2,$3){return $2}",
  },
];

/** Applies {@link scriptPatches} to the built page, or fails naming the one that no longer applies. */
export function patchRedocScript(html: string): string {
  let patched = html;
  for (const { what, pattern, replacement } of scriptPatches) {
    if (!pattern.test(patched)) {
      throw new DocsError(
        `Redoc's inlined script changed: ${what} was not found (was @redocly/cli upgraded? update scripts/docs.ts)`,
      );
    }
    pattern.lastIndex = 0;
    patched = patched.replace(pattern, replacement);
  }
  return patched;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The value at a JSON pointer of the spec, or a {@link DocsError} naming the pointer. */
function at(document: Json, pointer: string): Json {
  const node = readPointer(document, pointer) as Json | undefined;
  if (node === undefined) throw new DocsError(`spec/openapi.yaml has nothing at ${pointer}`);
  return node;
}

function atString(document: Json, pointer: string): string {
  const value = at(document, pointer);
  if (typeof value !== "string") throw new DocsError(`spec/openapi.yaml: ${pointer} must be a string`);
  return value;
}

/** The call id and operation id of an operation path as spelled there, as two table cells. */
function idCells(pathOrUrl: string): string {
  const [, callId = "?", operationId = "?"] = /\/calls\/([^/]+)\/operations\/([^/?#]+)/.exec(pathOrUrl) ?? [];
  return `\`${callId}\` | \`${operationId}\``;
}

function jsonBlock(value: Json): string {
  return JSON.stringify(value, null, 2);
}

/** The walkthrough appended to `info.description`: the 2018 beta page's exchange, step by step, from the spec's examples. */
function walkthrough2018(spec: Json): string {
  const path = defaultCallsPath; // the 2018 beta page's path
  const server = atString(spec, `#/paths/${escapePointerKey(path)}/servers/0/url`);
  const callId = atString(spec, "#/components/parameters/callId/example");
  const request = at(spec, "#/components/examples/beta2018Request/value");
  const location = atString(spec, "#/components/examples/beta2018Location/value");
  const notification = at(spec, "#/components/examples/beta2018Notification/value");
  const resource = atString(spec, "#/components/examples/beta2018Notification/value/value/0/resource");
  const status = atString(
    spec,
    "#/components/examples/beta2018Notification/value/value/0/resourceData/status",
  );
  const maxLength = at(spec, "#/components/schemas/clientContext/maxLength");

  const started = parseOperationPath(location);
  const finished = parseOperationPath(resource);
  if (!started || !finished) {
    throw new DocsError(
      "spec/openapi.yaml: the 2018 beta Location or notification resource names no operation",
    );
  }
  if (started.callId !== finished.callId || started.operationId !== finished.operationId) {
    throw new DocsError(
      "spec/openapi.yaml: the 2018 beta notification does not name the operation in the 2018 beta Location " +
        `(${started.callId}/${started.operationId} vs ${finished.callId}/${finished.operationId})`,
    );
  }

  return `
## Walkthrough: the 2018 beta page's example, end to end

The 2018 page's own example exchange, as the spec's examples hold it.

**1. The bot asks Graph to cancel media processing** on call \`${callId}\`:

\`\`\`http
POST ${server}${path.replace("{callId}", callId)}
Authorization: Bearer <app token>
Content-Type: application/json

${jsonBlock(request)}
\`\`\`

\`all: true\` stops every in-progress PlayPrompt and Record operation (\`false\`: only the current one);
\`clientContext\` (at most ${String(maxLength)} characters) comes back in the notification.

**2. Graph answers at once** with the operation it created, by \`Location\`:

\`\`\`http
HTTP/1.1 202 Accepted
Location: ${location}
\`\`\`

(Present-day Graph answers \`200 OK\` with the same \`Location\` and the operation as the body, on \`/communications/...\` and on the deprecated beta \`/app/...\`.)

**3. Later, Graph POSTs the outcome** to the bot's callback URL, signed with a bearer JWT
(see the \`commsNotifications\` callback and webhook):

\`\`\`http
POST ${callbackUrl2018}
Authorization: Bearer <JWT signed by Microsoft>
Content-Type: application/json

${jsonBlock(notification)}
\`\`\`

**4. The bot correlates** the notification with step 2 by call id and operation id. The spellings differ,
the ids are the same:

| | call id | operation id |
|---|---|---|
| \`Location\` (step 2) | ${idCells(location)} |
| notification \`resource\` (step 3) | ${idCells(resource)} |
| normalised (what to compare) | \`${started.callId}\` | \`${started.operationId}\` |

The operation's status is \`${status}\`: final, so no further notification comes for it.
`;
}

/**
 * Redoc renders an empty "Callbacks" section when a callback's path item is a `$ref` (the spec
 * points `components.callbacks.commsNotifications` at `#/webhooks/commsNotifications`), so the
 * page gets a copy of the referenced path item instead.
 */
function inlineCallbackPathItems(spec: Json): void {
  const components = at(spec, "#/components");
  const callbacks =
    components !== null && typeof components === "object" && !Array.isArray(components)
      ? components.callbacks
      : undefined;
  if (
    callbacks === undefined ||
    callbacks === null ||
    typeof callbacks !== "object" ||
    Array.isArray(callbacks)
  )
    return;
  for (const callback of Object.values(callbacks)) {
    if (callback === null || typeof callback !== "object" || Array.isArray(callback)) continue;
    for (const [expression, pathItem] of Object.entries(callback)) {
      if (pathItem === null || typeof pathItem !== "object" || Array.isArray(pathItem)) continue;
      const ref = pathItem.$ref;
      if (typeof ref === "string" && ref.startsWith("#/"))
        callback[expression] = structuredClone(at(spec, ref));
    }
  }
}

/** The spec as the page shows it: the walkthrough appended to its introduction, callbacks inlined. */
async function specForDocs(): Promise<Json> {
  const text = await readFile(specPath, "utf8").catch((error: unknown) => {
    throw new DocsError(`cannot read ${specPath}: ${(error as Error).message}`);
  });
  let spec: Json;
  try {
    spec = parseYaml(text) as Json;
  } catch (error) {
    throw new DocsError(`spec/openapi.yaml is not valid YAML: ${(error as Error).message}`);
  }
  const info = at(spec, "#/info");
  if (info === null || typeof info !== "object" || Array.isArray(info)) {
    throw new DocsError("spec/openapi.yaml: info must be an object");
  }
  info.description = `${apiReferenceNote}\n\n${atString(spec, "#/info/description").trimEnd()}\n${walkthrough2018(spec)}`;
  inlineCallbackPathItems(spec);
  return spec;
}

/** The first lines of the introduction: where the TypeScript side of the contract is documented. */
const apiReferenceNote =
  `**TypeScript API reference:** [${apiFolder}/index.html](${apiFolder}/index.html), generated from the JSDoc of ` +
  "the package's entries (`graph-comms-kit`, `/notifications`, `/mocks`, `/mocks/prism`).";

/**
 * Fails when the page would load code or styles from elsewhere: a script, stylesheet, preload, module or CSS import.
 *
 * @example
 * assertSelfContained(await readFile("docs/index.html", "utf8"));
 */
export function assertSelfContained(html: string): void {
  const external = [
    /<script[^>]+\bsrc=/i,
    /<link[^>]+\bhref=["']?(?:https?:)?\/\//i,
    /@import\s+url\(\s*["']?(?:https?:)?\/\//i,
    /\bimport\s*\{[^}]*\}\s*from\s*["']https?:/i,
    /\bsrc\s*[:=]\s*["'`](?:https?:)?\/\//i,
  ].find((pattern) => pattern.test(html));
  if (external) throw new DocsError(`the built page is not self-contained (it matches ${external})`);
  if (!html.includes("hydrate("))
    throw new DocsError("the built page does not contain Redoc's inlined script");
}

/** Redocly's page template with the page's styles inlined (the CLI takes a template file, not styles). */
async function pageTemplate(work: string): Promise<string> {
  const [template, styles] = await Promise.all([
    readFile(templatePath, "utf8"),
    readFile(stylesPath, "utf8"),
  ]);
  if (!template.includes("/* docs-page.css */")) {
    throw new DocsError(`${templatePath} has lost its /* docs-page.css */ marker`);
  }
  const file = join(work, "template.hbs");
  await writeFile(
    file,
    template.replace("/* docs-page.css */", () => styles),
  );
  return file;
}

/** The environment for Redocly's CLI: no telemetry, no update notices. */
const quietRedocly = {
  ...process.env,
  REDOCLY_TELEMETRY: "off",
  REDOCLY_SUPPRESS_NOTIFICATIONS: "true",
  REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
};

/** What {@link buildDocs} wrote. */
export interface BuiltDocs {
  /** The Redoc page. */
  page: string;
  /** The API reference's start page, `api/index.html` beside the page. */
  apiReference: string;
  /** What TypeDoc reported (its warnings name public types that refer to types the package does not export). */
  typedocLog: string;
}

/**
 * Builds the docs page from the spec and the API reference from the package's entries, and returns
 * the paths written.
 *
 * @example
 * const { page, apiReference } = await buildDocs("docs/index.html"); // docs/index.html, docs/api/index.html
 */
export async function buildDocs(output: string): Promise<BuiltDocs> {
  const target = resolve(output);
  const spec = await specForDocs();
  const title = `${atString(spec, "#/info/title")} · graph-comms-kit`;
  const work = await mkdtemp(join(tmpdir(), "gck-docs-"));
  try {
    const input = join(work, "openapi.json");
    await writeFile(input, JSON.stringify(spec));
    await mkdir(dirname(target), { recursive: true });
    const args = ["build-docs", input, "--inlineBundle", "--output", target, "--title", title];
    args.push("--template", await pageTemplate(work), "--openapi", JSON.stringify(redocOptions));
    await run(redocly, args, { cwd: projectRoot, maxBuffer: 16 * 1024 * 1024, env: quietRedocly }).catch(
      (error: unknown) => {
        const { stderr, stdout, message } = error as { stderr?: string; stdout?: string; message: string };
        throw new DocsError(`redocly build-docs failed: ${stderr || stdout || message}`);
      },
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const html = patchRedocScript(await readFile(target, "utf8"));
  assertSelfContained(html);
  await writeFile(target, html);
  const apiDir = join(dirname(target), apiFolder);
  const typedocLog = await buildApiReference(apiDir);
  return { page: target, apiReference: join(apiDir, "index.html"), typedocLog };
}

/** Runs TypeDoc with `typedoc.json` into `out` and returns what it printed; a TypeDoc error fails the build. */
async function buildApiReference(out: string): Promise<string> {
  await rm(out, { recursive: true, force: true });
  const { stdout, stderr } = await run(typedoc, ["--options", "typedoc.json", "--out", out], {
    cwd: projectRoot,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  }).catch((error: unknown) => {
    const { stderr, stdout, message } = error as { stderr?: string; stdout?: string; message: string };
    throw new DocsError(`typedoc failed: ${stdout || ""}${stderr || message}`);
  });
  return `${stdout}${stderr}`.trim();
}

async function main(): Promise<void> {
  let values: { output?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      options: { output: { type: "string", short: "o" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new DocsError(`${(error as Error).message}\nUsage: npm run docs [-- --output <file>]`);
  }
  if (values.help) {
    console.log("Usage: npm run docs [-- --output <file>]   (default: docs/index.html)");
    return;
  }
  if (values.output !== undefined && values.output.trim() === "") {
    throw new DocsError("--output needs a file path, such as docs/index.html");
  }
  const built = await buildDocs(values.output ?? defaultOutput);
  if (built.typedocLog) console.log(built.typedocLog);
  console.log(`docs: wrote ${built.page} (self-contained; open it in a browser, no network needed)`);
  console.log(`docs: wrote ${built.apiReference} (the TypeScript API reference the page links to)`);
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  main().catch((error: unknown) => {
    console.error(`docs: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
