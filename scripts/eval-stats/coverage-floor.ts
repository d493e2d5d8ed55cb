/**
 * The least coverage any interval for a Poisson mean λ can have at λ while covering at least `level`
 * at every mean: an interval may leave λ out only on outcomes k that together have probability at most
 * 1 − level there (leaving out more under-covers at λ itself), and an interval's outcomes that leave λ
 * out are tails (the smallest counts, whose upper bounds fall below λ, and the largest, whose lower
 * bounds rise above it). So the floor is 1 minus the heaviest pair of tails {k ≤ b} ∪ {k ≥ a} whose
 * mass is at most 1 − level. With half an expected event no interval covers less than 98.6%: the
 * discreteness, not the method, sets it.
 *
 * @example poissonCoverageFloor(0.5) // 0.986 (only k >= 3 may miss)
 * @example poissonCoverageFloor(3) // 0.950 (k = 0 may miss)
 */
export function poissonCoverageFloor(lambda: number, level = 0.95): number {
  const alpha = 1 - level;
  const pmf: number[] = [];
  let p = Math.exp(-lambda);
  let total = 0;
  for (let k = 0; total < 1 - 1e-12 && k < 10_000; k++) {
    pmf.push(p);
    total += p;
    p *= lambda / (k + 1);
  }
  // upper[a]: P(K >= a)
  const upper = pmf.map((_, a) => pmf.slice(a).reduce((x, y) => x + y, 0));
  let best = 0;
  let lower = 0;
  for (let b = -1; b < pmf.length && lower <= alpha; b++) {
    if (b >= 0) lower += pmf[b]!;
    if (lower > alpha) break;
    const a = upper.findIndex((mass, i) => i > b && lower + mass <= alpha);
    best = Math.max(best, lower + (a === -1 ? 0 : upper[a]!));
  }
  return 1 - best;
}
