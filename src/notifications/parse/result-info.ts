import type { components } from "../../../generated/schema.d.ts";
import type { ResultInfo } from "./notification.ts";

/** `resultInfo` (or the 2018 `errorInfo`) as Graph sends it. */
export type ResultInfoBody = components["schemas"]["resultInfo"];

const decimal = /^-?\d{1,15}$/;

/**
 * Normalises Graph's `resultInfo` (current) or `errorInfo` (2018): `subCode` is read as `subcode`,
 * and codes written as decimal strings become integers; other strings are kept as they are.
 */
export function normalizeResultInfo(raw: ResultInfoBody | null | undefined): ResultInfo | undefined {
  // `resultInfo: null` is printed in Graph's v1.0 docs (call-record.md): no outcome details.
  if (raw === undefined || raw === null) return undefined;
  const info: ResultInfo = {};
  const code = toCode(raw.code);
  const subcode = toCode(raw.subcode ?? raw.subCode);
  if (code !== undefined) info.code = code;
  if (subcode !== undefined) info.subcode = subcode;
  if (typeof raw.message === "string") info.message = raw.message;
  return info;
}

/** A code as an integer where it is a decimal string; a value of another type (an unchecked answer's) is dropped. */
function toCode(code: unknown): number | string | undefined {
  if (typeof code === "string" && decimal.test(code.trim())) return Number(code.trim());
  return typeof code === "number" || typeof code === "string" ? code : undefined;
}
