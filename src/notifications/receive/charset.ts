import { parse } from "content-type";
import { isJsonMediaType } from "../../core/json-media-type.ts";

/**
 * The charsets a notification body may be in, by their WHATWG encoding names. UTF-8 is what Graph
 * sends today; a 2018 notification POST was logged with `charset=Windows-1252`
 * (microsoftgraph/microsoft-graph-comms-samples#23). The WHATWG Encoding Standard, which
 * `TextDecoder` follows, reads the labels ISO-8859-1, Latin-1, US-ASCII and ASCII as Windows-1252
 * too (their bytes mean the same there), so the whole family is accepted with one decoder.
 */
const acceptedEncodings = ["utf-8", "windows-1252"] as const;

/** A charset the notification handler decodes. */
export type BodyEncoding = (typeof acceptedEncodings)[number];

/** What a `Content-Type` says about the body: JSON in a charset we decode, or why not. */
export type BodyMediaType = { ok: true; encoding: BodyEncoding } | { ok: false; problem: string };

/**
 * Reads a notification's `Content-Type`: JSON (`application/json` or a `+json` type), and a
 * `charset` parameter, when there is one, that {@link acceptedEncodings} covers. No charset means
 * UTF-8 (RFC 8259).
 */
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

/** Windows-1252 maps every byte to a character, so decoding cannot fail (no `fatal`). */
const windows1252 = new TextDecoder("windows-1252");

/**
 * The body as the parser takes it: UTF-8 stays bytes (the parser decodes them strictly, so invalid
 * UTF-8 gets its own 400), Windows-1252 becomes text.
 */
export function decodeBody(bytes: Uint8Array, encoding: BodyEncoding): Uint8Array | string {
  return encoding === "utf-8" ? bytes : windows1252.decode(bytes);
}
