import { describe, expect, it, onTestFinished } from "vitest";
import {
  BigQueryEngine,
  BigQueryError,
  BigQueryNotFoundError,
  CredentialsRejectedError,
  MissingCredentialsError,
} from "../../src/engines/bigquery/bigquery-engine.js";
import { httpError } from "../../src/engines/bigquery/bigquery-errors.js";
import { resolveConfigDir } from "../../src/graph/resolve-config-dir.js";
import { daySteps } from "../../src/run/day-steps.js";
import { runProjects } from "../../src/run/run-projects.js";
import { datesBetween } from "../../src/run/select-projects.js";
import { ROOT } from "../helpers/cli.js";
import { startFakeBigQuery, type Fault } from "../helpers/fake-bigquery.js";
import { failureOf } from "../helpers/failure-of.js";
import { faultyEngine } from "../helpers/faulty-engine.js";

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
      // laid out or not, the same requests; the formatter would only add its seconds
      plan: (g, d) => daySteps(g, d, { dialect: "bigquery", project: "opmon-prod", pretty: false }),
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
      retries.some((r) => /HTTP 429/.test(r)) && retries.some((r) => /HTTP 503/.test(r)) && retries.some((r) => /network:/.test(r)),
    ).toBe(true);
    // every partition of every day: written once, none lost
    const expected = graphs.flatMap((g) =>
      dates.flatMap((d) =>
        [
          "_v1",
          "_statistics_v2",
          // comparisons need two branches to compare (or a branch_difference alert)
          ...(g.population.branches.length > 1 || g.alerts.some((a) => a.type === "branch_difference") ? ["_comparisons_v1"] : []),
          ...(g.alerts.length ? ["_alerts_v2"] : []),
        ].map(
          (t) => `operational_monitoring_derived.${g.tableSlug}${t}$${d.replaceAll("-", "")}`,
        ),
      ),
    );
    expect([...fake.writes.keys()].sort()).toEqual(expected.sort());
    expect([...fake.writes.values()].every((n) => n === 1)).toBe(true);
  }, 120_000);
});

const engineWith = faultyEngine;

const isInsert = (method: string, path: string) => method === "POST" && path.endsWith("/jobs");
const TABLE = { dataset: "operational_monitoring_derived", table: "gc_v1" };
const SECRET = "ya29.s3cr3t-t0ken-value";

