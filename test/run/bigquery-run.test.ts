import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BigQueryEngine } from "../../src/engines/bigquery/bigquery-engine.js";
import { resolveConfigDir } from "../../src/graph/resolve-config-dir.js";
import { daySteps, metadataStep, sharedDay } from "../../src/run/day-steps.js";
import { runProjects } from "../../src/run/run-projects.js";
import { startFakeBigQuery } from "../helpers/fake-bigquery.js";
import { ROOT } from "../helpers/cli.js";

describe("a nightly run on BigQuery (real client, loopback fake of the REST API)", () => {
  let fake: Awaited<ReturnType<typeof startFakeBigQuery>>;
  beforeAll(async () => {
    fake = await startFakeBigQuery({ bytesProcessed: 2_000_000 });
  });
  afterAll(() => fake.stop());

  it("writes each day's partitions with WRITE_TRUNCATE and replaces views, for every project", async () => {
    const { projects } = await resolveConfigDir(ROOT);
    const graphs = projects.flatMap((p) => (p.graph ? [p.graph] : []));
    const engine = await BigQueryEngine.connect({
      projectId: "opmon-prod",
      apiEndpoint: fake.url,
      token: "t",
      maximumBytesBilled: 5_000_000,
    });
    const summary = await runProjects({
      engine,
      projects: graphs,
      dates: () => ["2026-11-26", "2026-11-27"],
      plan: (g, d) => daySteps(g, d, { dialect: "bigquery", project: "opmon-prod" }),
      share: (gs, d) => sharedDay(gs, d, { dialect: "bigquery", project: "opmon-prod" }),
      metadata: (gs) => metadataStep(gs, "2026-11-27", { dialect: "bigquery", project: "opmon-prod" }),
      parallelism: 2,
    });
    expect(summary.outcomes.map((o) => o.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    const configs = fake.jobInserts().map((r) => r.body["configuration"]?.query);
    const writes = configs
      .filter((q) => q?.destinationTable)
      .map((q) => `${q.destinationTable.datasetId}.${q.destinationTable.tableId} ${q.writeDisposition}`);
    expect(writes.filter((w) => w.startsWith("operational_monitoring_derived.gc_tuning_experiment"))).toEqual([
      "operational_monitoring_derived.gc_tuning_experiment_v1$20261126 WRITE_TRUNCATE",
      "operational_monitoring_derived.gc_tuning_experiment_statistics_v2$20261126 WRITE_TRUNCATE",
      "operational_monitoring_derived.gc_tuning_experiment_comparisons_v1$20261126 WRITE_TRUNCATE",
      "operational_monitoring_derived.gc_tuning_experiment_alerts_v2$20261126 WRITE_TRUNCATE",
      "operational_monitoring_derived.gc_tuning_experiment_v1$20261127 WRITE_TRUNCATE",
      "operational_monitoring_derived.gc_tuning_experiment_statistics_v2$20261127 WRITE_TRUNCATE",
      "operational_monitoring_derived.gc_tuning_experiment_comparisons_v1$20261127 WRITE_TRUNCATE",
      "operational_monitoring_derived.gc_tuning_experiment_alerts_v2$20261127 WRITE_TRUNCATE",
    ]);
    for (const q of configs.filter((c) => c?.destinationTable)) {
      expect(q).toMatchObject({
        timePartitioning: { type: "DAY", field: "submission_date" },
        clustering: { fields: ["build_id"] },
        maximumBytesBilled: "5000000",
      });
      // upstream's metrics tables keep 775 days (TABLE_EXPIRATION_MS); its other tables keep everything
      const metrics = /^[a-z_]+(?<!_comparisons)_v1\$/.test(q.destinationTable.tableId);
      expect(q.timePartitioning.expirationMs, q.destinationTable.tableId).toBe(metrics ? "66960000000" : undefined);
    }
    const statements = configs.filter((q) => !q?.destinationTable).map((q) => String(q?.query));
    expect(
      statements.some((s) => s.includes("CREATE OR REPLACE VIEW `opmon-prod.operational_monitoring.gc_tuning_experiment_statistics`")),
    ).toBe(true);
    // one metadata transaction for the whole run (three projects, two days)
    expect(statements.filter((s) => s.includes("DELETE FROM `opmon-prod.operational_monitoring_derived.projects_v1`"))).toHaveLength(1);
    // main is aggregated once a day for the experiment and the rollout, into a table that expires, dropped after the day
    const shared = statements.filter((s) =>
      s.startsWith("CREATE OR REPLACE TABLE `opmon-prod.operational_monitoring_derived.opmon_shared_main_"),
    );
    expect(shared).toHaveLength(2);
    expect(shared[0]).toContain("expiration_timestamp");
    expect(shared[0]).toContain("mozdata.telemetry.main");
    expect(
      statements.filter((s) => s.startsWith("DROP TABLE IF EXISTS `opmon-prod.operational_monitoring_derived.opmon_shared_")),
    ).toHaveLength(
      statements.filter((s) => s.startsWith("CREATE OR REPLACE TABLE `opmon-prod.operational_monitoring_derived.opmon_shared_")).length,
    );
    const sources = configs.filter((q) => q?.destinationTable?.tableId === "gc_tuning_experiment_v1$20261127").map((q) => String(q.query));
    expect(sources[0]).toContain("opmon_shared_main_20261127");
  });
});
