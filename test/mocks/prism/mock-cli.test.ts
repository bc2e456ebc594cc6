import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../../src/mocks/index.ts";
import { PrismNotInstalledError, PrismStartError } from "../../../src/mocks/prism/errors.ts";
import { exampleCurl, parseMockCliArgs, runMockCli } from "../../../src/mocks/prism/mock-cli.ts";
import { startPrism } from "../../../src/mocks/prism/prism-launch.ts";
import { resolvePrismEntry } from "../../../src/mocks/prism/prism-resolve.ts";

function captured() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) } };
}

describe("parseMockCliArgs", () => {
  it("defaults to 127.0.0.1:4010 and the bot's default callback URL", () => {
    expect(parseMockCliArgs([], {})).toEqual({
      help: false,
      // Literals, not prismDefaults: the README promises these values.
      host: "127.0.0.1",
      port: 4010,
      callbackUrl: "http://127.0.0.1:3978/api/calls",
      notificationStatus: "completed",
      keysPort: 0,
    });
  });

  it("reads flags, and environment variables when a flag is absent", () => {
    const env = { PORT: "5000", HOST: "localhost", CALLBACK_URL: "http://127.0.0.1:9/cb" };
    expect(parseMockCliArgs(["--port", "4020"], env)).toEqual({
      help: false,
      host: "localhost",
      port: 4020,
      callbackUrl: "http://127.0.0.1:9/cb",
      notificationStatus: "completed",
      keysPort: 0,
    });
    expect(
      parseMockCliArgs(["--host", "::1", "--callback-url", "https://bot.example/api/calls"], {}),
    ).toMatchObject({
      host: "::1",
      callbackUrl: "https://bot.example/api/calls",
      warning: expect.stringMatching(/not a loopback address/),
    });
    expect(parseMockCliArgs(["--notification-status", "failed"], {}).notificationStatus).toBe("failed");
    expect(parseMockCliArgs([], { NOTIFICATION_STATUS: "failed" }).notificationStatus).toBe("failed");
  });

  it.each([
    [["--port", "abc"], {}, /--port must be a whole number from 0 to 65535, got "abc"/],
    [["--port", "65536"], {}, /--port must be a whole number/],
    [["--port", "-1"], {}, /--port/],
    [[], { PORT: "4o10" }, /PORT must be a whole number/],
    [["--host", "not a host"], {}, /--host must be an IP address or a host name/],
    [["--callback-url", "localhost:3978"], {}, /--callback-url must (be an absolute|use http)/],
    [[], { CALLBACK_URL: "ftp://x" }, /CALLBACK_URL must use http or https/],
    [["--nope"], {}, /^--nope is not a flag of graph-comms-mock; flags: --host/],
    [["--prot", "4010"], {}, /^--prot is not a flag of graph-comms-mock \(did you mean --port\?\)/],
    [["--callback-ulr", "x"], {}, /did you mean --callback-url\?/],
    [["--port"], {}, /^--port needs a value/],
    [["extra"], {}, /positional/i],
    [["--notification-status", "done"], {}, /--notification-status must be "completed" or "failed"/],
    [
      ["--callback-url", "http://127.0.0.1:3978/api/calls?t={$request.header.authorization}"],
      {},
      /--callback-url must not contain \{ or \}: Prism evaluates/,
    ],
  ])("rejects %j %j with a clear message", (argv, env, message) => {
    expect(() => parseMockCliArgs(argv, env)).toThrow(InvalidArgumentError);
    expect(() => parseMockCliArgs(argv, env)).toThrow(message);
  });
});

describe("runMockCli failures that need no Prism", () => {
  const empty = mkdtempSync(join(tmpdir(), "no-prism-"));
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  it("exits 2 on a bad flag, with the problem and the usage", async () => {
    const { out, err, io } = captured();
    expect(await runMockCli(["--port", "http"], {}, io)).toBe(2);
    expect(err.join("")).toMatch(/--port must be a whole number[\s\S]*Usage: graph-comms-mock/);
    expect(out).toEqual([]);
  });

  it("prints the usage for --help and exits 0", async () => {
    const { out, io } = captured();
    expect(await runMockCli(["--help"], {}, io)).toBe(0);
    expect(out.join("")).toMatch(/--callback-url URL/);
  });

  it("exits 1 saying how to install Prism when it is missing", async () => {
    const { err, io } = captured();
    expect(await runMockCli(["--port", "0"], {}, { ...io, launch: { searchDirs: [empty] } })).toBe(1);
    expect(err.join("")).toMatch(/npm install --save-dev --save-exact @stoplight\/prism-cli@/);
    expect(() => resolvePrismEntry([empty])).toThrow(PrismNotInstalledError);
  });

  it("warns, before starting, when it would listen beyond loopback (--host 0.0.0.0)", async () => {
    const { err, io } = captured();
    expect(
      await runMockCli(["--host", "0.0.0.0", "--port", "0"], {}, { ...io, launch: { searchDirs: [empty] } }),
    ).toBe(1);
    expect(err.join("")).toMatch(
      /^graph-comms-mock: warning: --host 0\.0\.0\.0: the mock listens on every network interface of this machine; it accepts any bearer token/,
    );
    expect(parseMockCliArgs([], { HOST: "192.0.2.10" }).listenWarning).toMatch(
      /^HOST 192\.0\.2\.10: the mock listens on 192\.0\.2\.10, not only this machine/,
    );
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1"]) {
      expect(parseMockCliArgs(["--host", host], {}).listenWarning).toBeUndefined();
    }
    const quiet = captured();
    await runMockCli(["--port", "0"], {}, { ...quiet.io, launch: { searchDirs: [empty] } });
    expect(quiet.err.join("")).not.toMatch(/warning/);
  });

  it("exits 1 naming the port when it is taken", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { err, io } = captured();
      expect(await runMockCli(["--port", String(port)], {}, io)).toBe(1);
      expect(err.join("")).toMatch(new RegExp(`port ${port} on 127.0.0.1 is already in use`));
      await expect(startPrism({ port })).rejects.toBeInstanceOf(PrismStartError);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it("rejects bad launch options before starting anything", async () => {
    await expect(startPrism({ port: 1.5 })).rejects.toThrow(/port must be a whole number/);
    await expect(startPrism({ host: "a b" })).rejects.toThrow(/host must be an IP address/);
    await expect(startPrism({ callbackUrl: "nope" })).rejects.toThrow(/callbackUrl must be an absolute/);
    await expect(startPrism({ readyTimeoutMs: 0 })).rejects.toThrow(
      /options.readyTimeoutMs must be a number >= 1/,
    );
  });
});

describe("exampleCurl", () => {
  it("is a curl of the current path with the spec's example call id and body", () => {
    const curl = exampleCurl("http://127.0.0.1:4010");
    expect(curl).toMatch(
      /^curl -i -X POST 'http:\/\/127\.0\.0\.1:4010\/communications\/calls\/[0-9a-f-]{36}\/cancelMediaProcessing'/,
    );
    expect(curl).toContain("-H 'Authorization: Bearer any-token'");
    expect(curl).toMatch(/-d '\{"clientContext":"[^']+"\}'$/);
  });
});
