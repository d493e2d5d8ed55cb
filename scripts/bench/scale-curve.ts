// How a day's cost grows with clients, and the memory a run needs: per size, the day's seconds per
// million clients, and the peak RSS of `opmon run` in a child process.
import type { BenchContext } from "./bench-table.js";
import { fmt } from "./measure.js";

/** One size's point of the curve. */
export interface ScalePoint {
  readonly size: string;
  readonly clients: number;
  /** Median seconds of the project's day. */
  readonly seconds: number;
  /** Peak RSS of `opmon run` alone, when measured. */
  readonly peakMb?: number;
}

/**
 * Adds the rows `day per million client-days` (at the largest size, every size in the detail) and
 * `peak RSS of opmon run` (at L, or the largest size measured) from the points.
 *
 * @example scaleRows(ctx, [{ size: "S", clients: 5000, seconds: 1.2, peakMb: 300 }]);
 */
export function scaleRows(ctx: BenchContext, points: readonly ScalePoint[]): void {
  if (points.length === 0) return;
  const perMillion = (p: ScalePoint) => (p.seconds / p.clients) * 1e6;
  const largest = points[points.length - 1] as ScalePoint;
  ctx.results["scale"] = points.map((p) => ({ ...p, secondsPerMillionClientDays: perMillion(p) }));
  ctx.rows.push({
    measure: `day per million client-days, ${largest.size}`,
    value: `${fmt(perMillion(largest))} s`,
    target: "-",
    detail: points.map((p) => `${p.size} (${p.clients} clients) ${fmt(p.seconds)} s = ${fmt(perMillion(p))} s/M`).join(", "),
  });
  const measured = points.filter((p) => p.peakMb !== undefined);
  const shown = measured.find((p) => p.size === "L") ?? measured[measured.length - 1];
  if (shown?.peakMb === undefined) return;
  ctx.rows.push({
    measure: `peak RSS of opmon run, ${shown.size}`,
    value: `${shown.peakMb.toFixed(0)} MB`,
    target: shown.size === "L" ? "< 1024 MB" : "-",
    detail: `a child process, generation excluded: ${measured.map((p) => `${p.size} ${(p.peakMb ?? 0).toFixed(0)} MB`).join(", ")}`,
  });
}
