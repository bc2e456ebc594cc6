/** The one rule for where the kit may send a bearer token or fetch signing keys: https, or http on loopback. */
import { checkType, fail } from "./check.ts";

/**
 * Whether `url` is `https:`, or `http:` on a loopback host (`localhost`, `127.0.0.0/8`, `[::1]`),
 * which mocks and tests use. `URL` has already normalised the host (`127.1`, `0x7f.0.0.1` and
 * `LOCALHOST` arrive spelt `127.0.0.1` and `localhost`), so a pattern on `hostname` is exact.
 */
export function isHttpsOrLoopback(url: URL): boolean {
  return url.protocol === "https:" || (url.protocol === "http:" && isLoopback(url));
}

/** Whether `url` names this machine: `localhost`, `127.0.0.0/8` or `[::1]` (hosts `URL` has normalised). */
export function isLoopback(url: URL): boolean {
  return /^(localhost|127(\.\d+){3}|\[::1\])$/.test(url.hostname);
}

/**
 * Checks an option naming where signing keys come from (a string or a `URL`): absolute, and
 * {@link isHttpsOrLoopback}, since keys fetched over plain http would let anyone on the path sign
 * tokens. The receiver and the testing kit both take such a URL, so they check it one way.
 */
export function checkKeysUrl(argument: string, value: unknown): URL {
  const text = value instanceof URL ? value.href : checkType<string>(argument, value, "string");
  const url = URL.parse(text);
  if (url === null) fail(argument, `must be an absolute URL, got ${JSON.stringify(text)}`);
  if (!isHttpsOrLoopback(url))
    fail(argument, `must be https: (http: only on a loopback host), got ${url.href}`);
  return url;
}
