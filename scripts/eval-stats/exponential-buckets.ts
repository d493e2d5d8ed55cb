/**
 * Bucket lower edges of a Firefox telemetry exponential histogram (`histogram_type` 0): 0, then `min`,
 * then edges spaced evenly in log scale up to `max`, each rounded to an integer and at least one above
 * the previous, `count` edges in all (the last bucket also holds everything above `max`).
 *
 * @example exponentialBuckets(1, 10000, 50) // [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, ..., 10000]
 */
export function exponentialBuckets(min: number, max: number, count: number): number[] {
  const edges = [0, min];
  const logMax = Math.log(max);
  let current = min;
  for (let i = 2; i < count; i++) {
    const logCurrent = Math.log(current);
    // spread the remaining log range evenly over the remaining buckets
    const next = Math.round(Math.exp(logCurrent + (logMax - logCurrent) / (count - i)));
    current = next > current ? next : current + 1;
    edges.push(current);
  }
  return edges;
}

/**
 * The lower edge of the bucket holding `value`: the largest edge not above it (binary search).
 *
 * @example bucketOf([0, 1, 2, 4], 3.5) // 2
 */
export function bucketOf(edges: readonly number[], value: number): number {
  let lo = 0;
  let hi = edges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (edges[mid]! <= value) lo = mid;
    else hi = mid - 1;
  }
  return edges[lo]!;
}
