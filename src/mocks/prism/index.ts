// biome-ignore-all assist/source/organizeImports: exports are grouped by topic under banners, not sorted by path
/**
 * `graph-comms-kit/mocks/prism` (Node only): Prism's mock server on the bundled spec, as run by
 * `npm start` and the `graph-comms-mock` command.
 *
 * @packageDocumentation
 */

// ── Start Prism ────────────────────────────────────────────────────────────────────────────
export type { PrismNotificationStatus } from "./callback-options.ts";
export {
  type PrismLaunchOptions,
  type RunningPrism,
  startPrism,
} from "./prism-launch.ts";
export { type PrismSpecOptions, preparePrismSpec } from "./prism-spec.ts";

// ── Errors ─────────────────────────────────────────────────────────────────────────────────
export { InvalidArgumentError } from "../../core/errors.ts";
export { MocksError } from "../errors.ts";
export { PrismNotInstalledError, PrismStartError } from "./errors.ts";
