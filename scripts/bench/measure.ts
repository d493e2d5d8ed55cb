// Timing helpers of the bench: seconds, and medians of repeated runs after a warm-up.

/** The median of `xs` (the upper one of an even count). */
export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/**
 * Seconds `f` takes.
 *
 * @example const seconds = await timed(() => engine.execute("CHECKPOINT"));
 */
export async function timed(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return (performance.now() - t) / 1000;
}

/**
 * Median seconds of `runs` calls of `f` after one warm-up call.
 *
 * @example const floor = await measure(3, () => engine.execute(floorSql));
 */
export async function measure(runs: number, f: () => Promise<unknown>): Promise<number> {
  await f();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timed(f));
  return median(times);
}

/** Progress on stderr, so the table on stdout stays clean. */
export const log = (text: string): void => void process.stderr.write(`${text}\n`);

/** A number with two decimals. */
export const fmt = (x: number): string => x.toFixed(2);
