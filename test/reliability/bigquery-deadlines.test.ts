import { describe, expect, it } from "vitest";
import { BigQueryTimeoutError } from "../../src/engines/bigquery/bigquery-engine.js";
import { failureOf } from "../helpers/failure-of.js";
import { faultyEngine, type Faults } from "../helpers/faulty-engine.js";

// Deadlines here are tiny so that the tests stay fast; they assert on the error, never on the clock.

const engineWith = (faults: Faults, deadlines: { jobTimeoutMs?: number; requestTimeoutMs?: number }) =>
  faultyEngine(faults, { tries: 2, token: "t0k3n-for-deadlines", ...deadlines });

const isInsert = (method: string, path: string) => method === "POST" && path.endsWith("/jobs");
const isPoll = (method: string, path: string) => method === "GET" && /\/jobs\/[^/]+$/.test(path);
const TABLE = { dataset: "operational_monitoring_derived", table: "gc_v1" };

describe("BigQuery deadlines", () => {
  it("a jobs.insert never answered ends with a request timeout naming the step, after its retries", async () => {
    const { engine, retries } = await engineWith((_, m, p) => (isInsert(m, p) ? "hang" : undefined), { requestTimeoutMs: 100 });
    const error = await failureOf(engine.writePartition(TABLE, "2026-11-27", "SELECT 1", "metrics"));
    expect(error).toBeInstanceOf(BigQueryTimeoutError);
    expect(error.message).toBe(
      "metrics (operational_monitoring_derived.gc_v1$20261127): insert job: BigQuery did not answer within 100 ms (request timeout, --request-timeout)",
    );
    expect(retries).toEqual(["metrics (operational_monitoring_derived.gc_v1$20261127): insert job #2: no answer within 100 ms"]);
  });

  it("an unanswered request, then an answer, is one retry and the write goes through once", async () => {
    // the deadline must outlast every answered request on a loaded machine, or the answer is taken for a hang
    const { fake, engine } = await engineWith((n) => (n === 1 ? "hang" : undefined), { requestTimeoutMs: 2_000 });
    await engine.writePartition(TABLE, "2026-11-27", "SELECT 1", "metrics");
    expect([...fake.writes.values()]).toEqual([1]);
  });

  it("a job RUNNING forever ends at the job deadline, names the job and step, and is cancelled", async () => {
    const { fake, engine } = await engineWith((_, m, p) => (isPoll(m, p) ? "running" : undefined), { jobTimeoutMs: 80 });
    const error = await failureOf(engine.execute("CREATE OR REPLACE VIEW v AS SELECT 1", "metrics_view"));
    expect(error).toBeInstanceOf(BigQueryTimeoutError);
    expect(error.message).toMatch(
      /^metrics_view: BigQuery job (opmon_metrics_view_[\w-]+) did not finish within 80 ms \(job timeout, --job-timeout\); asked BigQuery to cancel it$/,
    );
    const jobId = /job (\S+) did not/.exec(error.message)?.[1];
    expect(fake.cancels).toEqual([jobId]);
  });

  it("a query that never finishes ends at the job deadline too, naming the query", async () => {
    const { engine } = await engineWith((_, m, p) => (isPoll(m, p) ? "running" : undefined), { jobTimeoutMs: 50 });
    const error = await failureOf(engine.query("SELECT * FROM `opmon-prod.operational_monitoring.gc_statistics`"));
    expect(error.message).toMatch(
      /^query "SELECT \* FROM `opmon-prod\.operational_monitoring\.gc_statistics`": BigQuery job \S+ did not finish within 50 ms/,
    );
  });

  it("no request outlives the job deadline: a hung insert under a 10 min request timeout still ends at a 60 ms job deadline", async () => {
    const { fake, engine } = await engineWith((_, m, p) => (isInsert(m, p) ? "hang" : undefined), {
      jobTimeoutMs: 60,
      requestTimeoutMs: 600_000,
    });
    const error = await failureOf(engine.execute("SELECT 1", "views"));
    expect(error).toBeInstanceOf(BigQueryTimeoutError);
    expect(error.message).toMatch(
      /^views: BigQuery job \S+ did not finish within 60 ms \(job timeout, --job-timeout\); BigQuery has no such job, so it never started$/,
    );
    // the insert may have created the job unseen, so it is asked to be cancelled all the same
    expect(fake.cancels).toHaveLength(1);
  });

  it("a cancel that fails is reported, not hidden, and the deadline error still comes out", async () => {
    const faults: Faults = (_, m, p) => (isPoll(m, p) ? "running" : p.endsWith("/cancel") ? 503 : undefined);
    const { engine } = await engineWith(faults, { jobTimeoutMs: 50 });
    const error = await failureOf(engine.execute("SELECT 1", "views"));
    expect(error.message).toMatch(
      /did not finish within 50 ms \(job timeout, --job-timeout\); could not cancel it \(views: cancel job: BigQuery answered HTTP 503: backendError: injected 503\)$/,
    );
  });

  it("a slow poll is survived: a job RUNNING for a few polls under a generous deadline finishes", async () => {
    const { fake, engine } = await engineWith((n, m, p) => (isPoll(m, p) && n <= 5 ? "running" : undefined), { jobTimeoutMs: 60_000 });
    await engine.writePartition(TABLE, "2026-11-27", "SELECT 1", "metrics");
    expect([...fake.writes.values()]).toEqual([1]);
    expect(fake.cancels).toEqual([]);
  });
});
