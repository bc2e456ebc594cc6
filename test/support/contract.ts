import { requestBodyFields } from "../../generated/constraints.ts";

/**
 * `components.schemas.clientContext.maxLength` in the spec, as the generated body rules carry it
 * (the same on every path), for tests that probe the limit.
 */
export const clientContextMaxLength =
  requestBodyFields["/communications/calls/{callId}/cancelMediaProcessing"].clientContext.maxLength;
