import { didYouMean } from "../config/issue.js";
import { dslKey, FOREIGN_KEYS, STATISTIC_PARAM_KEYS, type TomlTableKind } from "../config/toml-keys.js";
import { STATISTICS_BY_TYPE, type ProbeType, type TomlValue } from "../dsl/index.js";
import { commentsAt, isTable, type ImportLog, type PlatformNames } from "./import-context.js";
import type { TomlFile, TomlTable } from "./read-toml.js";
import { seedProbe } from "./seed-probe.js";
import { access, lit, obj, prop, type Prop } from "./ts-code.js";

/** How one layer's `[metrics]`, `[data_sources]` and `[dimensions]` turn into DSL entries. */
export interface LayerInput {
  readonly file: TomlFile;
  /** What the layers below declare; an entry with a known name overrides it. */
  readonly base: PlatformNames;
  /** Expression of the platform below (`firefoxDesktop`), for `...base.dataSources.main`. */
  readonly baseExpr?: string;
  /** Metrics whose `statistics` belong to the project body rather than the probe. */
  readonly monitored?: ReadonlySet<string>;
}

/** The generated entries, what stays in `extra`, statistics for the body, and the names after the layer. */
export interface LayerEntries {
  readonly dataSources: Prop[];
  readonly probes: Prop[];
  readonly dimensions: Prop[];
  readonly extra: { [section: string]: { [name: string]: TomlValue } };
  readonly statistics: Prop[];
  readonly names: PlatformNames;
}

const DS = "ds";

/**
 * Turns one TOML layer's entries into DSL code. New complete entries become `define*` calls; entries
 * that override one below spread the base and list their own keys in `toml.keys`, so export writes back
 * only those; incomplete entries (no select or data source) travel through `extra` with a notice.
 */
export function generateEntries(input: LayerInput, log: ImportLog): LayerEntries {
  const { file, base } = input;
  const data = file.data;
  const dataSources = new Set(base.dataSources);
  const probes = new Map(base.probes);
  const dimensions = new Set(base.dimensions);
  const out: LayerEntries = { dataSources: [], probes: [], dimensions: [], extra: {}, statistics: [], names: { dataSources, probes, dimensions } };
  const keep = (section: string, name: string, value: TomlValue, why: string) => {
    (out.extra[section] ??= {})[name] = value;
    log.notice(file, `${section}.${name}: ${why}; kept through extra`);
  };

  for (const [name, raw] of entriesOf(data["data_sources"])) {
    const overrides = base.dataSources.has(name);
    if (!overrides && raw["from_expression"] === undefined) {
      keep("data_sources", name, raw, "no from_expression");
      continue;
    }
    const fields = mapFields(input, "data_source", raw, ["data_sources", name], log, dataSources);
    const spread = overrides && input.baseExpr ? [`...${access(`${input.baseExpr}.dataSources`, name)}`] : [];
    out.dataSources.push({ key: name, value: call("defineDataSource", spread, fields, overrides ? Object.keys(raw) : undefined), comments: commentsAt(file, "data_sources", name) });
    dataSources.add(name);
  }

  for (const [name, table] of entriesOf(data["metrics"] ?? data["probes"])) {
    const section = data["metrics"] !== undefined ? "metrics" : "probes";
    const raw = section === "probes" ? seedProbe(table, (text) => log.notice(file, `probes.${name}: ${text}`)) : table;
    const toBody = input.monitored?.has(name) && raw["statistics"] !== undefined;
    const own = Object.fromEntries(Object.entries(raw).filter(([k]) => !(toBody && k === "statistics")));
    const known = probes.get(name);
    const type = (typeof raw["type"] === "string" ? raw["type"] : known?.type ?? "scalar") as ProbeType;
    if (toBody) out.statistics.push({ key: name, value: statistics(input, raw["statistics"], type, [section, name, "statistics"], log), comments: commentsAt(file, section, name, "statistics") });
    if (known && base.probes.has(name)) {
      if (Object.keys(own).length === 0) continue;
      const fields = mapFields(input, "metric", own, [section, name], log, dataSources, type);
      out.probes.push({ key: name, value: call("defineProbe", [`...${access("base", name)}`], fields, Object.keys(own)), comments: commentsAt(file, section, name) });
      probes.set(name, { type, statistics: known.statistics || own["statistics"] !== undefined });
      continue;
    }
    if (raw["select_expression"] === undefined || raw["data_source"] === undefined || name.includes("*")) {
      if (Object.keys(own).length > 0) keep(section, name, own, name.includes("*") ? "wildcard keys are not expanded" : "no select_expression or data_source");
      continue;
    }
    if (type !== "scalar" && type !== "histogram") {
      log.error(file, "invalid_value", `${section}.${name}.type`, { reason: `type "${String(type)}" is not scalar or histogram` }, didYouMean(String(type), ["scalar", "histogram"]));
      continue;
    }
    const fields = mapFields(input, "metric", own, [section, name], log, dataSources, type);
    const typeProp = raw["type"] === undefined ? [{ key: "type", value: lit(type) }] : [];
    out.probes.push({ key: name, value: call("defineProbe", [], [...typeProp, ...fields], undefined, raw["type"] === undefined ? ["type"] : undefined), comments: commentsAt(file, section, name) });
    probes.set(name, { type, statistics: own["statistics"] !== undefined });
  }

  for (const [name, raw] of entriesOf(data["dimensions"])) {
    const overrides = base.dimensions.has(name);
    if (!overrides && (raw["select_expression"] === undefined || raw["data_source"] === undefined)) {
      keep("dimensions", name, raw, "no select_expression or data_source");
      continue;
    }
    const fields = mapFields(input, "dimension", raw, ["dimensions", name], log, dataSources);
    const spread = overrides && input.baseExpr ? [`...${access(`${input.baseExpr}.dimensions`, name)}`] : [];
    out.dimensions.push({ key: name, value: call("defineDimension", spread, fields, overrides ? Object.keys(raw) : undefined), comments: commentsAt(file, "dimensions", name) });
    dimensions.add(name);
  }
  return out;
}

