import { parse } from "content-type";
import { isJsonMediaType } from "../../core/json-media-type.ts";

/** UTF-8, and Windows-1252 (also ISO-8859-1, US-ASCII), which microsoftgraph/microsoft-graph-comms-samples#23 logged. */
const acceptedEncodings = ["utf-8", "windows-1252"] as const;

/** A charset the notification handler decodes. */
export type BodyEncoding = (typeof acceptedEncodings)[number];

/** What a `Content-Type` says about the body: JSON in a charset we decode, or why not. */
export type BodyMediaType = { ok: true; encoding: BodyEncoding } | { ok: false; problem: string };

/** Reads a notification's `Content-Type`: JSON, in an accepted charset (none means UTF-8, RFC 8259). */
export function bodyMediaType(contentType: string | null): BodyMediaType {
  if (contentType === null) return { ok: false, problem: "Content-Type must be application/json, got none" };
  // A sender repeats its Content-Type on every request: the last reading is kept.
  if (contentType === last.contentType) return last.mediaType;
  const mediaType = readMediaType(contentType);
  last = { contentType, mediaType };
  return mediaType;
}

/** The last Content-Type read and what it said (frozen: it is handed to every request that repeats it). */
let last: { contentType: string | undefined; mediaType: BodyMediaType } = {
  contentType: undefined,
  mediaType: { ok: true, encoding: "utf-8" },
};

function readMediaType(contentType: string): BodyMediaType {
  const { type, parameters } = parse(contentType);
  if (!isJsonMediaType(type)) {
    return Object.freeze({ ok: false, problem: `Content-Type must be application/json, got ${contentType}` });
  }
  const charset = parameters.charset;
  if (charset === undefined) return Object.freeze({ ok: true, encoding: "utf-8" });
  const encoding = encodingOf(charset);
  if (encoding === undefined) {
    return Object.freeze({
      ok: false,
      problem: `Content-Type charset ${JSON.stringify(charset)} is not supported; use UTF-8 (Windows-1252, ISO-8859-1 and US-ASCII are accepted too)`,
    });
  }
  return Object.freeze({ ok: true, encoding });
}

/** The WHATWG encoding a charset label names, when it is one we accept. */
function encodingOf(label: string): BodyEncoding | undefined {
  let encoding: string;
  try {
    encoding = new TextDecoder(label).encoding;
  } catch {
    return undefined; // not a label the Encoding Standard knows
  }
  return acceptedEncodings.find((accepted) => accepted === encoding);
}

/** Bytes 0x80-0x9F by the WHATWG Windows-1252 index, mapped here as Node 20's `TextDecoder` reads them as C1 controls. */
const windows1252C1 =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f" +
  "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

/** Windows-1252 maps every byte to a character, so decoding cannot fail (no `fatal`). */
const windows1252 = new TextDecoder("windows-1252");

function decodeWindows1252(bytes: Uint8Array): string {
  return windows1252
    .decode(bytes)
    .replace(/[\u0080-\u009f]/g, (c) => windows1252C1[c.charCodeAt(0) - 0x80] as string);
}

/** The body as the parser takes it: UTF-8 stays bytes (decoded strictly by the parser), Windows-1252 becomes text. */
export function decodeBody(bytes: Uint8Array, encoding: BodyEncoding): Uint8Array | string {
  return encoding === "utf-8" ? bytes : decodeWindows1252(bytes);
}
