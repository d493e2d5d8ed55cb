import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";
import type { ProjectGraph } from "../../src/graph/project-graph.js";

/** Days of fixture results per project. */
export const FIXTURE_DAYS = 14;
/** From this day on (1-based), the regressing branch's `gc_ms` is 40% slower on Windows. */
export const REGRESSION_DAY = 10;
/** The message of the injected alert, as upstream's ci_overlap alert writes it. */
export const REGRESSION_MESSAGE = "Significant difference between branches";
/** The message of a second alert, on `gc_ms` p50 on Linux (not the default OS) on day {@link LINUX_ALERT_DAY}. */
export const LINUX_ALERT_MESSAGE = "Linux: treatment above control";
/** The day (1-based) of the Linux alert: Linux has results up to day 10. */
export const LINUX_ALERT_DAY = 9;

const DIMENSION_VALUES: Record<string, readonly string[]> = {
  os: ["Windows", "Linux", "Mac"],
  arch: ["x86_64", "aarch64"],
  cores: ["4", "8", "2"],
};

/** On this day (1-based) the Mac rows have too few clients for an interval: no bounds, `too_few_clients`. */
export const TOO_FEW_DAY = 4;
/** The clients behind every fixture row of a day. */
export const fixtureClients = (day: number) => 100 + day;

const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** A value that differs per metric, statistic, parameter, dimension values and day, deterministically. */
function base(...keys: readonly (string | number)[]): number {
  let h = 7;
  for (const ch of keys.join("|")) h = (h * 31 + ch.charCodeAt(0)) % 100_003;
  return 20 + (h % 200);
}

/**
 * Writes fixture results for `graph` into the warehouse, in the shape of the run's views:
 * `operational_monitoring.<slug>_statistics` (long format) and `<slug>_alerts`, over tables in
 * `operational_monitoring_derived`. The second branch (or the only one) regresses on `gc_ms` on
 * Windows from {@link REGRESSION_DAY}, and an alert row records it on the latest day; a second alert is on
 * Linux, which no filter shows by default. Experiments get
 * comparison rows (difference, relative difference) as the run's view has them; rows carry `clients`,
 * Mac has too few clients on {@link TOO_FEW_DAY}, and `main_crashes`' stored lower bound is negative. Dimension values
 * are uneven (Windows on every day, Linux on ten, Mac on seven) so the most common value is Windows.
 */
