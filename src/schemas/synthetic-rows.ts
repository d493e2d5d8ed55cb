import type { BigQueryField, TableSchema } from "./bigquery-schema.js";
import { duckDbType } from "./duckdb-ddl.js";
import { fieldType, type SqlType } from "./sql-type.js";

/** An experiment clients are enrolled in: its slug and the branches they are spread over. */
export interface SyntheticExperiment {
  readonly slug: string;
  readonly branches: readonly string[];
}

/** What {@link syntheticRowsSql} generates. */
export interface SyntheticRowsOptions {
  /** Distinct clients; each sends one row a day. */
  readonly clients: number;
  /** The days (YYYY-MM-DD) rows are dated on: `submission_date`, `submission_timestamp`, build ids. */
  readonly dates: readonly string[];
  /** The same seed gives the same rows. */
  readonly seed: number;
  /** Every client is enrolled in each (`environment.experiments`, `ping_info.experiments`), in a branch of its own. */
  readonly experiments?: readonly SyntheticExperiment[];
  /** Values queries compare a column or map key with, by lower-cased field name (see `valueHints`). */
  readonly hints?: ReadonlyMap<string, readonly string[]>;
}

const CHANNELS = ["release", "beta", "nightly", "esr", "aurora"];
const OSES = ["Windows_NT", "Darwin", "Linux"];
/** Enumerations real rows take, by column name; a hint adds to them. */
const KNOWN_VALUES: Readonly<Record<string, readonly string[]>> = {
  normalized_channel: CHANNELS,
  channel: CHANNELS,
  update_channel: CHANNELS,
  os: OSES,
  normalized_os: ["Windows", "Mac", "Linux"],
  name: OSES,
  country: ["US", "DE", "FR", "IN", "KE"],
  normalized_country_code: ["US", "DE", "FR", "IN", "KE"],
  locale: ["en-US", "de", "fr"],
  app_name: ["Firefox"],
  normalized_app_name: ["Firefox"],
};
/** Histogram buckets, as JSON object keys and Glean distribution keys. */
const BUCKETS = [0, 1, 2, 4, 8, 16, 64, 256];
/** Keys a map gets at most; each entry is there for three rows in four, so absence occurs too. */
const MAP_KEYS_AT_MOST = 40;

const sqlString = (value: string) => `'${value.replaceAll("'", "''")}'`;
const sqlList = (values: readonly string[]) => `[${values.map(sqlString).join(", ")}]`;
const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

interface Scope {
  /** The seed, the row and the lambda variables in scope: what a random number hashes. */
  readonly vars: readonly string[];
  /** Lower-cased dotted path of the field, also hashed: each field varies on its own. */
  readonly path: string;
  readonly options: SyntheticRowsOptions;
  /** Inside a keyed histogram map, the value is a histogram. */
  readonly histogram?: boolean;
  /** Inside an experiments map: the branch of the entry's experiment. */
  readonly branch?: string;
}

const random = (s: Scope, salt = "") => `hash(${[...s.vars, sqlString(s.path + salt)].join(", ")})`;
const pick = (values: readonly string[], s: Scope, salt = "") =>
  values.length === 1 ? sqlString(values[0] ?? "") : `${sqlList(values)}[1 + (${random(s, salt)} % ${values.length})::BIGINT]`;

const CLIENT = "(i % $clients)";
const DAY = "($days[1 + i // $clients])";

const isHistogramPath = (path: string) => /(^|\.)(keyed_)?histograms\./.test(path) || path.endsWith("histogram");

