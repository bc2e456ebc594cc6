/**
 * CONTRIBUTING's "Adding a Graph action", proven on a copy of the project: one path in the spec (with
 * its `x-graph-action`) and its notification example, then `npm run generate`, and the client has a
 * typed method for it and the MSW mock serves it, with no other edit. The action added is Graph's
 * `subscribeToTone` (v1.0 `call-subscribetotone.md`).
 */
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyProject, type ProjectCopy } from "../support/project-copy.ts";
import { runScript } from "../support/run-script.ts";

const run = promisify(execFile);

const newPath = `  /communications/calls/{callId}/subscribeToTone:
    post:
      tags: [calls]
      operationId: subscribeToTone
      x-graph-action: subscribeToTone
      summary: Subscribe to DTMF tones
      description: Subscribes to the caller's DTMF tones; cancelMediaProcessing does not cancel it.
      parameters:
        - $ref: "#/components/parameters/callId"
      requestBody:
        $ref: "#/components/requestBodies/cancelMediaProcessingCurrent"
      responses:
        "200":
          $ref: "#/components/responses/OperationCreated"
        "400":
          $ref: "#/components/responses/BadRequest"
        default:
          $ref: "#/components/responses/Error"
`;

/** The notification example the mock sends when the new action's operation ends. */
const webhookExample = `              currentSubscribeToTone:
                $ref: "#/components/examples/currentSubscribeToToneNotification"
`;
const notificationExample = `    currentSubscribeToToneNotification:
      summary: A tone subscription ended
      value:
        value:
          - changeType: deleted
            resourceUrl: /communications/calls/57DAB8B1894C409AB240BD8BEAE78896/operations/5C0FFEE15E9F4A0B9C318E2D6F7A1B02
            resourceData:
              "@odata.type": "#microsoft.graph.subscribeToToneOperation"
              status: completed
`;

/** Posts the new action to the kit's MSW mock: prints the status and the spec operation it recorded. */
const mockProbe = `import { setupServer } from "msw/node";
import { createGraphHandlers } from "./src/mocks/index.ts";
const graph = createGraphHandlers({ baseUrl: "https://graph.microsoft.com/v1.0" });
const server = setupServer(...graph.handlers);
server.listen({ onUnhandledRequest: "error" });
const url = "https://graph.microsoft.com/v1.0/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896/subscribeToTone";
const response = await fetch(url, {
  method: "POST",
  headers: { authorization: "Bearer t", "content-type": "application/json" },
  body: JSON.stringify({ clientContext: "ctx" }),
}).catch(() => ({ status: "unhandled" }));
console.log(response.status, graph.requests.map((r) => r.specOperationId).join(","));
server.close();
`;

/** Uses the new method as a user would: typed call, and the URL it POSTs to. */
const probe = `import { createCallsClient } from "./src/client/index.ts";
const client = createCallsClient({
  token: "t",
  path: "/communications/calls/{callId}/cancelMediaProcessing",
  fetch: async (url) => {
    console.log(url);
    return Response.json({ id: "op-1", status: "running" });
  },
});
const op = await client.subscribeToTone("call-1", { clientContext: "ctx" });
console.log(op.status);
`;

async function typecheck(dir: string): Promise<{ code: number; output: string }> {
  try {
    await run(join(dir, "node_modules/.bin/tsc"), ["-p", "probe.tsconfig.json"], { cwd: dir });
    return { code: 0, output: "" };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, output: failed.stdout };
  }
}

describe("adding an action to the spec", { timeout: 180_000 }, () => {
  let copy: ProjectCopy;

  beforeAll(async () => {
    copy = await copyProject("gck-add-action-");
    await writeFile(join(copy.dir, "probe.ts"), probe);
    await writeFile(join(copy.dir, "probe-mock.ts"), mockProbe);
    await writeFile(
      join(copy.dir, "probe.tsconfig.json"),
      JSON.stringify({ extends: "./tsconfig.json", include: ["probe.ts"] }),
    );
  });

  afterAll(() => copy.remove());

  it("gives the client a typed method and the mock a route for it after npm run generate, and nothing else", async () => {
    const tsx = join(copy.dir, "node_modules/.bin/tsx");
    expect((await typecheck(copy.dir)).output).toContain("Property 'subscribeToTone' does not exist");
    expect((await run(tsx, ["probe-mock.ts"], { cwd: copy.dir })).stdout.trim()).toBe("unhandled");

    const specFile = join(copy.dir, "spec/openapi.yaml");
    const spec = await readFile(specFile, "utf8");
    const patched = spec
      .replace("webhooks:\n", `${newPath}webhooks:\n`)
      .replace("              currentPlayPrompt:\n", `${webhookExample}              currentPlayPrompt:\n`)
      .replace(
        "    currentPlayPromptNotification:\n",
        `${notificationExample}    currentPlayPromptNotification:\n`,
      );
    expect(patched.match(/SubscribeToTone/g)).toHaveLength(3); // each insertion found its place
    await writeFile(specFile, patched);
    const generated = await runScript(copy.dir, "generate.ts");
    expect(generated.code, generated.stderr).toBe(0);

    expect(await typecheck(copy.dir)).toEqual({ code: 0, output: "" });
    const { stdout } = await run(tsx, ["probe.ts"], { cwd: copy.dir });
    expect(stdout.trim().split("\n")).toEqual([
      "https://graph.microsoft.com/beta/communications/calls/call-1/subscribeToTone",
      "running",
    ]);
    expect((await run(tsx, ["probe-mock.ts"], { cwd: copy.dir })).stdout.trim()).toBe("200 subscribeToTone");
  });
});
