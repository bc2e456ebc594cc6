#!/usr/bin/env node
/**
 * `graph-comms-mock`: runs Prism's mock of Graph cancelMediaProcessing on graph-comms-kit's
 * bundled spec. `graph-comms-mock --help` lists the flags.
 */
import { runMockCli } from "../mock-cli.ts";

process.exitCode = await runMockCli(process.argv.slice(2), process.env);
