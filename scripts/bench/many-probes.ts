// `tsx scripts/bench/many-probes.ts 200 1000 5000`: how planning one day grows with the probes of a
// project: resolving the config directory, then planDay without layout (as a run does) and laid out (as
// `opmon sql` does). Prints seconds, SQL size and this process's peak RSS after each size.
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { resolveConfigDir } from "../../src/graph/resolve-config-dir.js";
import { planDay } from "../../src/sql/plan-day.js";
import { manyProbesConfig } from "./many-probes-project.js";

const ROOT = resolve(import.meta.dirname, "../..");
const DAY = "2026-11-27";
const sizes = process.argv.slice(2).map(Number);

const timed = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  const value = f();
  return [value, (performance.now() - t) / 1000];
};

for (const probes of sizes.length ? sizes : [200, 1000]) {
  const dir = manyProbesConfig(join(ROOT, ".opmon"), probes);
  try {
    const t0 = performance.now();
    const { projects } = await resolveConfigDir(dir);
    const resolving = (performance.now() - t0) / 1000;
    const graph = projects[0]?.graph;
    if (!graph) throw new Error(`the ${probes}-probe project does not resolve: ${JSON.stringify(projects[0]?.issues)}`);
    const [raw, plain] = timed(() => planDay(graph, DAY, { dialect: "bigquery", pretty: false }));
    const [laidOut, pretty] = timed(() => planDay(graph, DAY, { dialect: "bigquery" }));
    const size = (qs: readonly { sql: string }[]) => `${(qs.reduce((n, q) => n + q.sql.length, 0) / 1e6).toFixed(1)} MB`;
    const rss = (process.resourceUsage().maxRSS / 1024).toFixed(0);
    console.log(
      `${probes} probes: resolve ${resolving.toFixed(1)} s, plan ${plain.toFixed(2)} s (${raw.length} queries, ${size(raw)}), ` +
        `laid out ${pretty.toFixed(1)} s (${size(laidOut)}), peak RSS ${rss} MB`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
