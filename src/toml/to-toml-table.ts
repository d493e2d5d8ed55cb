import { TOML_KEYS, STATISTIC_PARAM_KEYS, type TomlTableKind } from "../config/toml-keys.js";
import type { TomlLayout, TomlValue } from "../dsl/index.js";

/** A TOML table being built for export. */
export type Table = { [key: string]: TomlValue };

const PARAM_TOML = Object.fromEntries(Object.entries(STATISTIC_PARAM_KEYS).map(([k, v]) => [v, k]));

/** Statistics as TOML: parameter names back in snake_case. */
export function statisticsTable(stats: object): Table {
  return Object.fromEntries(
    Object.entries(stats).map(([name, params]) => [name, Object.fromEntries(Object.entries(params as object).map(([k, v]) => [PARAM_TOML[k] ?? k, v as TomlValue]))]),
  );
}

/**
 * A DSL entry (data source, probe, dimension) as its TOML table: typed fields under their TOML keys,
 * references by name, `extra` merged in, then the entry's `toml` layout applied.
 *
 * @example entryTable("metric", probe) // { type: "histogram", data_source: "main", select_expression: "..." }
 */
export function entryTable(kind: TomlTableKind, entry: object): Table {
  const table: Table = {};
  const record = entry as { [field: string]: unknown };
  for (const [tomlKey, field] of Object.entries(TOML_KEYS[kind])) {
    const value = record[field];
    if (value === undefined) continue;
    if (field === "dataSource") table[tomlKey] = (value as { name: string }).name;
    // a metric's statistics are a table of parameters; an alert's are a list of names
    else if (field === "statistics" && !Array.isArray(value)) table[tomlKey] = statisticsTable(value as object);
    else table[tomlKey] = value as TomlValue;
  }
  return applyLayout(deepMerge(table, (record["extra"] ?? {}) as Table), record["toml"] as TomlLayout | undefined);
}

/** Applies an imported layout: only `keys`, never `omit`, `renamed` keys back under their TOML names. */
export function applyLayout(table: Table, layout: TomlLayout | undefined): Table {
  if (!layout) return table;
  // a copy: extra values are frozen DSL data
  let out = JSON.parse(JSON.stringify(table)) as Table;
  if (layout.keys) {
    const keys = new Set(layout.keys);
    out = Object.fromEntries(Object.entries(out).filter(([k]) => keys.has(k)));
  }
  // a table left empty by an omission was not in the file either (empty tables that were come back below)
  for (const path of layout.omit ?? []) for (let parts = path.split("."); parts.length > 0 && deletePath(out, parts); parts = parts.slice(0, -1));
  for (const path of layout.empty ?? []) {
    const parts = path.split(".");
    if (getPath(out, parts) === undefined) setPath(out, parts, parts.at(-1) === "metrics" && parts[0] === "project" ? [] : isListPath(parts) ? [] : {});
  }
  for (const [tomlPath, dslPath] of Object.entries(layout.renamed ?? {})) {
    const value = getPath(out, dslPath.split("."));
    if (value === undefined) continue;
    deletePath(out, dslPath.split("."));
    setPath(out, tomlPath.split("."), value);
  }
  return out;
}

const LISTS = new Set(["metrics", "alerts", "dimensions", "branches"]);
const isListPath = (parts: readonly string[]) => parts[0] === "project" && LISTS.has(parts.at(-1) ?? "");

/** Merges `extra` into a table: nested tables merge, everything else replaces. */
export function deepMerge(target: Table, extra: Table): Table {
  const out = new Map(Object.entries(target));
  for (const [k, v] of Object.entries(extra)) {
    const current = out.get(k);
    out.set(k, isTable(current) && isTable(v) ? deepMerge(current as Table, v as Table) : v);
  }
  // fromEntries defines keys: a `__proto__` key stays a key instead of setting the prototype
  return Object.fromEntries(out) as Table;
}

const isTable = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);

function getPath(table: Table, parts: readonly string[]): TomlValue | undefined {
  let current: unknown = table;
  for (const p of parts) {
    if (!isTable(current)) return undefined;
    current = (current as Table)[p];
  }
  return current as TomlValue | undefined;
}

function setPath(table: Table, parts: readonly string[], value: TomlValue): void {
  let current = table;
  for (const p of parts.slice(0, -1)) {
    if (!isTable(current[p])) current[p] = {};
    current = current[p] as Table;
  }
  current[parts.at(-1)!] = value;
}

/** Deletes the value at `parts`; true when that leaves its parent table empty. */
function deletePath(table: Table, parts: readonly string[]): boolean {
  let current: unknown = table;
  for (const p of parts.slice(0, -1)) {
    if (!isTable(current)) return false;
    current = (current as Table)[p];
  }
  if (!isTable(current) || parts.length < 2) {
    if (isTable(current)) delete (current as Table)[parts.at(-1)!];
    return false;
  }
  const parent = current as Table;
  if (!(parts.at(-1)! in parent)) return false;
  delete parent[parts.at(-1)!];
  return Object.keys(parent).length === 0;
}
