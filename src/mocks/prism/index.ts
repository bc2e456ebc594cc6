/**
 * `graph-comms-kit/mocks/prism` (Node only): Prism's mock server on the bundled spec, as run by
 * `npm start` and the `graph-comms-mock` command.
 */

export { MockOptionError } from "../errors.ts";
export { PrismNotInstalledError, PrismStartError } from "./errors.ts";
export { exampleCurl, type MockCliSettings, mockCliUsage, parseMockCliArgs, runMockCli } from "./mock-cli.ts";
export {
  type PrismLaunchOptions,
  prismDefaults,
  type RunningPrism,
  startPrism,
} from "./prism-launch.ts";
export { resolvePrismEntry } from "./prism-resolve.ts";
export { type PrismSpecOptions, preparePrismSpec } from "./prism-spec.ts";
