import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { stringify } from "smol-toml";
import { configFiles } from "../config/load-config-dir.js";
import { resolveOpmonToSelf } from "../config/opmon-entry.js";
import { isEntity, type AnyPlatform, type Body, type Functions, type TomlLayout } from "../dsl/index.js";
import { applyLayout, deepMerge, entryTable, statisticsTable, type Table } from "./to-toml-table.js";

/** One exported TOML file: its path in metric-hub layout and its data. */
export interface ExportedFile {
  readonly path: string;
  readonly data: Table;
}

type Entries = { readonly [name: string]: object };

/**
 * Loads a config directory's modules and prints them as TOML in metric-hub layout: platforms to
 * `definitions/<platform>.toml` (an `extendPlatform` layer of the same module to
 * `opmon/definitions/<platform>.toml`), Jinja helpers to `definitions/functions.toml`, defaults to
 * `opmon/defaults/<stem>.toml`, projects to `opmon/<slug>.toml`.
 *
 * @example const files = await exportToml("./monitoring");
 */
export async function exportToml(dir: string): Promise<ExportedFile[]> {
  const files: ExportedFile[] = [];
  const full = new Map<string, AnyPlatform>();
  const bodies: { folder: string; stem: string; body: Body & { slug?: string } }[] = [];
  resolveOpmonToSelf();
  for (const file of configFiles(dir)) {
    const module = (await import(pathToFileURL(resolve(dir, file)).href)) as Record<string, unknown>;
    const [folder = "", name = ""] = file.split("/");
    const stem = name.replace(/\.[^.]+$/, "");
    if (folder === "definitions") {
      for (const value of Object.values(module)) {
        if (isFunctions(value)) files.push({ path: "definitions/functions.toml", data: functionsTable(value) });
      }
      const platforms = Object.entries(module).filter((e): e is [string, AnyPlatform] => isEntity(e[1], "platform"));
      for (const [base, overlay] of layers(platforms)) {
        if (!overlay) {
          files.push({ path: `definitions/${base.name}.toml`, data: platformTable(base) });
          full.set(base.name, base);
        } else {
          files.push({ path: `definitions/${base.name}.toml`, data: platformTable(base) });
          files.push({ path: `opmon/definitions/${base.name}.toml`, data: overlayTable(overlay, base) });
          full.set(base.name, overlay);
        }
      }
    } else if (folder === "defaults" || folder === "projects") {
      const body = module["default"];
      if (isEntity(body, "project") || isEntity(body, "defaults")) bodies.push({ folder, stem, body: body as unknown as Body });
    }
  }
  for (const { folder, stem, body } of bodies) {
    const path = folder === "projects" ? `opmon/${body.slug ?? stem}.toml` : `opmon/defaults/${stem}.toml`;
    files.push({ path, data: bodyTable(body as Body & { [field: string]: unknown }, full.get(body.platform.name)) });
  }
  return files;
}

/**
 * Writes exported files under `out` through a temporary directory, so a failure leaves nothing half-written.
 *
 * @example writeToml("./metric-hub-out", await exportToml("."));
 */
