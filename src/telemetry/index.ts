/**
 * `graph-comms-kit/telemetry`: OpenTelemetry spans and metrics for the calls client, the
 * notification handler and the operation tracker. Needs `@opentelemetry/api` (an optional peer
 * dependency); the other entries never load it.
 *
 * @example
 * import { createTelemetry } from "graph-comms-kit/telemetry";
 * const telemetry = createTelemetry({ route: "/api/calls" });
 * const client = createCallsClient({ token, telemetry });
 *
 * @packageDocumentation
 */
export { createTelemetry, type Telemetry, type TelemetryOptions } from "./telemetry.ts";
