import { DuckDBInstance } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import type { ProjectGraph } from "../../src/graph/project-graph.js";
import type { DialectName } from "../../src/sql/dialects/dialect.js";
import { planDay } from "../../src/sql/plan-day.js";
import { atLeast } from "../../src/sql/statistics/sql-math.js";
import { comparisonValues, COMPARISONS } from "../../src/sql/views.js";
import { demo, demoGraphs } from "./demo-graphs.js";

/**
 * DuckDB's GREATEST/LEAST skip NULL arguments, BigQuery's return NULL: statistics and views must not
 * lean on either, so a branch without an interval never gets made-up comparison bounds.
 */
let graphs: ReadonlyMap<string, ProjectGraph>;
beforeAll(async () => {
  graphs = await demoGraphs();
});

/** (v.point, v.lower, v.upper, ref.point, ref.lower, ref.upper), each case with a NULL somewhere. */
const CASES: readonly (readonly (number | null)[])[] = [
  [12, null, null, 10, 8, 12],
  [12, 11, null, 10, 8, 12],
  [12, null, 13, 10, 8, 12],
  [12, 11, 13, 10, null, null],
  [12, 11, 13, 10, 8, null],
  [12, 11, 13, 10, null, 12],
];

const literal = (x: number | null) => (x === null ? "CAST(NULL AS DOUBLE)" : `CAST(${x} AS DOUBLE)`);

describe("NULL propagation in both dialects", () => {
  it("atLeast is NULL for NULL on DuckDB, and floors otherwise", async () => {
    const connection = await (await DuckDBInstance.create(":memory:")).connect();
    const reader = await connection.runAndReadAll(
      `SELECT ${atLeast("CAST(NULL AS DOUBLE)", "0")} AS a, ${atLeast("CAST(-1.5 AS DOUBLE)", "0")} AS b, ${atLeast("CAST(2.5 AS DOUBLE)", "0")} AS c, GREATEST(CAST(NULL AS DOUBLE), 0) AS duck`,
    );
    const [row] = reader.getRowObjectsJson();
    expect(row).toEqual({ a: null, b: 0, c: 2.5, duck: 0 });
  });

  it.each(COMPARISONS)("%s bounds are NULL on DuckDB when a needed bound of either side is NULL", async (kind) => {
    const connection = await (await DuckDBInstance.create(":memory:")).connect();
    const values = comparisonValues(kind);
    for (const c of CASES) {
      const [vp, vl, vu, rp, rl, ru] = c.map(literal);
      const sql = `SELECT ${values.lower} AS lower, ${values.upper} AS upper
        FROM (SELECT ${vp} AS point, ${vl} AS lower, ${vu} AS upper) v, (SELECT ${rp} AS point, ${rl} AS lower, ${ru} AS upper) ref`;
      const [row] = (await connection.runAndReadAll(sql)).getRowObjectsJson() as { lower: unknown; upper: unknown }[];
      // each bound reads one bound of each side (lower: v.lower and ref.upper; upper: v.upper and ref.lower)
      const lowerInputs = kind === "difference" ? [c[1], c[5]] : [c[1], c[5], c[4]];
      const upperInputs = kind === "difference" ? [c[2], c[4]] : [c[2], c[4]];
      if (lowerInputs.includes(null)) expect(row?.lower, `${kind} lower of ${JSON.stringify(c)}`).toBeNull();
      if (upperInputs.includes(null)) expect(row?.upper, `${kind} upper of ${JSON.stringify(c)}`).toBeNull();
    }
  });

  it.each<DialectName>(["bigquery", "duckdb"])("the %s statistics, views and alerts (branch_difference too) call no GREATEST or LEAST", (dialect) => {
    for (const slug of ["gc-tuning-experiment", "desktop-nightly-health"]) {
      const base = demo(graphs, slug);
      const worse = { name: "worse", type: "branch_difference" as const, probes: [base.probes[0]!.name] };
      const queries = planDay({ ...base, alerts: [...base.alerts, worse] }, "2026-10-20", { dialect });
      for (const name of ["statistics", "statistics_view", "alerts"]) expect(queries.map((q) => q.name), slug).toContain(name);
      for (const q of queries) expect(q.sql, `${slug} ${q.name}`).not.toMatch(/\b(GREATEST|LEAST)\s*\(/i);
    }
  });
});
