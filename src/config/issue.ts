import { closestMatch } from "../util/closest-match.js";

/** Every kind of problem opmon reports about a config, with the parameters its message needs. */
export interface IssueParams {
  invalid_value: { reason: string };
  invalid_date: { value: string };
  date_order: { start: string; end: string };
  invalid_slug: { slug: string };
  invalid_name: { name: string };
  empty_sql: { what: string };
  sql_rejected: { engine: string; reason: string };
  no_schema: { table: string; roots: string };
  unknown_probe: { name: string };
  unknown_dimension: { name: string };
  unknown_data_source: { name: string };
  not_a_reference: { expected: string };
  missing_statistics: { probe: string };
  statistic_not_for_type: { statistic: string; probe: string; type: string };
  statistic_not_monitored: { probe: string };
  group_by_not_dimension: { dimension: string };
  probe_not_monitored: { probe: string; where: string; consequence?: string };
  alert_threshold_missing: Record<string, never>;
  alert_field_not_allowed: { field: string; type: string };
  alert_field_required: { field: string; type: string };
  alert_bounds_count: { field: string; count: number; parameters: number };
  no_population_data_source: Record<string, never>;
  no_start_date: Record<string, never>;
  unresolved_dataset: { dataSource: string };
  duplicate_slug: { slug: string; other: string };
  slug_tables_collide: { slug: string; other: string; file: string };
  name_is_column: { kind: "probe" | "dimension"; name: string; probe?: boolean };
  load_failed: { reason: string };
  not_in_experimenter: { slug: string };
  type_error: { code: number; text: string };
}

/** The kind of a problem. */
export type IssueCode = keyof IssueParams;

const MESSAGES: { readonly [C in IssueCode]: (p: IssueParams[C]) => string } = {
  invalid_value: (p) => p.reason,
  invalid_date: (p) => `"${p.value}" is not a date in YYYY-MM-DD form`,
  date_order: (p) => `start date ${p.start} is after end date ${p.end}`,
  invalid_name: (p) =>
    `name "${p.name}" is not an identifier: names become columns and dashboard fields, so use letters, digits and "_" (not first), at most 128`,
  invalid_slug: (p) => `slug "${p.slug}" may only hold letters, digits, "_" and "-" (it names tables)`,
  empty_sql: (p) => `${p.what} is empty`,
  sql_rejected: (p) => `${p.engine}: ${p.reason}`,
  no_schema: (p) =>
    `no schema for table ${p.table}, so its queries were not analyzed: add its \`bq show --schema\` JSON as ${p.roots}`,
  unknown_probe: (p) => `unknown probe "${p.name}"`,
  unknown_dimension: (p) => `unknown dimension "${p.name}"`,
  unknown_data_source: (p) => `unknown data source "${p.name}"`,
  not_a_reference: (p) => `expected a ${p.expected} picked from the platform, got something else`,
  missing_statistics: (p) => `probe "${p.probe}" is monitored but has no statistics`,
  statistic_not_for_type: (p) => `statistic "${p.statistic}" does not apply to ${p.type} probe "${p.probe}"`,
  statistic_not_monitored: (p) => `statistics given for "${p.probe}", which the project does not monitor`,
  group_by_not_dimension: (p) => `group-by dimension "${p.dimension}" is not among the project's dimensions`,
  probe_not_monitored: (p) => `${p.where} names probe "${p.probe}", which the project does not monitor${p.consequence ? `, ${p.consequence}` : ""}`,
  alert_threshold_missing: () => "a threshold alert needs min or max",
  alert_field_not_allowed: (p) => `${p.type} alerts do not take ${p.field}`,
  alert_field_required: (p) => `${p.type} alerts need ${p.field}`,
  alert_bounds_count: (p) => `${p.field} has ${p.count} values for ${p.parameters} parameters (give one, or one per parameter)`,
  no_population_data_source: () => "the population has no data source (set population.dataSource here or in the platform defaults)",
  no_start_date: () => "no start date (set startDate, or monitor an experiment Experimenter knows): the project never runs",
  unresolved_dataset: (p) => `data source "${p.dataSource}" uses {dataset} but neither the channel's app id nor defaultDataset gives one`,
  duplicate_slug: (p) => `slug "${p.slug}" is also used by ${p.other}`,
  slug_tables_collide: (p) =>
    `slug "${p.slug}" names the same tables as "${p.other}" (${p.file}): "-" becomes "_" and case is ignored in table names, so one would overwrite the other`,
  name_is_column: (p) =>
    p.probe
      ? `dimension "${p.name}" has the name of a monitored probe: both become columns "${p.name}" of the results, so the query would select it twice (rename one)`
      : `${p.kind} "${p.name}" has the name of a column opmon writes itself ("${p.name}"), so the query would select it twice (rename the ${p.kind}; its select expression may stay)`,
  load_failed: (p) => p.reason,
  not_in_experimenter: (p) =>
    `no experiment or rollout "${p.slug}" in Experimenter (set population.monitorEntirePopulation to monitor without one)`,
  type_error: (p) => `TS${p.code}: ${p.text}`,
};

/** A problem found in a config: where it is, what it is, and a likely fix. */
export interface Issue {
  readonly severity: "error" | "warning";
  readonly code: IssueCode;
  /** Config path inside the file, e.g. `probes[2]` or `alerts.crashes.max`. */
  readonly path: string;
  readonly message: string;
  /** "did you mean" or another fix. */
  readonly hint?: string;
  /** The file, relative to the config directory. */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

/** Builds an issue with the message of its code. */
export function issue<C extends IssueCode>(
  code: C,
  path: string,
  params: IssueParams[C],
  extra: { hint?: string | undefined; severity?: Issue["severity"] } = {},
): Issue {
  const message = MESSAGES[code](params);
  const hint = extra.hint;
  return { severity: extra.severity ?? "error", code, path, message, ...(hint ? { hint } : {}) };
}

/** A "did you mean" hint naming the closest candidate, if one is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const match = closestMatch(name, candidates);
  return match === undefined ? undefined : `did you mean "${match}"?`;
}

/** Renders an issue on one line: `file:line:col path: message (hint)`. */
export function formatIssue(i: Issue): string {
  const where = [i.file, i.line, i.column].filter((x) => x !== undefined).join(":");
  const prefix = i.severity === "warning" ? "warning" : "error";
  return `${where ? `${where} ` : ""}${prefix}${i.path ? ` at ${i.path}` : ""}: ${i.message}${i.hint ? ` (${i.hint})` : ""}`;
}