export function writeToml(out: string, files: readonly ExportedFile[]): void {
  const target = resolve(out);
  mkdirSync(dirname(target), { recursive: true });
  const temp = mkdtempSync(join(dirname(target), `.${basename(target)}.export-`));
  try {
    for (const f of files) {
      mkdirSync(dirname(join(temp, f.path)), { recursive: true });
      writeFileSync(join(temp, f.path), `${stringify(f.data)}\n`);
    }
    if (!existsSync(target)) return renameSync(temp, target);
    for (const f of files) {
      mkdirSync(dirname(join(target, f.path)), { recursive: true });
      renameSync(join(temp, f.path), join(target, f.path));
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

const isFunctions = (v: unknown): v is Functions => typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "functions";

function functionsTable(f: Functions): Table {
  const entries = Object.entries(f.functions).map(([name, d]) => [name, entryTable("function", d)]);
  return { functions: Object.fromEntries(entries) };
}

/** Pairs platform exports of one module: a platform alone, or a shared base with the layer extending it. */
function layers(platforms: readonly [string, AnyPlatform][]): [AnyPlatform, AnyPlatform | undefined][] {
  const byName = new Map<string, [string, AnyPlatform][]>();
  for (const entry of platforms) byName.set(entry[1].name, [...(byName.get(entry[1].name) ?? []), entry]);
  return [...byName.values()].map((group): [AnyPlatform, AnyPlatform | undefined] => {
    if (group.length === 1) return [group[0]![1], undefined];
    const extendsOther = (a: AnyPlatform, b: AnyPlatform) =>
      a !== b && Object.keys(b.probes).every((k) => k in a.probes) && Object.keys(b.dataSources).every((k) => k in a.dataSources);
    const sorted = [...group].sort(([an], [bn]) => Number(bn.endsWith("Shared")) - Number(an.endsWith("Shared")));
    const base = sorted.find(([, p]) => group.some(([, q]) => extendsOther(q, p))) ?? sorted[0]!;
    const overlay = group.find(([, p]) => p !== base[1] && extendsOther(p, base[1]))!;
    return [base[1], overlay[1]];
  });
}

function platformTable(p: AnyPlatform): Table {
  const table: Table = {};
  const put = (section: string, kind: "data_source" | "metric" | "dimension", entries: Entries) => {
    const names = Object.keys(entries);
    if (names.length) table[section] = Object.fromEntries(names.map((n) => [n, entryTable(kind, entries[n]!)]));
  };
  put("data_sources", "data_source", p.dataSources);
  put("metrics", "metric", p.probes);
  put("dimensions", "dimension", p.dimensions);
  return applyLayout(deepMerge(table, (p.extra ?? {}) as Table), p.toml);
}

/** The entries `layer` declared itself: `extendPlatform` keeps the base's untouched entries as the same objects. */
function changed(layer: Entries, base: Entries | undefined): string[] {
  return Object.keys(layer).filter((k) => !base || layer[k] !== base[k]);
}

function overlayTable(layer: AnyPlatform, base: AnyPlatform | undefined): Table {
  const table: Table = {};
  const put = (section: string, kind: "data_source" | "metric" | "dimension", entries: Entries, below: Entries | undefined) => {
    const names = changed(entries, below);
    if (names.length) table[section] = Object.fromEntries(names.map((n) => [n, entryTable(kind, entries[n]!)]));
  };
  put("data_sources", "data_source", layer.dataSources, base?.dataSources);
  put("metrics", "metric", layer.probes, base?.probes);
  put("dimensions", "dimension", layer.dimensions, base?.dimensions);
  return table;
}

const PROJECT_FIELDS: readonly [string, string][] = [
  ["name", "name"],
  ["xaxis", "xaxis"],
  ["start_date", "startDate"],
  ["end_date", "endDate"],
  ["reference_branch", "referenceBranch"],
  ["compact_visualization", "compactVisualization"],
  ["confidence_level", "confidenceLevel"],
  ["skip_default_metrics", "skipDefaultMetrics"],
  ["skip", "skip"],
  ["is_rollout", "isRollout"],
];

function bodyTable(body: Body & { [field: string]: unknown }, base: AnyPlatform | undefined): Table {
  const project: Table = { platform: body.platform.name };
  for (const [key, field] of PROJECT_FIELDS) if (body[field] !== undefined) project[key] = body[field] as string;
  if (body.probes.length) project["metrics"] = body.probes.map((p) => p.name);
  const alertNames = Object.keys(body.alerts);
  if (alertNames.length) project["alerts"] = alertNames;
  const pop = body.population;
  const population: Table = {};
  if (pop.dataSource) population["data_source"] = pop.dataSource.name;
  if (pop.booleanPref !== undefined) population["boolean_pref"] = pop.booleanPref;
  if (pop.channel !== undefined) population["channel"] = pop.channel;
  if (pop.branches !== undefined) population["branches"] = [...pop.branches];
  if (pop.dimensions.length) population["dimensions"] = pop.dimensions.map((d) => d.name);
  if (pop.monitorEntirePopulation !== undefined) population["monitor_entire_population"] = pop.monitorEntirePopulation;
  if (pop.groupByDimension) population["group_by_dimension"] = pop.groupByDimension.name;
  if (Object.keys(population).length) project["population"] = population;
  const groups = Object.entries(body.metricGroups);
  if (groups.length) {
    project["metric_groups"] = Object.fromEntries(
      groups.map(([name, g]) => [
        name,
        { ...entryTable("metric_group", { ...g, probes: undefined }), metrics: g.probes.map((p) => p.name) },
      ]),
    );
  }
  const table: Table = { project, ...overlayTable(body.platform, base) };
  for (const [name, stats] of Object.entries(body.statistics)) {
    const metrics = (table["metrics"] ??= {}) as Table;
    metrics[name] = { ...(metrics[name] as Table | undefined), statistics: statisticsTable(stats) };
  }
  if (alertNames.length) {
    table["alerts"] = Object.fromEntries(
      Object.entries(body.alerts).map(([name, a]) => [
        name,
        { ...entryTable("alert", { ...a, probes: undefined }), metrics: a.probes.map((p) => p.name) },
      ]),
    );
  }
  if (body["parameters"]) table["parameters"] = body["parameters"] as Table;
  return applyLayout(deepMerge(table, (body.extra ?? {}) as Table), body.toml as TomlLayout | undefined);
}
