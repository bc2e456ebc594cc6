/** The one rule for where the kit may send a bearer token or fetch signing keys: https, or http on loopback. */

/**
 * Whether `url` is `https:`, or `http:` on a loopback host (`localhost`, `127.0.0.0/8`, `[::1]`),
 * which mocks and tests use. `URL` has already normalised the host (`127.1`, `0x7f.0.0.1` and
 * `LOCALHOST` arrive spelt `127.0.0.1` and `localhost`), so a pattern on `hostname` is exact.
 */
export function isHttpsOrLoopback(url: URL): boolean {
  return (
    url.protocol === "https:" ||
    (url.protocol === "http:" && /^(localhost|127(\.\d+){3}|\[::1\])$/.test(url.hostname))
  );
}
