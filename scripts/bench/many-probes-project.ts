// A config directory holding one project with many probes on the demo's tables, for measuring how
// opmon's costs grow with probes (`tsx scripts/bench/many-probes.ts`) and for the reliability test.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const SCALARS = [
  "payload.processes.parent.scalars.browser_engagement_active_ticks",
  "payload.processes.parent.scalars.timestamps_first_paint",
  "payload.processes.parent.scalars.shutdown_hang_count",
];
const HISTOGRAMS = ["gc_ms", "gc_slice_during_idle", "cycle_collector", "memory_total", "content_process_count", "input_event_response_ms"];

/** The TypeScript of probe `i`: three scalars (mean, sum, count, percentile) for every histogram (percentiles). */
function probe(i: number): string {
  const name = `probe_${i}`;
  if (i % 4 === 3) {
    const h = HISTOGRAMS[i % HISTOGRAMS.length] ?? "gc_ms";
    return `    ${name}: defineProbe({ type: "histogram", dataSource: main, select: "ARRAY_AGG(mozfun.hist.extract(payload.histograms.${h}) IGNORE NULLS)", statistics: { percentile: {} } }),`;
  }
  const s = SCALARS[i % SCALARS.length] ?? SCALARS[0];
  const statistics =
    i % 4 === 0 ? "{ mean: {}, percentile: { percentiles: [50, 90] } }" : i % 4 === 1 ? "{ sum: {}, mean: {} }" : "{ count: {} }";
  return `    ${name}: defineProbe({ type: "scalar", dataSource: main, select: "SUM(${s}) + ${i}", statistics: ${statistics} }),`;
}

/**
 * Writes a config directory under `parent` (which must be inside the repository, so `import "opmon"`
 * resolves) with one platform of `probes` probes on the demo's main ping and one project monitoring
 * all of them over the whole population, by OS. Returns the directory.
 *
 * @example const dir = manyProbesConfig(join(ROOT, ".opmon"), 1000); // then opmon run --config-dir dir
 */
export function manyProbesConfig(parent: string, probes: number, slug = "many-probes"): string {
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, `many-${probes}-`));
  mkdirSync(join(dir, "definitions"));
  mkdirSync(join(dir, "projects"));
  writeFileSync(
    join(dir, "definitions", "many.ts"),
    [
      `import { defineDataSource, defineDimension, definePlatform, defineProbe } from "opmon";`,
      `export const many = definePlatform("firefox_desktop", {`,
      `  glean: false,`,
      `  dataSources: { main: defineDataSource({ from: "mozdata.telemetry.main", submissionDateColumn: "DATE(submission_timestamp)" }) },`,
      `  probes: ({ main }) => ({`,
      ...Array.from({ length: probes }, (_, i) => probe(i)),
      `  }),`,
      `  dimensions: ({ main }) => ({ os: defineDimension({ dataSource: main, select: "environment.system.os.name" }) }),`,
      `});`,
      ``,
    ].join("\n"),
  );
  writeFileSync(
    join(dir, "projects", `${slug}.ts`),
    [
      `import { defineProject } from "opmon";`,
      `import { many } from "../definitions/many.js";`,
      `export default defineProject({`,
      `  platform: many,`,
      `  startDate: "2026-01-01",`,
      `  skipDefaultMetrics: true,`,
      `  statistics: {},`,
      `  probes: (p) => [${Array.from({ length: probes }, (_, i) => `p.probe_${i}`).join(", ")}],`,
      `  population: { dataSource: (ds) => ds.main, monitorEntirePopulation: true, dimensions: (d) => [d.os] },`,
      `});`,
      ``,
    ].join("\n"),
  );
  return dir;
}