/** A telemetry histogram as the main ping stores it: a JSON string with its sum and bucket counts. */
function histogramJson(s: Scope): string {
  const counts = BUCKETS.slice(1, 5).map((b) => [b, `(${random(s, `#${b}`)} % 5)`] as const);
  const sum = counts.map(([b, c]) => `${b} * ${c}`).join(" + ");
  const values = counts.map(([b, c]) => `'"${b}":' || ${c}`).join(" || ',' || ");
  return `('{"bucket_count":20,"histogram_type":0,"sum":' || (${sum}) || ',"range":[1,1000],"values":{' || ${values} || '}}')`;
}

function stringValue(name: string, s: Scope): string {
  const hinted = s.options.hints?.get(name) ?? [];
  if (name === "client_id" || name.endsWith("_client_id")) return `('client-' || ${CLIENT})`;
  if (name === "branch" && s.branch) return s.branch;
  if (s.histogram || isHistogramPath(s.path)) return histogramJson(s);
  if (/(^|_)build_id$/.test(name) || name === "build_id") return `strftime(${DAY} - (${random(s)} % 7)::INTEGER, '%Y%m%d') || '120000'`;
  const known = KNOWN_VALUES[name];
  if (known || hinted.length) return pick([...new Set([...(known ?? []), ...hinted])], s);
  if (name.includes("version")) return `(90 + ${random(s)} % 50)::VARCHAR || '.0'`;
  // small numbers as text: a query casting the column to a number still runs
  return `(${random(s)} % 5)::VARCHAR`;
}

const sampleHints = (s: Scope) => {
  const ids = (s.options.hints?.get("sample_id") ?? []).filter((v) => /^\d+$/.test(v) && Number(v) < 100);
  return ids.length ? `[${ids.join(", ")}][1 + (hash(${CLIENT}, 'sample') % ${ids.length})::BIGINT]` : `${CLIENT} % 100`;
};

function scalarValue(type: string, name: string, s: Scope): string {
  switch (type) {
    case "STRING":
    case "GEOGRAPHY":
      return stringValue(name, s);
    case "BOOL":
      return `(${random(s)} % 2 = 0)`;
    case "INT64":
      // half the clients in the samples queries look at
      if (name === "sample_id") return `(CASE WHEN hash(${CLIENT}) % 2 = 0 THEN ${sampleHints(s)} ELSE ${CLIENT} % 100 END)::BIGINT`;
      if (name.endsWith("build_id")) return `strftime(${DAY}, '%Y%m%d120000')::BIGINT`;
      return `(${random(s)} % 20)::BIGINT`;
    case "FLOAT64":
    case "NUMERIC":
    case "BIGNUMERIC":
      return `((${random(s)} % 10000) / 100.0)`;
    case "DATE":
      return name.includes("submission") ? DAY : `(${DAY} - (${random(s)} % 30)::INTEGER)`;
    case "TIMESTAMP":
    case "DATETIME":
      return `(CAST(${DAY} AS TIMESTAMP) + to_seconds((${random(s)} % 86400)::BIGINT))`;
    case "TIME":
      return "TIME '12:00:00'";
    case "BYTES":
      return "'\\x00'::BLOB";
    case "JSON":
      return "'{}'::JSON";
    case "INTERVAL":
      return "INTERVAL 1 DAY";
    default:
      return "NULL";
  }
}

/** A repeated record of `key` and `value`: BigQuery's map. */
const isMap = (type: SqlType) =>
  type.kind === "array" &&
  type.element.kind === "struct" &&
  type.element.fields.length === 2 &&
  type.element.fields.some((f) => f.name === "key") &&
  type.element.fields.some((f) => f.name === "value");

function mapValue(name: string, type: SqlType & { kind: "array" }, s: Scope, depth: number): string {
  const element = type.element as SqlType & { kind: "struct" };
  const keyType = element.fields.find((f) => f.name === "key")?.type;
  const valueType = element.fields.find((f) => f.name === "value")?.type as SqlType;
  const x = `x${depth}`;
  const inner: Scope = { ...s, vars: [...s.vars, x] };
  const entry = (key: string, value: string) => `{'key': ${key}, 'value': ${value}}`;
  if (name === "experiments" && s.options.experiments?.length) {
    // every client in every experiment, in a branch chosen by client (the same in every table)
    const experiments = s.options.experiments;
    const branches = `[${experiments.map((e) => sqlList(e.branches.length ? e.branches : ["control"])).join(", ")}]`;
    const branch = `${branches}[${x}][1 + (hash(${CLIENT}, ${sqlList(experiments.map((e) => e.slug))}[${x}]) % len(${branches}[${x}]))::BIGINT]`;
    const value = typedValue("value", valueType, { ...inner, path: `${s.path}.value`, branch }, depth + 1);
    return `list_transform(range(1, ${experiments.length + 1}), ${x} -> ${entry(`${sqlList(experiments.map((e) => e.slug))}[${x}]`, value)})`;
  }
  const numericKeys = keyType?.kind === "scalar" && keyType.name === "INT64";
  const keys = numericKeys || name === "values" ? BUCKETS.map(String) : mapKeys(name, s.options.hints);
  const keyList = numericKeys ? `[${keys.join(", ")}]` : sqlList(keys);
  const histogram = s.path.includes("keyed_histograms") || isHistogramPath(s.path);
  const value = typedValue("value", valueType, { ...inner, path: `${s.path}.value`, histogram }, depth + 1);
  const entries = `list_transform(range(1, ${keys.length + 1}), ${x} -> ${entry(`${keyList}[${x}]`, value)})`;
  const e = `e${depth}`;
  return `list_filter(${entries}, ${e} -> hash(${[...s.vars, sqlString(s.path)].join(", ")}, ${e}.key) % 4 <> 0)`;
}

/** The keys a map gets: those queries look up in it by its name, else any `key = '...'`, else a few. */
function mapKeys(name: string, hints: ReadonlyMap<string, readonly string[]> | undefined): readonly string[] {
  const keys = hints?.get(name) ?? hints?.get("key") ?? ["a", "b", "c"];
  return keys.slice(0, MAP_KEYS_AT_MOST);
}

function typedValue(name: string, type: SqlType, s: Scope, depth: number): string {
  switch (type.kind) {
    case "scalar":
      return scalarValue(type.name, name, s);
    case "struct":
      return `{${type.fields.map((f) => `${sqlString(f.name)}: ${typedValue(f.name.toLowerCase(), f.type, { ...s, path: `${s.path}.${f.name.toLowerCase()}` }, depth)}`).join(", ")}}`;
    case "array": {
      if (isMap(type)) return mapValue(name, type, s, depth);
      // zero to three elements, each varying with its index
      const x = `x${depth}`;
      const element = typedValue(name, type.element, { ...s, vars: [...s.vars, x] }, depth + 1);
      return `list_transform(range((${random(s, "#n")} % 4)::BIGINT), ${x} -> ${element})`;
    }
    default:
      return type satisfies never;
  }
}

/**
 * An `INSERT` filling a table created by `duckDbCreateTable(schema)` with plausible rows: one per
 * client and day, with `client_id`, `submission_date` / `submission_timestamp` on the day, `sample_id`,
 * channels, operating systems and build ids of the day, nested records, repeated fields as lists,
 * maps as key/value lists (the keys queries look up), histograms as JSON strings where the column is a
 * string, and every client enrolled in the given experiments. Values are hashes of the seed, the row
 * and the field's path: the same seed gives the same rows.
 *
 * @example await connection.run(syntheticRowsSql(schema, { clients: 200, dates: ["2026-11-05"], seed: 1 }));
 */
export function syntheticRowsSql(schema: TableSchema, options: SyntheticRowsOptions): string {
  if (options.dates.length === 0 || options.clients < 1) throw new Error("synthetic rows need a date and at least one client");
  const rows = options.clients * options.dates.length;
  const scope = (f: BigQueryField): Scope => ({ vars: [String(options.seed), "i"], path: f.name.toLowerCase(), options });
  const columns = schema.fields.map((f) => `CAST(${typedValue(f.name.toLowerCase(), fieldType(f), scope(f), 1)} AS ${duckDbType(fieldType(f))})`);
  const sql = `INSERT INTO ${schema.name.split(".").map(quote).join(".")} SELECT ${columns.join(", ")} FROM range(${rows}) AS r(i)`;
  return sql.replaceAll("$clients", String(options.clients)).replaceAll("$days", `[${options.dates.map((d) => `DATE ${sqlString(d)}`).join(", ")}]`);
}
