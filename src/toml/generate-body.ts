import { didYouMean } from "../config/issue.js";
import { dslKey, FOREIGN_KEYS } from "../config/toml-keys.js";
import type { TomlValue } from "../dsl/index.js";
import { emptySections, used, type GeneratedModule } from "./generate-definitions.js";
import { entriesOf, generateEntries, type LayerEntries } from "./generate-entries.js";
import { commentsAt, isTable, type ImportLog, type PlatformNames } from "./import-context.js";
import type { TomlFile, TomlTable } from "./read-toml.js";
import { access, comment, comments, lit, obj, str, type Prop } from "./ts-code.js";

/** The platforms a body may reference: generated module export names and declared names. */
export type PlatformIndex = ReadonlyMap<
  string,
  {
    readonly exportName: string;
    readonly names: PlatformNames;
    /** The module's stem under `definitions/` when it is not the platform's name (an existing config directory's). */
    readonly module?: string;
  }
>;

const ENUMS: { readonly [path: string]: readonly string[] } = {
  "project.xaxis": ["submission_date", "build_id"],
  "project.population.channel": ["nightly", "beta", "release"],
};
const ALERT_TYPES = ["threshold", "ci_overlap", "avg_diff", "change_point", "branch_difference"];

/**
 * `projects/<slug>.ts` or `defaults/<stem>.ts` from a project or defaults TOML file: project-local
 * entries as `extendPlatform` over the platform, references as typed picks, statistics per monitored
 * probe, and the file's layout quirks (omitted defaults, empty lists, renamed keys) in `toml`.
 */
