/** Why `npm run docs` could not build the page: a bad flag, or a spec the docs cannot be made from. */
export class DocsError extends Error {
  override name = "DocsError";
}
