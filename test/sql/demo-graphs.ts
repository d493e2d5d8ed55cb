import type { ProjectGraph } from "../../src/graph/project-graph.js";
import { resolveConfigDir } from "../../src/graph/resolve-config-dir.js";

/** The demo projects of this repository, resolved, by slug. */
export async function demoGraphs(): Promise<ReadonlyMap<string, ProjectGraph>> {
  const { projects } = await resolveConfigDir(".");
  const graphs = new Map<string, ProjectGraph>();
  for (const p of projects) if (p.graph) graphs.set(p.slug, p.graph);
  return graphs;
}

/** A demo graph that must exist. */
export function demo(graphs: ReadonlyMap<string, ProjectGraph>, slug: string): ProjectGraph {
  const graph = graphs.get(slug);
  if (!graph) throw new Error(`demo project ${slug} did not resolve`);
  return graph;
}