export function generateBody(
  kind: "project" | "defaults",
  stem: string,
  file: TomlFile,
  platforms: PlatformIndex,
  log: ImportLog,
): GeneratedModule | undefined {
  const data = file.data;
  const project: TomlTable = isTable(data["project"]) ? (data["project"] as TomlTable) : {};
  const layout = { omit: [] as string[], empty: emptySections(file).slice(), renamed: {} as { [k: string]: string } };
  const defaultPlatform = kind === "defaults" && stem !== "rollout" ? stem : "firefox_desktop";
  const platformName = typeof project["platform"] === "string" ? project["platform"] : defaultPlatform;
  if (project["platform"] === undefined) {
    layout.omit.push("project.platform");
    if (kind === "project") log.notice(file, `no platform: ${platformName} assumed, as upstream`);
  }
  const platform = platforms.get(platformName);
  if (!platform) {
    const known = [...platforms.keys()];
    const hint = known.length ? didYouMean(platformName, known) : "import the repository it comes from, or pass --config-dir with the platform's definitions";
    log.error(file, "invalid_value", "project.platform", { reason: `no definitions for platform "${platformName}"` }, hint);
    return undefined;
  }
  const legacy = data["probes"] !== undefined || project["probes"] !== undefined;
  const listed = list(project[legacy && project["metrics"] === undefined ? "probes" : "metrics"]);
  const monitored = new Set(listed);
  const entries = generateEntries({ file, base: platform.names, baseExpr: platform.exportName, monitored }, log);
  const names = entries.names;
  const imports = new Set([kind === "project" ? "defineProject" : "defineDefaults"]);
  used(entries, imports);
  const local = entries.dataSources.length + entries.probes.length + entries.dimensions.length > 0;
  if (local) imports.add("extendPlatform");

  const pick = (param: string, name: string, what: "probe" | "dimension", path: string) => {
    const known = what === "probe" ? names.probes.has(name) : names.dimensions.has(name);
    if (!known) log.unresolved(file, what, name, path, what === "probe" ? names.probes.keys() : names.dimensions);
    return access(param, name);
  };
  const picks = (param: string, values: readonly string[], what: "probe" | "dimension", path: string) =>
    `(${param}) => [${values.map((v, i) => pick(param, v, what, `${path}[${i}]`)).join(", ")}]`;

  const props: Prop[] = [];
  const extra: { [key: string]: TomlValue } = {};
  const extraProject: { [key: string]: TomlValue } = {};
  for (const [k, v] of Object.entries(project)) {
    const path = `project.${k}`;
    const lines = commentsAt(file, "project", k);
    const field = dslKey("project", k);
    const allowed = ENUMS[path];
    if (allowed && !allowed.includes(String(v)))
      log.error(file, "invalid_value", path, { reason: `"${String(v)}" is not one of ${allowed.join(", ")}` });
    if (k === "probes" || k === "metrics") {
      if (k === "probes") log.notice(file, "project.probes (seed era) imported as the project's metrics");
      props.push({ key: "probes", value: picks("p", list(v), "probe", path), comments: lines });
      if (list(v).length === 0) layout.empty.push(path);
    } else if (k === "platform") {
      props.push({ key: "platform", value: local ? "platform" : platform.exportName, comments: lines });
    } else if (k === "population" && isTable(v)) {
      props.push({ key: "population", value: population(file, v as TomlTable, names, pick, picks, layout, log), comments: lines });
    } else if (k === "metric_groups" && isTable(v)) {
      const groups = entriesOf(v).map(([g, raw]): Prop => {
        const fields: Prop[] = [];
        for (const [gk, gv] of Object.entries(raw)) {
          if (gk === "metrics") fields.push({ key: "probes", value: picks("p", list(gv), "probe", `${path}.${g}.metrics`) });
          else if (gk === "friendly_name" || gk === "description") fields.push({ key: dslKey("metric_group", gk)!, value: lit(gv) });
          else log.warn(file, `${path}.${g}.${gk}`, `unknown key "${gk}" (dropped)`);
        }
        return { key: g, value: obj(fields), comments: commentsAt(file, "project", "metric_groups", g) };
      });
      props.push({ key: "metricGroups", value: obj(groups), comments: lines });
    } else if (k === "alerts") {
      props.push({ key: "alerts", value: alerts(file, list(v), pick, log), comments: lines });
      if (list(v).length === 0) layout.empty.push(path);
    } else if (field && (kind === "project" || ["xaxis"].includes(k))) {
      props.push({ key: field, value: lit(v), comments: lines });
    } else {
      extraProject[k] = v;
      if (!field) log.warn(file, path, `unknown key "${k}" (opmon does not read it; kept through extra)`);
    }
  }
  if (project["platform"] === undefined) props.unshift({ key: "platform", value: local ? "platform" : platform.exportName });
  if (!props.some((p) => p.key === "probes")) props.push({ key: "probes", value: "() => []" });
  props.push({ key: "statistics", value: obj([...entries.statistics, ...eraStatistics(file, listed, entries, layout, log)]) });
  for (const [k, v] of Object.entries(data)) {
    if (["project", "metrics", "probes", "data_sources", "dimensions", "alerts"].includes(k)) continue;
    if (k === "parameters" && kind === "project" && isTable(v))
      props.push({ key: "parameters", value: lit(v), comments: commentsAt(file, k) });
    else {
      extra[k] = v;
      if (FOREIGN_KEYS.file?.includes(k)) log.notice(file, `[${k}] is not used by opmon; kept through extra`);
      else log.warn(file, k, `unknown section "${k}" (opmon does not read it; kept through extra)`);
    }
  }
  const unlisted = entriesOf(data["alerts"]).filter(([a]) => !list(project["alerts"]).includes(a));
  for (const [a, raw] of unlisted) {
    extra["alerts"] ??= {} as { [k: string]: TomlValue };
    (extra["alerts"] as { [k: string]: TomlValue })[a] = raw;
    log.notice(file, `alerts.${a} is not listed in project.alerts, so it never runs; kept through extra`);
  }
  for (const [section, values] of Object.entries(entries.extra)) extra[section] = { ...(extra[section] as object), ...values };
  if (Object.keys(extraProject).length) extra["project"] = extraProject;
  if (kind === "defaults" && stem === "rollout") props.push({ key: "rollout", value: "true" });
  if (Object.keys(extra).length) props.push({ key: "extra", value: lit(extra) });
  if (data["project"] === undefined) layout.omit.push("project");
  else if (Object.keys(project).length === 0) layout.empty.push("project");
  const tomlLayout = Object.fromEntries(Object.entries(layout).filter(([, v]) => (Array.isArray(v) ? v.length : Object.keys(v).length)));
  if (Object.keys(tomlLayout).length) props.push({ key: "toml", value: lit(tomlLayout as TomlValue) });

  // comments above `[project]` belong to the whole file, like those after the last key
  const header = [...(commentsAt(file, "project") ?? []), ...(commentsAt(file) ?? [])];
  const blocks: string[] = [];
  if (local) {
    const extendProps: Prop[] = [
      ...(entries.dataSources.length
        ? [{ key: "dataSources", value: obj(entries.dataSources), comments: commentsAt(file, "data_sources") }]
        : []),
      ...(entries.probes.length
        ? [{ key: "probes", value: `(ds, base) => (${obj(entries.probes)})`, comments: commentsAt(file, "metrics") }]
        : []),
      ...(entries.dimensions.length
        ? [{ key: "dimensions", value: `(ds) => (${obj(entries.dimensions)})`, comments: commentsAt(file, "dimensions") }]
        : []),
    ];
    blocks.push(`const platform = extendPlatform(${platform.exportName}, ${obj(extendProps)});`);
  }
  const builder = kind === "project" ? "defineProject" : "defineDefaults";
  blocks.push(`${comments(header)}export default ${builder}(${obj(props)});`);
  const folder = kind === "project" ? "projects" : "defaults";
  const source = [
    comment(`Generated by \`opmon import\` from ${file.path}.`),
    `import { ${[...imports].sort().join(", ")} } from "opmon";`,
    `import { ${platform.exportName} } from ${str(`../definitions/${platform.module ?? platformName}.js`)};`,
    "",
    ...blocks,
  ].join("\n");
  return { path: `${folder}/${stem}.ts`, source };
}

