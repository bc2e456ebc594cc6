/**
 * `npm start`: the Prism mock of Graph on 127.0.0.1:4010 (`npm start -- --port N --host H
 * --callback-url URL`, or PORT / HOST / CALLBACK_URL). Same command as the package's
 * `graph-comms-mock` bin.
 */
import { runMockCli } from "../src/mocks/prism/mock-cli.ts";

process.exitCode = await runMockCli(process.argv.slice(2), process.env);