/** The `[section.<name>]` tables of a section, in file order. */
export function entriesOf(section: unknown): [string, TomlTable][] {
  if (!isTable(section)) return [];
  return Object.entries(section).filter((e): e is [string, TomlTable] => isTable(e[1]));
}

function call(fn: string, spread: readonly string[], fields: readonly Prop[], keys?: readonly string[], omit?: readonly string[]): string {
  const layout = keys ? `{ keys: ${lit([...keys])} }` : omit ? `{ omit: ${lit([...omit])} }` : undefined;
  const body = obj([...fields, ...prop("toml", layout)]);
  if (spread.length === 0) return `${fn}(${body})`;
  return `${fn}({ ${spread.join(", ")}, ${body.slice(1, -1)} })`;
}

/** Maps a table's keys to DSL fields; keys without a typed home go to `extra` (unknown ones with a warning). */
function mapFields(
  input: LayerInput,
  kind: TomlTableKind,
  raw: TomlTable,
  path: readonly string[],
  log: ImportLog,
  dataSources: ReadonlySet<string>,
  type?: ProbeType,
): Prop[] {
  const { file } = input;
  const props: Prop[] = [];
  const extra: { [key: string]: TomlValue } = {};
  for (const [k, v] of Object.entries(raw)) {
    const field = dslKey(kind, k);
    const lines = commentsAt(file, ...path, k);
    if (!field || (field === "experimentsColumnType" && !["none", "simple", "native", "glean"].includes(String(v)))) {
      extra[k] = v;
      if (FOREIGN_KEYS[kind]?.includes(k)) log.notice(file, `${[...path, k].join(".")}: not used by opmon; kept through extra`);
      else log.warn(file, [...path, k].join("."), `unknown key "${k}" (opmon does not read it; kept through extra)`);
      continue;
    }
    if (field === "dataSource") {
      const name = String(v);
      if (!dataSources.has(name)) log.unresolved(file, "data_source", name, [...path, k].join("."), dataSources);
      props.push({ key: field, value: access(DS, name), comments: lines });
    } else if (field === "statistics") {
      props.push({ key: field, value: statistics(input, v, type ?? "scalar", [...path, k], log), comments: lines });
    } else props.push({ key: field, value: lit(v), comments: lines });
  }
  if (Object.keys(extra).length > 0) props.push({ key: "extra", value: lit(extra) });
  return props;
}

/** A `statistics` table as DSL code, parameters in camelCase; statistics that do not fit the type are errors. */
export function statistics(input: LayerInput, value: unknown, type: ProbeType, path: readonly string[], log: ImportLog): string {
  if (!isTable(value)) {
    log.error(input.file, "invalid_value", path.join("."), { reason: "statistics must be a table" });
    return "{}";
  }
  const allowed: readonly string[] = STATISTICS_BY_TYPE[type];
  const props: Prop[] = [];
  for (const [name, params] of Object.entries(value)) {
    if (!allowed.includes(name)) {
      log.error(input.file, "statistic_not_for_type", [...path, name].join("."), { statistic: name, probe: path[1] ?? "", type }, didYouMean(name, allowed));
    }
    const mapped = isTable(params) ? Object.entries(params).map(([k, v]) => ({ key: STATISTIC_PARAM_KEYS[k] ?? k, value: lit(v as TomlValue) })) : [];
    props.push({ key: name, value: obj(mapped), comments: commentsAt(input.file, ...path, name) });
  }
  return obj(props);
}