/**
 * Statistics for monitored metrics that have none anywhere: from September 2022 until configs moved to
 * metric-hub (mid-October 2022), upstream gave such a metric percentiles. Export leaves them out again.
 */
function eraStatistics(file: TomlFile, listed: readonly string[], entries: LayerEntries, layout: { omit: string[] }, log: ImportLog): Prop[] {
  const given = new Set(entries.statistics.map((p) => p.key));
  return [...new Set(listed)]
    .filter((name) => entries.names.probes.get(name)?.statistics === false && !given.has(name))
    .map((name) => {
      log.notice(file, `metrics.${name} has no statistics: percentile (50, 90, 99) given, upstream's default for configs of autumn 2022`);
      layout.omit.push(`metrics.${name}.statistics`);
      return { key: name, value: obj([{ key: "percentile", value: "{}" }]) };
    });
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

type Pick = (param: string, name: string, what: "probe" | "dimension", path: string) => string;
type Picks = (param: string, values: readonly string[], what: "probe" | "dimension", path: string) => string;

function population(
  file: TomlFile,
  raw: TomlTable,
  names: PlatformNames,
  pick: Pick,
  picks: Picks,
  layout: { empty: string[] },
  log: ImportLog,
): string {
  const props: Prop[] = [];
  for (const [k, v] of Object.entries(raw)) {
    const path = `project.population.${k}`;
    const lines = commentsAt(file, "project", "population", k);
    const allowed = ENUMS[path];
    if (allowed && !allowed.includes(String(v)))
      log.error(file, "invalid_value", path, { reason: `"${String(v)}" is not one of ${allowed.join(", ")}` });
    if (k === "data_source") {
      if (!names.dataSources.has(String(v))) log.unresolved(file, "data_source", String(v), path, names.dataSources);
    }
    if (k === "data_source") props.push({ key: "dataSource", value: `(ds) => ${access("ds", String(v))}`, comments: lines });
    else if (k === "dimensions") {
      props.push({ key: "dimensions", value: picks("d", list(v), "dimension", path), comments: lines });
      if (list(v).length === 0) layout.empty.push(path);
    } else if (k === "group_by_dimension")
      props.push({ key: "groupByDimension", value: `(d) => ${pick("d", String(v), "dimension", path)}`, comments: lines });
    else if (dslKey("population", k)) props.push({ key: dslKey("population", k)!, value: lit(v), comments: lines });
    else log.warn(file, path, `unknown key "${k}" (dropped: opmon does not read it)`);
  }
  if (props.length === 0) layout.empty.push("project.population");
  return obj(props);
}

function alerts(
  file: TomlFile,
  listed: readonly string[],
  pick: Pick,
  log: ImportLog,
): string {
  const defined = new Map(entriesOf(file.data["alerts"]));
  const props: Prop[] = [];
  for (const name of listed) {
    const raw = defined.get(name);
    if (!raw) {
      log.error(file, "invalid_value", `project.alerts`, { reason: `alert "${name}" is listed but not defined in [alerts]` });
      continue;
    }
    const fields: Prop[] = [];
    const extra: { [key: string]: TomlValue } = {};
    for (const [k, v] of Object.entries(raw)) {
      const path = `alerts.${name}.${k}`;
      if (k === "type" && !ALERT_TYPES.includes(String(v)))
        log.error(file, "invalid_value", path, { reason: `alert type "${String(v)}" is not one of ${ALERT_TYPES.join(", ")}` });
      if (k === "metrics" || k === "probes")
        fields.push({
          key: "probes",
          value: `(p) => [${list(v)
            .map((m, i) => pick("p", m, "probe", `${path}[${i}]`))
            .join(", ")}]`,
        });
      else if (k === "percentiles") {
        // upstream reads `parameters` only: importing this as parameters would drop rows upstream alerted on
        extra[k] = v as TomlValue;
        log.warn(file, path, 'key "percentiles" is ignored by OpMon (it reads "parameters"): kept through extra, the alert watches every parameter as upstream\'s did');
      } else if (dslKey("alert", k))
        fields.push({ key: dslKey("alert", k)!, value: lit(v), comments: commentsAt(file, "alerts", name, k) });
      else log.warn(file, path, `unknown key "${k}" (dropped: opmon does not read it)`);
    }
    if (Object.keys(extra).length) fields.push({ key: "extra", value: lit(extra) });
    props.push({ key: name, value: obj(fields), comments: commentsAt(file, "alerts", name) });
  }
  return obj(props);
}
