/** Small statistics helpers for the benchmarks. */

/** The median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The `q` quantile (0 to 1) of a list of numbers, by the nearest-rank method; `NaN` for an empty list. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

/** Rotates a list by `by` places, so each round of a benchmark starts with a different contender. */
export function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/** A fixed-width table row. */
export function row(cells: readonly (string | number)[], widths: readonly number[]): string {
  return cells.map((cell, i) => String(cell).padEnd(widths[i] ?? 12)).join("  ");
}
