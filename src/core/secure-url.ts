import { checkType, fail } from "./check.ts";

/** The one rule for where the kit sends a token or fetches keys: `https:`, or `http:` on loopback (mocks, tests). */
export function isHttpsOrLoopback(url: URL): boolean {
  return url.protocol === "https:" || (url.protocol === "http:" && isLoopback(url));
}

/** Whether `url` names this machine; exact, as `URL` has normalised the host (`127.1` → `127.0.0.1`). */
export function isLoopback(url: URL): boolean {
  return /^(localhost|127(\.\d+){3}|\[::1\])$/.test(url.hostname);
}

/** Checks a signing-keys URL option: absolute and {@link isHttpsOrLoopback}, as keys over plain http could be forged. */
export function checkKeysUrl(argument: string, value: unknown): URL {
  const text = value instanceof URL ? value.href : checkType<string>(argument, value, "string");
  const url = URL.parse(text);
  if (url === null) fail(argument, `must be an absolute URL, got ${JSON.stringify(text)}`);
  if (!isHttpsOrLoopback(url))
    fail(argument, `must be https: (http: only on a loopback host), got ${url.href}`);
  return url;
}
