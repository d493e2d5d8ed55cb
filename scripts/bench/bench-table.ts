// The bench's output: one row per measure, printed as a table, kept with the figures behind it as JSON.
import type { ProjectGraph } from "../../src/graph/project-graph.js";

/** A line of the table: a measure, its value, the goal, and the figures behind it. */
export interface BenchRow {
  readonly measure: string;
  readonly value: string;
  readonly target: string;
  readonly detail: string;
}

/** What every section of the bench reads and adds to. */
export interface BenchContext {
  /** Timed runs per measurement, after a warm-up. */
  readonly runs: number;
  /**
   * Rounds of a ratio measured in turns (eight times `runs`): each round's ratio is one sample, and on
   * a shared machine they spread from 1.0 to 2.3 for one measure. At 40,000 clients a median of 9 read
   * 1.20, 1.30 and 1.36 in three runs of the same code, a median of 45 read 1.25 and 1.26.
   */
  readonly rounds: number;
  /** The project priced: `tab-unloading-rollout`. */
  readonly graph: ProjectGraph;
  readonly rows: BenchRow[];
  /** The figures, by section, for `.opmon/bench.json`. */
  readonly results: Record<string, unknown>;
}

/**
 * The rows as aligned text, a header first.
 *
 * @example console.log(formatTable(ctx.rows));
 */
export function formatTable(rows: readonly BenchRow[]): string {
  const header: BenchRow = { measure: "measure", value: "value", target: "target", detail: "detail" };
  const all = [header, ...rows];
  const widths = (["measure", "value", "target"] as const).map((k) => Math.max(...all.map((r) => r[k].length)));
  return all
    .map((r) => [r.measure.padEnd(widths[0] ?? 0), r.value.padStart(widths[1] ?? 0), r.target.padEnd(widths[2] ?? 0), r.detail].join("  "))
    .join("\n");
}
