// Ten projects on one data source with ten different populations, for pricing scan sharing against
// a floor doing the same work (copies with one population would make every project's joins and
// writes the same by construction).
import type { ProjectGraph } from "../../src/graph/project-graph.js";

const HEX = "0123456789abcdef";

/**
 * Population `i` of ten: the clients whose id starts with one of eight hex digits from the `i`-th on
 * (wrapping), about half of them each, and a different half for every `i`. BigQuery SQL, so opmon
 * translates it as a config's.
 *
 * @example populationCondition(0) // "SUBSTR(client_id, 1, 1) IN ('0', '1', ..., '7')"
 */
export function populationCondition(i: number): string {
  const digits = Array.from({ length: 8 }, (_, k) => `'${HEX[(i + k) % 16] ?? "0"}'`);
  return `SUBSTR(client_id, 1, 1) IN (${digits.join(", ")})`;
}

/**
 * Ten copies of a boolean-pref project (`tab-unloading-rollout`), project `i` restricted to population
 * `i` ({@link populationCondition}): outside it the pref reads NULL, so the client is in no branch.
 *
 * @example const graphs = tenPopulations(graph); // slugs bench-pop-0 .. bench-pop-9
 */
export function tenPopulations(graph: ProjectGraph): ProjectGraph[] {
  const { branching } = graph.population;
  if (branching.mode !== "boolean_pref") throw new Error(`${graph.slug} is no boolean-pref project`);
  return Array.from({ length: 10 }, (_, i) => ({
    ...graph,
    slug: `bench-pop-${i}`,
    tableSlug: `bench_pop_${i}`,
    population: {
      ...graph.population,
      branching: { mode: "boolean_pref", expression: `CASE WHEN ${populationCondition(i)} THEN ${branching.expression} END` },
    },
  }));
}
