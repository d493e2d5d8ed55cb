import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Issue } from "../../src/config/issue.js";
import type { ProjectGraph } from "../../src/graph/project-graph.js";
import { resolveConfigDir, type ResolvedProject } from "../../src/graph/resolve-config-dir.js";
import { importToml, writeModules } from "../../src/toml/import-toml.js";

const root = join(import.meta.dirname, "..", "..");

/** A config repository in metric-hub layout, as repo path to TOML text. */
export type TomlTree = Readonly<Record<string, string>>;

/**
 * What upstream's tests resolve against besides their own TOML: the desktop platform with metric-hub's
 * `main` data source and its defaults' population (`data_source = "main"`), nothing else, so that
 * projects setting no platform and no population resolve as upstream's do.
 */
export const DESKTOP: TomlTree = {
  "definitions/firefox_desktop.toml": `[data_sources.main]
from_expression = "mozdata.telemetry.main"
submission_date_column = "DATE(submission_timestamp)"
`,
  "opmon/defaults/firefox_desktop.toml": `[project.population]
data_source = "main"
`,
};

/** What upstream's configs became on opmon's path: import issues, then (when import passed) resolution. */
export interface Imported {
  /** The config directory the modules were written to (when import passed). */
  readonly dir: string;
  readonly importIssues: readonly Issue[];
  readonly resolveIssues: readonly Issue[];
  readonly projects: readonly ResolvedProject[];
  /** Every error of both stages. */
  readonly errors: readonly Issue[];
  /** The resolved project of a slug; throws with its issues when it did not resolve. */
  graph(slug: string): ProjectGraph;
}

/**
 * Imports upstream's test configs through opmon's own path: each tree written as a config repository
 * (several are layered in order, as `opmon import A B`; the first over {@link DESKTOP}), imported to
 * DSL modules and resolved.
 *
 * @example const { graph } = await importTrees({ "opmon/test-foo.toml": "[project]\nmetrics = []\n" });
 */
export async function importTrees(...trees: readonly TomlTree[]): Promise<Imported> {
  mkdirSync(join(root, "test-artifacts"), { recursive: true });
  const work = mkdtempSync(join(root, "test-artifacts", "upstream-configs-"));
  const sources = trees.map((tree, i) => {
    const source = join(work, `source-${i}`);
    for (const [path, text] of Object.entries(i === 0 ? { ...DESKTOP, ...tree } : tree)) {
      mkdirSync(dirname(join(source, path)), { recursive: true });
      writeFileSync(join(source, path), text);
    }
    // a tree of definitions only still reads as metric-hub layout
    mkdirSync(join(source, "opmon"), { recursive: true });
    return source;
  });
  const { modules, issues: importIssues } = await importToml(sources);
  const failed = importIssues.some((i) => i.severity === "error");
  if (!failed) writeModules(join(work, "imported"), modules);
  const resolved = failed ? { projects: [], issues: [] } : await resolveConfigDir(join(work, "imported"));
  const errors = [...importIssues, ...resolved.issues].filter((i) => i.severity === "error");
  return {
    dir: join(work, "imported"),
    importIssues,
    resolveIssues: resolved.issues,
    projects: resolved.projects,
    errors,
    graph(slug) {
      const project = resolved.projects.find((p) => p.slug === slug);
      if (!project?.graph) throw new Error(`${slug} did not resolve: ${JSON.stringify([...errors, ...(project?.issues ?? [])])}`);
      return project.graph;
    },
  };
}
