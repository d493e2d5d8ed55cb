import { describe, expect, it, onTestFinished } from "vitest";
import { BigQueryEngine } from "../../src/engines/bigquery/bigquery-engine.js";
import { resolveConfigDir } from "../../src/graph/resolve-config-dir.js";
import { daySteps } from "../../src/run/day-steps.js";
import { runProjects } from "../../src/run/run-projects.js";
import { datesBetween } from "../../src/run/select-projects.js";
import { ROOT } from "../helpers/cli.js";
import { startFakeBigQuery, type Fault } from "../helpers/fake-bigquery.js";

// three faults in every seven requests, cycling through every kind; never more than three in a row,
// so six tries always get through and the test is deterministic
const KINDS: readonly Fault[] = [429, 500, 503, "slow", "drop", "drop-after"];
const schedule = (n: number): Fault | undefined => (n % 7 < 3 ? KINDS[n % KINDS.length] : undefined);

describe("a BigQuery backfill through injected faults", () => {
  it("retries with backoff, reports each retry, and writes every day exactly once", async () => {
    // a fresh fake per attempt, and one project at a time, so the fault schedule meets requests in a fixed order
    const fake = await startFakeBigQuery({ faults: schedule });
    onTestFinished(() => fake.stop());
    const { projects } = await resolveConfigDir(ROOT);
    const graphs = projects.flatMap((p) => (p.graph ? [p.graph] : []));
    const retries: string[] = [];
    const engine = await BigQueryEngine.connect({
      projectId: "opmon-prod",
      apiEndpoint: fake.url,
      token: "t",
      backoffMs: 1,
      onRetry: (what, attempt, reason) => retries.push(`${what} #${attempt}: ${reason}`),
    });
    const dates = datesBetween("2026-11-18", "2026-11-27");
    const summary = await runProjects({
      engine,
      projects: graphs,
      dates: () => dates,
      plan: (g, d) => daySteps(g, d, { dialect: "bigquery", project: "opmon-prod" }),
      parallelism: 1,
    });
    expect(summary.outcomes.map((o) => [o.slug, o.status, o.failures])).toEqual(graphs.map((g) => [g.slug, "succeeded", []]));
    const kinds = Object.fromEntries(KINDS.map((k) => [k, fake.injected.filter((f) => f === k).length]));
    console.log(
      `injected ${fake.injected.length} faults over ${fake.requests.length} requests (${JSON.stringify(kinds)}); ${retries.length} retries reported`,
    );
    expect(fake.injected.length).toBeGreaterThanOrEqual(200);
    expect(retries.length).toBeGreaterThanOrEqual(fake.injected.length - kinds["slow"]! - 10);
    expect(
      retries.some((r) => /HTTP 429/.test(r)) &&
        retries.some((r) => /HTTP 503/.test(r)) &&
        retries.some((r) => /socket hang up|ECONNRESET/.test(r)),
    ).toBe(true);
    // every partition of every day: written once, none lost
    const expected = graphs.flatMap((g) =>
      dates.flatMap((d) =>
        ["_v1", "_statistics_v2", ...(g.alerts.length ? ["_alerts_v2"] : [])].map(
          (t) => `operational_monitoring_derived.${g.tableSlug}${t}$${d.replaceAll("-", "")}`,
        ),
      ),
    );
    expect([...fake.writes.keys()].sort()).toEqual(expected.sort());
    expect([...fake.writes.values()].every((n) => n === 1)).toBe(true);
  }, 120_000);
});
