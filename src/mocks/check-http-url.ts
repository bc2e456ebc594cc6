import { MockOptionError } from "./errors.ts";

/**
 * Checks an absolute http(s) URL given as option `option`. Throws {@link MockOptionError} naming
 * the option otherwise.
 *
 * @example
 * checkHttpUrl("http://127.0.0.1:3978/api/calls", "--callback-url"); // URL
 */
export function checkHttpUrl(value: string | URL, option: string): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new MockOptionError(
      option,
      `${option} must be an absolute http(s) URL, got ${JSON.stringify(String(value))}`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new MockOptionError(option, `${option} must use http or https, got ${url.protocol}`);
  }
  return url;
}
