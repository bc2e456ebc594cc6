/**
 * `graph-comms-kit/mocks/prism` (Node only): Prism's mock server on the bundled spec, as run by
 * `npm start` and the `graph-comms-mock` command.
 */

export { MockOptionError } from "../mock-option-error.ts";
export { exampleCurl, type MockCliSettings, mockCliUsage, parseMockCliArgs, runMockCli } from "./mock-cli.ts";
export {
  type PrismLaunchOptions,
  prismDefaults,
  type RunningPrism,
  startPrism,
} from "./prism-launch.ts";
export { PrismNotInstalledError } from "./prism-not-installed-error.ts";
export { resolvePrismEntry } from "./prism-resolve.ts";
export { type PrismSpecOptions, preparePrismSpec } from "./prism-spec.ts";
export { PrismStartError } from "./prism-start-error.ts";
