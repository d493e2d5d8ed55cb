import { clip, printable } from "../util/printable.js";

/** One alert of one project and day, as the sinks see it. */
export interface AlertRecord {
  readonly slug: string;
  readonly submissionDate: string;
  readonly buildId: string | null;
  /** Dimension values by dimension name. */
  readonly dimensions: { readonly [name: string]: string | null };
  readonly branch: string | null;
  readonly metric: string;
  readonly statistic: string | null;
  readonly parameter: number | null;
  /** Upstream's message ("Value above threshold", ...). */
  readonly message: string;
  /** The alert's name in the project. */
  readonly alert: string | null;
  readonly severity: string;
  /** The first build or day of a change point. */
  readonly since: string | null;
}

const SEVERITY_ORDER = ["critical", "warning", "info"];

const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

/**
 * An alert from a row of a `<slug>_alerts` view (engine JSON: dates as strings, numbers maybe as strings).
 *
 * @example alertRecord("gc", { submission_date: "2026-11-27", metric: "gc_ms", message: "Value above threshold" }, ["os"])
 */
export function alertRecord(slug: string, row: { readonly [column: string]: unknown }, dimensions: readonly string[]): AlertRecord {
  const parameter = row["parameter"] === null || row["parameter"] === undefined ? null : Number(row["parameter"]);
  return {
    slug,
    submissionDate: (text(row["submission_date"]) ?? "").slice(0, 10),
    buildId: text(row["build_id"]),
    dimensions: Object.fromEntries(dimensions.map((d) => [d, text(row[d])])),
    branch: text(row["branch"]),
    metric: text(row["metric"]) ?? "",
    statistic: text(row["statistic"]),
    parameter: parameter !== null && Number.isFinite(parameter) ? parameter : null,
    message: text(row["message"]) ?? "",
    alert: text(row["alert"]),
    severity: text(row["severity"]) ?? "warning",
    since: text(row["since"]),
  };
}

/**
 * Most severe first, then by day, project, alert and metric: the order every sink lists alerts in.
 *
 * @example [...alerts].sort(bySeverity)
 */
export function bySeverity(a: AlertRecord, b: AlertRecord): number {
  const rank = (s: string) => (SEVERITY_ORDER.indexOf(s) + SEVERITY_ORDER.length + 1) % (SEVERITY_ORDER.length + 1);
  return (
    rank(a.severity) - rank(b.severity) ||
    a.submissionDate.localeCompare(b.submissionDate) ||
    a.slug.localeCompare(b.slug) ||
    (a.alert ?? "").localeCompare(b.alert ?? "") ||
    a.metric.localeCompare(b.metric)
  );
}

/** Client strings (dimension values, build ids) longer than this are clipped in alert lines. */
export const MAX_VALUE_CHARS = 120;

/**
 * How a sink spells the parts of an alert line: `text` for what the project defines (names, the
 * message), `value` for what clients send (dimension values, build ids), which may hold anything.
 */
export interface AlertFormat {
  readonly text: (text: string) => string;
  readonly value: (value: string) => string;
}

/** For terminals: control and bidi characters made visible, long values clipped. */
export const PRINTABLE: AlertFormat = { text: printable, value: (v) => printable(clip(v, MAX_VALUE_CHARS)) };

/**
 * One line describing an alert: what, where, which series, each part spelled by `format`.
 *
 * @example describeAlert(record) // "gc-tuning-experiment gc_pauses: gc_ms percentile p50, treatment, os=Linux: Significant difference between branches"
 */
export function describeAlert(a: AlertRecord, format: AlertFormat = PRINTABLE): string {
  const { text: t, value: v } = format;
  const statistic = [a.metric, a.statistic, a.parameter === null ? null : `p${a.parameter}`].filter(Boolean).join(" ");
  const where = [
    a.branch === null ? null : t(a.branch),
    a.buildId && a.buildId !== a.since ? `build ${v(a.buildId)}` : null,
    ...Object.entries(a.dimensions).map(([k, value]) => `${t(k)}=${value === null ? "NULL" : v(value)}`),
  ]
    .filter(Boolean)
    .join(", ");
  return `${t(a.slug)}${a.alert ? ` ${t(a.alert)}` : ""}: ${t(statistic)}${where ? `, ${where}` : ""}: ${t(a.message)}`;
}
