/**
 * `graph-comms-kit/mocks/prism` (Node only): Prism's mock server on the bundled spec, as run by
 * `npm start` and the `graph-comms-mock` command.
 */

export { InvalidArgumentError } from "../../core/errors.ts";
export { MocksError } from "../errors.ts";
export type { PrismNotificationStatus } from "./callback-options.ts";
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
