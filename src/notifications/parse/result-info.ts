import type { components } from "../../../generated/schema.d.ts";
import type { ResultInfo } from "./notification.ts";

type RawResultInfo = components["schemas"]["resultInfo"];

const decimal = /^-?\d{1,15}$/;

/** Normalises `resultInfo` (or 2018's `errorInfo`): `subCode` read as `subcode`, decimal-string codes as integers. */
export function normalizeResultInfo(raw: RawResultInfo | null | undefined): ResultInfo | undefined {
  // `resultInfo: null` is printed in Graph's v1.0 docs (call-record.md): no outcome details.
  if (raw === undefined || raw === null) return undefined;
  const info: ResultInfo = {};
  const code = toCode(raw.code);
  const subcode = toCode(raw.subcode ?? raw.subCode);
  if (code !== undefined) info.code = code;
  if (subcode !== undefined) info.subcode = subcode;
  if (raw.message !== undefined && raw.message !== null) info.message = raw.message;
  return info;
}

function toCode(code: number | string | undefined): number | string | undefined {
  if (typeof code === "string" && decimal.test(code.trim())) return Number(code.trim());
  return code;
}
