import type { AlertRow, StatRow } from "./report-data.js";

type Raw = Record<string, unknown>;

/** BigQuery's client wraps dates as `{ value }`; DuckDB gives strings; both become `YYYY-MM-DD`. */
function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "object" && "value" in value) return text((value as { value: unknown }).value);
  return String(value);
}

function num(value: unknown): number | null {
  const t = text(value);
  if (t === null || t === "") return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

const date = (value: unknown) => (text(value) ?? "").slice(0, 10);
const dimsOf = (row: Raw, dimensions: readonly string[]) => Object.fromEntries(dimensions.map((d) => [d, text(row[d])]));

/**
 * Normalises rows of a `<slug>_statistics` view (each branch's own values; comparisons to the reference
 * branch are in `<slug>_comparisons`). Unknown columns are ignored; comparison rows of a view written
 * before comparisons moved out (a non-null `comparison` column) are left out, until the next run
 * replaces that view.
 *
 * @example statRows(await engine.query("SELECT * FROM operational_monitoring.gc_statistics"), ["os"])
 */
export function statRows(raw: readonly Raw[], dimensions: readonly string[]): StatRow[] {
  return raw
    .filter((row) => row["comparison"] === undefined || row["comparison"] === null)
    .filter((row) => text(row["metric"]) !== null && text(row["statistic"]) !== null && text(row["branch"]) !== null)
    .map((row) => ({
      submission_date: date(row["submission_date"]),
      build_id: text(row["build_id"]),
      dims: dimsOf(row, dimensions),
      branch: text(row["branch"]) ?? "",
      metric: text(row["metric"]) ?? "",
      statistic: text(row["statistic"]) ?? "",
      parameter: num(row["parameter"]),
      point: num(row["point"]),
      lower: num(row["lower"]),
      upper: num(row["upper"]),
    }));
}

/**
 * Normalises rows of a `<slug>_alerts` view, newest first.
 *
 * @example alertRows(await engine.query("SELECT * FROM operational_monitoring.gc_alerts"), ["os"])
 */
export function alertRows(raw: readonly Raw[], dimensions: readonly string[]): AlertRow[] {
  return raw
    .map((row) => ({
      submission_date: date(row["submission_date"]),
      build_id: text(row["build_id"]),
      dims: dimsOf(row, dimensions),
      metric: text(row["metric"]) ?? "",
      statistic: text(row["statistic"]),
      parameter: num(row["parameter"]),
      branch: text(row["branch"]),
      message: text(row["message"]) ?? "",
    }))
    .sort((a, b) => b.submission_date.localeCompare(a.submission_date) || (b.build_id ?? "").localeCompare(a.build_id ?? ""));
}
