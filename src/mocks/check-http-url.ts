import { fail } from "../core/check.ts";

/**
 * Checks an absolute http(s) URL given as option `option`. Throws `InvalidArgumentError` naming
 * the option otherwise.
 */
export function checkHttpUrl(value: unknown, option: string): URL {
  if (typeof value !== "string" && !(value instanceof URL)) {
    fail(option, `must be an absolute http(s) URL, got ${value === null ? "null" : typeof value}`);
  }
  const url = URL.parse(String(value));
  if (url === null) fail(option, `must be an absolute http(s) URL, got ${JSON.stringify(String(value))}`);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    fail(option, `must use http or https, got ${url.protocol}`);
  }
  return url;
}
