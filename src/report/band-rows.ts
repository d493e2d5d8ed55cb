import type { StatRow } from "./report-data.js";
import { statRows } from "./result-rows.js";

type Raw = Record<string, unknown>;

/** A statistics row with what its interval stands on: the clients it used, and whether they were too few for a bound. */
export interface SupportedRow extends StatRow {
  /** Clients behind the row; null when the warehouse predates the column. */
  readonly clients: number | null;
  /** True when a bound is missing because the clients were too few (the chart leaves a gap). */
  readonly tooFewClients: boolean;
}

/** A comparison of a branch with the reference branch: `difference` or `relative_difference`, with its interval. */
export interface ComparisonRow extends SupportedRow {
  readonly comparison: string;
}

function support(raw: Raw): { clients: number | null; tooFewClients: boolean } {
  const clients = raw["clients"] === null || raw["clients"] === undefined ? null : Number(raw["clients"]);
  // BigQuery's client may hand a BOOL back as text
  const flag = raw["too_few_clients"];
  return {
    clients: clients !== null && Number.isFinite(clients) ? clients : null,
    tooFewClients: flag === true || String(flag).toLowerCase() === "true",
  };
}

const isComparison = (raw: Raw) => raw["comparison"] !== undefined && raw["comparison"] !== null;

/**
 * A statistics view's own rows (not comparisons), normalised by `statRows`, each with its clients and
 * `too_few_clients` flag.
 *
 * @example supportedRows(await query("SELECT * FROM operational_monitoring.gc_statistics"), ["os"])[0]?.clients // 412
 */
export function supportedRows(raw: readonly Raw[], dimensions: readonly string[]): SupportedRow[] {
  return raw.filter((r) => !isComparison(r)).flatMap((r) => statRows([r], dimensions).map((row) => ({ ...row, ...support(r) })));
}

/**
 * The comparison rows among `raw` (a non-null `comparison` column, in the statistics view or a view
 * of their own), normalised like the branches' own rows.
 *
 * @example comparisonRows(raw, ["os"]).filter((c) => c.comparison === "relative_difference")
 */
export function comparisonRows(raw: readonly Raw[], dimensions: readonly string[]): ComparisonRow[] {
  return raw
    .filter(isComparison)
    .flatMap((r) =>
      statRows([{ ...r, comparison: null }], dimensions).map((row) => ({ ...row, ...support(r), comparison: String(r["comparison"]) })),
    );
}

/** The clients and flag of a row, if it carries them. */
export function supportOf(row: StatRow): { readonly clients: number | null; readonly tooFewClients: boolean } {
  const r = row as Partial<SupportedRow>;
  return { clients: r.clients ?? null, tooFewClients: r.tooFewClients ?? false };
}
