import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { resolveConfigDir } from "./src/graph/resolve-config-dir.js";
import { importToml, writeModules } from "./src/toml/import-toml.js";
import { daySteps } from "./src/run/day-steps.js";
const out = mkdtempSync(join(".opmon", "ac-"));
writeModules(out, (await importToml("test/fixtures/metric-hub")).modules);
const projects = (await resolveConfigDir(out)).projects.filter((p) => p.graph && !p.graph.skip);
const rows: [string, number, number, string][] = [];
for (const p of projects) {
  const plan = daySteps(p.graph!, "2026-11-05", { dialect: "duckdb", pretty: false });
  const st = plan.steps.filter((s) => /statistics/.test(s.label) && !/view|cleanup/.test(s.label));
  const stats = p.graph!.probes.flatMap((q) => q.statistics.map((s) => s.name + (q.type === "histogram" ? "(h)" : "")));
  const counts = Object.entries(stats.reduce((m, s) => ({ ...m, [s]: (m[s] ?? 0) + 1 }), {} as Record<string, number>)).map(([k, v]) => `${k}:${v}`).join(" ");
  rows.push([p.graph!.slug, st.length, st.reduce((n, s) => n + (s.kind === "write" ? s.select.length : s.sql.length), 0), counts]);
}
rows.sort((a, b) => b[2] - a[2]);
for (const r of rows.slice(0, 14)) console.log(r.join("  "));
rmSync(out, { recursive: true, force: true });