export async function writeFixtureResults(engine: DuckDbEngine, graph: ProjectGraph, dir: string): Promise<void> {
  const start = graph.startDate ?? "2026-10-01";
  const dims = graph.population.dimensions.map((d) => d.name);
  const branches = graph.population.branches;
  const regressing = branches[1] ?? branches[0] ?? "";
  const combos = dims.reduce<Record<string, string>[]>(
    (acc, d) => acc.flatMap((c) => (DIMENSION_VALUES[d] ?? ["a", "b"]).map((v) => ({ ...c, [d]: v }))),
    [{}],
  );
  const rows: Record<string, unknown>[] = [];
  for (let day = 1; day <= FIXTURE_DAYS; day++) {
    const date = addDays(start, day);
    const build = graph.xaxis === "build_id" ? `${addDays(start, day - 1).replaceAll("-", "")}093000` : null;
    for (const combo of combos) {
      if ((combo["os"] === "Mac" && day > 7) || (combo["os"] === "Linux" && day > 10) || (combo["arch"] === "aarch64" && day > 5)) continue;
      for (const probe of graph.probes) {
        for (const s of probe.statistics) {
          const parameters = s.name === "percentile" ? s.percentiles : [null];
          for (const parameter of parameters) {
            const pointOf = (branch: string) => {
              const point = base(probe.name, s.name, parameter ?? "", ...Object.values(combo)) * (1 + 0.01 * Math.sin(day + branch.length));
              return probe.name === "gc_ms" && branch === regressing && combo["os"] === "Windows" && day >= REGRESSION_DAY
                ? point * 1.4
                : point;
            };
            const reference = pointOf(branches[0] ?? "");
            const tooFew = combo["os"] === "Mac" && day === TOO_FEW_DAY;
            const row = (branch: string, point: number, half: number, comparison: string | null) => ({
              submission_date: date,
              build_id: build,
              ...combo,
              branch,
              metric: probe.name,
              statistic: s.name,
              parameter,
              point,
              // crash counts are rare: their stored lower bound goes below 0, as a normal interval's does
              lower: tooFew ? null : probe.name === "main_crashes" && !comparison ? -point : point - half,
              upper: tooFew ? null : point + half,
              comparison,
              clients: fixtureClients(day),
              too_few_clients: tooFew,
            });
            for (const branch of branches) rows.push(row(branch, pointOf(branch), pointOf(branch) * 0.02, null));
            for (const branch of branches.slice(1)) {
              rows.push(row(branch, pointOf(branch) - reference, reference * 0.03, "difference"));
              rows.push(row(branch, pointOf(branch) / reference - 1, 0.03, "relative_difference"));
            }
          }
        }
      }
    }
  }
  const slug = graph.tableSlug;
  const file = join(dir, `${slug}-statistics.json`);
  writeFileSync(file, JSON.stringify(rows));
  const dimColumns = dims.map((d) => `${d}: 'VARCHAR'`).join(", ");
  const columns = `{submission_date: 'DATE', build_id: 'VARCHAR', ${dimColumns}${dims.length ? ", " : ""}branch: 'VARCHAR', metric: 'VARCHAR', statistic: 'VARCHAR', parameter: 'DOUBLE', point: 'DOUBLE', lower: 'DOUBLE', upper: 'DOUBLE', comparison: 'VARCHAR', clients: 'BIGINT', too_few_clients: 'BOOLEAN'}`;
  await engine.execute("CREATE SCHEMA IF NOT EXISTS operational_monitoring_derived", "fixture");
  await engine.execute("CREATE SCHEMA IF NOT EXISTS operational_monitoring", "fixture");
  await engine.execute(
    `CREATE OR REPLACE TABLE operational_monitoring_derived.${slug}_statistics_v2 AS SELECT * FROM read_json('${file}', columns = ${columns})`,
    "fixture",
  );
  await engine.execute(
    `CREATE OR REPLACE VIEW operational_monitoring.${slug}_statistics AS SELECT *, CAST(submission_date AS TIMESTAMP) AS submission_timestamp FROM operational_monitoring_derived.${slug}_statistics_v2`,
    "fixture",
  );
  if (graph.alerts.length === 0) return;
  const last = addDays(start, FIXTURE_DAYS);
  const alertBuild = graph.xaxis === "build_id" ? `'${addDays(start, FIXTURE_DAYS - 1).replaceAll("-", "")}093000'` : "NULL";
  const dimValues = dims.map((d) => (d === "os" ? `'Windows' AS ${d}` : `'${DIMENSION_VALUES[d]?.[0] ?? "a"}' AS ${d}`)).join(", ");
  await engine.execute(
    `CREATE OR REPLACE TABLE operational_monitoring_derived.${slug}_alerts_v2 AS
     SELECT DATE '${last}' AS submission_date, ${alertBuild} AS build_id, ${dimValues}${dims.length ? "," : ""}
       'gc_ms' AS metric, 'percentile' AS statistic, CAST(50 AS DOUBLE) AS parameter, '${regressing}' AS branch, '${REGRESSION_MESSAGE}' AS message
     UNION ALL
     SELECT DATE '${addDays(start, LINUX_ALERT_DAY)}', ${graph.xaxis === "build_id" ? `'${addDays(start, LINUX_ALERT_DAY - 1).replaceAll("-", "")}093000'` : "NULL"},
       ${dims.map((d) => (d === "os" ? `'Linux'` : `'${DIMENSION_VALUES[d]?.[0] ?? "a"}'`)).join(", ")}${dims.length ? "," : ""}
       'gc_ms', 'percentile', CAST(50 AS DOUBLE), '${regressing}', '${LINUX_ALERT_MESSAGE}'`,
    "fixture",
  );
  await engine.execute(
    `CREATE OR REPLACE VIEW operational_monitoring.${slug}_alerts AS SELECT * FROM operational_monitoring_derived.${slug}_alerts_v2`,
    "fixture",
  );
}