describe("hostile answers from BigQuery or a proxy in front of it", () => {
  it("an HTML page under 200 is an error with the status and a clean excerpt, not a crash, and shows no token", async () => {
    const { fake, engine, retries } = await engineWith((_, m, p) => (isInsert(m, p) ? "html" : undefined), { token: SECRET });
    const error = await failureOf(engine.writePartition(TABLE, "2026-11-27", "SELECT 1", "metrics"));
    expect(error).toBeInstanceOf(BigQueryError);
    expect(error.message).toMatch(
      /^metrics \(operational_monitoring_derived\.gc_v1\$20261127\): insert job: BigQuery answered HTTP 200 with text\/html, not JSON: "<html>/,
    );
    expect(error.message).toContain("Corporate proxy: please sign in");
    // no ESC/BEL from the page, no newline, and the echoed token is gone
    expect(error.message).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(error.message).not.toContain("s3cr3t");
    expect(error.message).toContain("Bearer [redacted]");
    // a proxy page is not a passing hiccup: not retried
    expect(fake.jobInserts()).toHaveLength(1);
    expect(retries).toEqual([]);
  });

  it("HTML pages on polling and on reading results are errors too (the library would have read them as zero rows)", async () => {
    const get = await engineWith((_, m, p) => (m === "GET" && p.includes("/jobs/") ? "html" : undefined));
    expect((await failureOf(get.engine.execute("SELECT 1", "views"))).message).toMatch(
      /^views: wait for job: BigQuery answered HTTP 200 with text\/html, not JSON/,
    );
    const results = await engineWith((_, m, p) => (m === "GET" && p.includes("/queries/") ? "html" : undefined));
    expect((await failureOf(results.engine.query("SELECT slug FROM projects"))).message).toMatch(
      /^query "SELECT slug FROM projects": read results: BigQuery answered HTTP 200 with text\/html, not JSON/,
    );
  });

  it("an HTML 502 from a gateway is retried, and the run goes on", async () => {
    const { engine, retries } = await engineWith((n) => (n <= 2 ? "html-502" : undefined));
    expect(await engine.query("SELECT slug FROM projects")).toEqual([{ slug: "a" }]);
    expect(retries).toEqual([
      'query "SELECT slug FROM projects": insert job #2: HTTP 502 notJson',
      'query "SELECT slug FROM projects": insert job #3: HTTP 502 notJson',
    ]);
  });

  it("shows BigQuery's reason and message, not 'Multiple errors occurred', and does not retry accessDenied", async () => {
    const { fake, engine } = await engineWith((_, m, p) => (isInsert(m, p) ? "403-denied" : undefined));
    const error = await failureOf(engine.execute("SELECT 1", "views"));
    expect(error.message).toBe(
      "views: insert job: BigQuery answered HTTP 403: accessDenied: Access Denied: Project opmon-prod: User does not have bigquery.jobs.create permission",
    );
    expect(fake.jobInserts()).toHaveLength(1);
  });

  it("retries 403 rateLimitExceeded with backoff until it passes, and names the reason when it never does", async () => {
    const passing = await engineWith((n) => (n <= 3 ? "403-rate" : undefined));
    await passing.engine.writePartition(TABLE, "2026-11-27", "SELECT 1", "metrics");
    expect(passing.retries).toHaveLength(3);
    expect(passing.retries.every((r) => r.endsWith("HTTP 403 rateLimitExceeded"))).toBe(true);
    expect([...passing.fake.writes.values()]).toEqual([1]);

    const stuck = await engineWith(() => "403-rate", { tries: 3 });
    const error = await failureOf(stuck.engine.execute("SELECT 1", "views"));
    expect(error.message).toMatch(/^views: insert job: BigQuery answered HTTP 403: rateLimitExceeded: Exceeded rate limits/);
    expect(stuck.fake.jobInserts()).toHaveLength(3);
  });

  it("reruns a job that failed with backendError or jobRateLimitExceeded, under a new job id", async () => {
    let inserts = 0;
    const { fake, engine, retries } = await engineWith((_, m, p) => {
      if (!isInsert(m, p)) return undefined;
      inserts++;
      return inserts === 1 ? "job-rate" : inserts === 2 ? "job-backendError" : undefined;
    });
    await engine.writePartition(TABLE, "2026-11-27", "SELECT 1", "metrics");
    const ids = fake.jobInserts().map((r) => r.body["jobReference"]?.jobId);
    expect(new Set(ids).size).toBe(3);
    expect(retries.map((r) => r.replace(/^.*#\d: /, ""))).toEqual(["jobRateLimitExceeded", "backendError"]);
  });

  it("a job that fails for good says why, with BigQuery's reason", async () => {
    const fake = await startFakeBigQuery({ notFound: (sql) => sql.includes("missing") });
    onTestFinished(() => fake.stop());
    const engine = await BigQueryEngine.connect({ projectId: "opmon-prod", apiEndpoint: fake.url, token: "t" });
    const error = await failureOf(engine.query("SELECT * FROM missing"));
    expect(error).toBeInstanceOf(BigQueryNotFoundError);
    expect(error.message).toMatch(
      /^query "SELECT \* FROM missing": BigQuery job opmon_query_[\w-]+ failed: notFound: Not found: Table opmon-prod:operational_monitoring\.x/,
    );
  });

  it("a 401 says the credentials were rejected and how to log in again, without the token", async () => {
    const { fake, engine } = await engineWith(() => "401", { token: SECRET });
    const error = await failureOf(engine.execute("SELECT 1", "views"));
    expect(error).toBeInstanceOf(CredentialsRejectedError);
    expect(error).not.toBeInstanceOf(MissingCredentialsError);
    expect(error.message).toMatch(/rejected the BigQuery credentials \(authError: Request had invalid authentication credentials\.\)/);
    expect(error.message).toMatch(/gcloud auth application-default login/);
    expect(error.message).toMatch(/GOOGLE_APPLICATION_CREDENTIALS/);
    expect(error.message).not.toMatch(/Could not load the default credentials|s3cr3t/);
    // the token was sent, and a rejection is not retried
    expect(fake.requests).toHaveLength(1);
  });
});

describe("what counts as results that do not exist yet", () => {
  const answer = (message: string) => JSON.stringify({ error: { code: 404, message, errors: [{ reason: "notFound", message }] } });
  it("a missing table, view or dataset; not a missing job or a mistyped project", () => {
    expect(
      httpError("q", 404, answer("Not found: Table p:operational_monitoring.gc_statistics was not found in location US")),
    ).toBeInstanceOf(BigQueryNotFoundError);
    expect(httpError("q", 404, answer("Not found: Dataset p:operational_monitoring was not found in location US"))).toBeInstanceOf(
      BigQueryNotFoundError,
    );
    expect(httpError("q", 404, answer("Not found: Project opmon-prd"))).not.toBeInstanceOf(BigQueryNotFoundError);
    expect(httpError("q", 404, answer("Not found: Job opmon-prod:US.opmon_query_1"))).not.toBeInstanceOf(BigQueryNotFoundError);
    // a 404 page from a proxy is not BigQuery saying so
    expect(httpError("q", 404, "<html>Not found: Table</html>", "text/html")).not.toBeInstanceOf(BigQueryNotFoundError);
  });
});
