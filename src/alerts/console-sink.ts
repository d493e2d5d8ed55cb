import { printable } from "../util/printable.js";
import { bySeverity, describeAlert, type AlertRecord } from "./alert-record.js";

/** At most this many alerts are listed one per line; the rest are counted. */
const MAX_LINES = 20;

/**
 * The end-of-run summary of alerts: a count per severity, then one line per alert, most severe first.
 *
 * @example consoleSummary(alerts, ["2026-11-27"]).forEach((line) => console.log(line))
 */
export function consoleSummary(alerts: readonly AlertRecord[], dates: readonly string[]): string[] {
  const span = dates.length <= 1 ? (dates[0] ?? "") : `${dates[0]}..${dates.at(-1)}`;
  if (alerts.length === 0) return [`No alerts for ${span}`];
  const counts = new Map<string, number>();
  for (const a of alerts) counts.set(a.severity, (counts.get(a.severity) ?? 0) + 1);
  // every part read back from the warehouse goes through printable: rows may carry terminal controls
  const breakdown = [...counts].map(([severity, n]) => `${n} ${printable(severity)}`).join(", ");
  const sorted = [...alerts].sort(bySeverity);
  const lines = [`${alerts.length} alert${alerts.length === 1 ? "" : "s"} for ${span} (${breakdown})`];
  for (const a of sorted.slice(0, MAX_LINES))
    lines.push(`  [${printable(a.severity)}] ${dates.length > 1 ? `${printable(a.submissionDate)} ` : ""}${describeAlert(a)}`);
  if (sorted.length > MAX_LINES) lines.push(`  ... and ${sorted.length - MAX_LINES} more (see the <slug>_alerts views)`);
  return lines;
}
