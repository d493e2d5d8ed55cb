import type { ProjectGraph } from "../../src/graph/project-graph.js";
import { resolveConfigDir } from "../../src/graph/resolve-config-dir.js";
import { ROOT } from "../helpers/cli.js";

/** The demo projects' graphs, by slug. */
export async function demoGraphs(): Promise<Record<string, ProjectGraph>> {
  const { projects } = await resolveConfigDir(ROOT);
  const graphs: Record<string, ProjectGraph> = {};
  for (const p of projects) if (p.graph) graphs[p.slug] = p.graph;
  return graphs;
}

/** A demo graph that must exist. */
export function graphOf(graphs: Record<string, ProjectGraph>, slug: string): ProjectGraph {
  const graph = graphs[slug];
  if (!graph) throw new Error(`demo project ${slug} did not resolve (have: ${Object.keys(graphs).join(", ")})`);
  return graph;
}
