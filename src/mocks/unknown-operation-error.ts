/**
 * Thrown by `notify()` when asked about an operation the mock handlers never issued. The message
 * lists the operation ids it did issue.
 *
 * @example
 * await expect(graph.notify("no-such-op", { status: "completed" })).rejects.toBeInstanceOf(UnknownOperationError);
 */
export class UnknownOperationError extends Error {
  override readonly name = "UnknownOperationError";
  /** What the caller passed to name the operation. */
  readonly reference: string;

  constructor(reference: string, issued: readonly string[]) {
    const known = issued.length === 0 ? "none yet" : issued.join(", ");
    super(`the mock issued no operation ${JSON.stringify(reference)} (issued: ${known})`);
    this.reference = reference;
  }
}
