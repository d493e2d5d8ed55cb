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
 * Median seconds of `runs` calls of `f` after one warm-up call; `before`, untimed, runs before each call.
 *
 * @example const floor = await measure(3, () => engine.execute(floorSql));
 */
export async function measure(runs: number, f: () => Promise<unknown>, before?: () => Promise<unknown>): Promise<number> {
  await before?.();
  await f();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    await before?.();
    times.push(await timed(f));
  }
  return median(times);
}

/**
 * Median seconds of `f` and of `g`, and the median of their per-round ratio, over `runs` rounds
 * running them one after the other after a warm-up of each: on a shared machine a change of load
 * weighs on both sides of a ratio, not on whichever ran during it.
 *
 * `beforeF`, untimed, runs before each call of `f`.
 *
 * @example const { ratio } = await measurePair(3, () => runDay(last), () => runDay(first));
 */
export async function measurePair(runs: number, f: () => Promise<unknown>, g: () => Promise<unknown>, beforeF?: () => Promise<unknown>) {
  await beforeF?.();
  await f();
  await g();
  const rounds: [number, number][] = [];
  for (let i = 0; i < runs; i++) {
    await beforeF?.();
    const a = await timed(f);
    rounds.push([a, await timed(g)]);
  }
  return { f: median(rounds.map(([a]) => a)), g: median(rounds.map(([, b]) => b)), ratio: median(rounds.map(([a, b]) => a / b)) };
}

/** Progress on stderr, so the table on stdout stays clean. */
export const log = (text: string): void => void process.stderr.write(`${text}\n`);

/** A number with two decimals. */
export const fmt = (x: number): string => x.toFixed(2);
