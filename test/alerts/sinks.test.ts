import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertRecord, type AlertRecord } from "../../src/alerts/alert-record.js";
import { consoleSummary } from "../../src/alerts/console-sink.js";
import { deliverAlerts, webhookUrl } from "../../src/alerts/deliver-alerts.js";
import { postWebhook, slackPayload } from "../../src/alerts/webhook-sink.js";
import type { ProjectGraph } from "../../src/graph/project-graph.js";
import { demo, demoGraphs } from "../sql/demo-graphs.js";

interface Received {
  readonly method: string;
  readonly contentType: string | undefined;
  readonly body: { text: string; blocks: { type: string; text: { text: string } }[] };
}

/** A loopback server answering each request with the next of `answers` (the last repeats); "hang" never answers. */
async function loopback(answers: readonly (number | "hang")[]): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push({ method: req.method ?? "", contentType: req.headers["content-type"], body: JSON.parse(body) as Received["body"] });
      const answer = answers[Math.min(received.length - 1, answers.length - 1)] ?? 200;
      if (answer === "hang") return;
      res.writeHead(answer).end(answer === 200 ? "ok" : "no");
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () =>
      new Promise<void>((done) => {
        // a hanging request would otherwise keep the server open
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** A port nothing listens on: bound, then released. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return `http://127.0.0.1:${port}/hook`;
}

const alerts: AlertRecord[] = [
  alertRecord(
    "gc",
    {
      submission_date: "2026-11-27",
      metric: "gc_ms",
      statistic: "percentile",
      parameter: 50,
      branch: "treatment",
      os: "Linux",
      message: "Significant difference between branches",
      alert: "gc_pauses",
      severity: "warning",
    },
    ["os"],
  ),
  alertRecord(
    "nightly",
    {
      submission_date: "2026-11-27",
      build_id: "20261120",
      metric: "startup",
      statistic: "mean",
      branch: "active",
      message: "Change point detected: up since 20261120",
      alert: "startup_step",
      severity: "critical",
      since: "20261120",
    },
    [],
  ),
];
// a timeout far above a loopback answer, so a loaded CI machine never turns a slow answer into a retry
const fast = { attempts: 3, timeoutMs: 5_000, backoffMs: 20 };

describe("webhook sink", () => {
  it("POSTs a Slack-compatible {text, blocks} message, most severe first", async () => {
    const server = await loopback([200]);
    const result = await postWebhook(server.url, slackPayload(alerts, ["2026-11-27"]), fast);
    await server.close();
    expect(result).toEqual({ ok: true, attempts: 1, status: 200 });
    expect(server.received).toHaveLength(1);
    const [got] = server.received;
    expect(got?.method).toBe("POST");
    expect(got?.contentType).toBe("application/json");
    expect(got?.body.text).toBe("opmon: 2 alerts for 2026-11-27 (1 warning, 1 critical)");
    expect(got?.body.blocks[0]?.type).toBe("header");
    const listed = got?.body.blocks[1]?.text.text.split("\n") ?? [];
    expect(listed[0]).toMatch(/^• \*critical\* nightly startup_step: startup mean, active: Change point detected: up since 20261120$/);
    expect(listed[1]).toContain("gc gc_pauses: gc_ms percentile p50, treatment, os=`Linux`");
  });

  it("retries a server error and delivers on the third attempt", async () => {
    const server = await loopback([503, 500, 200]);
    const result = await postWebhook(server.url, slackPayload(alerts, ["2026-11-27"]), fast);
    await server.close();
    expect(result).toEqual({ ok: true, attempts: 3, status: 200 });
    expect(server.received).toHaveLength(3);
  });

  it("does not retry a client error", async () => {
    const server = await loopback([404]);
    const result = await postWebhook(server.url, slackPayload(alerts, ["2026-11-27"]), fast);
    await server.close();
    expect(result).toMatchObject({ ok: false, attempts: 1, status: 404 });
  });

  it("gives up on a server that never answers, each attempt within the timeout", async () => {
    const server = await loopback(["hang"]);
    const t0 = performance.now();
    const result = await postWebhook(server.url, slackPayload(alerts, ["2026-11-27"]), { attempts: 2, timeoutMs: 200, backoffMs: 10 });
    const elapsed = performance.now() - t0;
    await server.close();
    expect(result).toEqual({ ok: false, attempts: 2, error: "no answer within 200 ms" });
    expect(server.received).toHaveLength(2);
    expect(elapsed).toBeLessThan(2000);
  });

  it("takes the URL from the option, else OPMON_ALERTS_WEBHOOK, and refuses other schemes", () => {
    expect(webhookUrl("https://a.example/x", { OPMON_ALERTS_WEBHOOK: "https://b.example/y" })).toBe("https://a.example/x");
    expect(webhookUrl(undefined, { OPMON_ALERTS_WEBHOOK: "https://b.example/y" })).toBe("https://b.example/y");
    expect(webhookUrl(undefined, {})).toBeUndefined();
    expect(() => webhookUrl("file:///etc/passwd", {})).toThrow(/http\(s\)/);
  });
});

describe("deliverAlerts after a run", () => {
  let graph: ProjectGraph;
  let work: string;
  beforeAll(async () => {
    graph = demo(await demoGraphs(), "gc-tuning-experiment");
    mkdirSync(join(import.meta.dirname, "..", "..", "test-artifacts"), { recursive: true });
    work = mkdtempSync(join(import.meta.dirname, "..", "..", "test-artifacts", "sinks-"));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const engine = (rows: Record<string, unknown>[]) => ({
    queries: [] as string[],
    async query(sql: string) {
      this.queries.push(sql);
      return rows;
    },
  });
  const row = {
    submission_date: "2026-11-27",
    metric: "gc_ms",
    statistic: "percentile",
    parameter: 50,
    branch: "treatment",
    os: "Linux",
    message: "Significant difference between branches",
    alert: "gc_pauses",
    severity: "warning",
  };

  it("reads the day's alerts view, prints the summary and writes the JSON file", async () => {
    const source = engine([row]);
    const info: string[] = [];
    const file = join(work, "out", "alerts.json");
    const delivery = await deliverAlerts(
      source,
      [graph],
      ["2026-11-27"],
      { dialect: "duckdb" },
      { console: true, jsonFile: file },
      { info: (l) => info.push(l), warn: (l) => info.push(`WARN ${l}`) },
    );
    expect(delivery).toEqual({ alerts: 1, failures: [] });
    expect(source.queries).toEqual([
      "SELECT * FROM operational_monitoring.gc_tuning_experiment_alerts WHERE submission_date IN (DATE '2026-11-27')",
    ]);
    expect(info).toEqual(consoleSummary([alertRecord("gc-tuning-experiment", row, ["os"])], ["2026-11-27"]));
    expect(info[0]).toBe("1 alert for 2026-11-27 (1 warning)");
    const json = JSON.parse(readFileSync(file, "utf8")) as { count: number; alerts: AlertRecord[] };
    expect(json.count).toBe(1);
    expect(json.alerts[0]).toMatchObject({
      slug: "gc-tuning-experiment",
      metric: "gc_ms",
      parameter: 50,
      dimensions: { os: "Linux" },
      severity: "warning",
    });
  });

  it("reports a dead webhook and an unreadable view without throwing", async () => {
    const warnings: string[] = [];
    const broken = { query: async () => Promise.reject(new Error("Catalog Error: Table does not exist")) };
    const unread = await deliverAlerts(
      broken,
      [graph],
      ["2026-11-27"],
      { dialect: "duckdb" },
      { console: false },
      { info: () => undefined, warn: (l) => warnings.push(l) },
    );
    expect(unread.failures).toEqual(["alerts of gc-tuning-experiment could not be read: Catalog Error: Table does not exist"]);
    const dead = await deliverAlerts(
      engine([row]),
      [graph],
      ["2026-11-27"],
      { dialect: "duckdb" },
      { console: false, webhookUrl: await deadUrl(), webhook: fast },
      { info: () => undefined, warn: (l) => warnings.push(l) },
    );
    expect(dead.alerts).toBe(1);
    expect(dead.failures[0]).toMatch(/^alerts webhook failed after 3 attempt\(s\): .*\(the data is written\)$/);
    expect(warnings).toHaveLength(2);
  });
});

describe("the CLI delivers after the data write, and a failed notification keeps the exit code", () => {
  const root = join(import.meta.dirname, "..", "..");
  let work: string;
  beforeAll(() => {
    mkdirSync(join(root, "test-artifacts"), { recursive: true });
    work = mkdtempSync(join(root, "test-artifacts", "sinks-cli-"));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const opmon = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
      const child = spawn(process.execPath, [join(root, "bin", "opmon.js"), ...args], {
        cwd: root,
        env: { ...process.env, OPMON_ALERTS_WEBHOOK: "", ...env },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      child.on("close", (status) => done({ status, stdout, stderr }));
    });

  it("demo: posts the last day's alerts to the webhook from OPMON_ALERTS_WEBHOOK, retrying a 503", async () => {
    // 300 clients: at 100, the statistics' exact intervals leave the last day without an alert to post
    const server = await loopback([503, 200]);
    const warehouse = join(work, "warehouse.duckdb");
    const run = await opmon(
      ["demo", "--clients", "300", "--days", "8", "--warehouse", warehouse, "--out", join(work, "site"), "--alerts-json", join(work, "alerts.json")],
      { OPMON_ALERTS_WEBHOOK: server.url },
    );
    await server.close();
    expect(run.status, run.stderr).toBe(0);
    const written = JSON.parse(readFileSync(join(work, "alerts.json"), "utf8")) as { count: number };
    expect(written.count).toBeGreaterThan(0);
    expect(run.stdout).toContain(`${written.count} alert${written.count === 1 ? "" : "s"} for 2026-11-27`);
    expect(server.received).toHaveLength(2);
    expect(server.received[1]?.body.text).toMatch(new RegExp(`^opmon: ${written.count} alerts? for 2026-11-27`));
  }, 120_000);

  it("run: a dead webhook is reported, the day is written and the exit code stays 0", async () => {
    const warehouse = join(work, "warehouse.duckdb");
    const run = await opmon([
      "run",
      "--date",
      "2026-11-27",
      "--warehouse",
      warehouse,
      "--no-experimenter",
      "--alerts-webhook",
      await deadUrl(),
    ]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/alerts webhook failed after 3 attempt\(s\): .*\(the data is written\)/);
    expect(run.stdout).toContain("3 succeeded, 0 failed");
  }, 120_000);

  it("a webhook that is not http(s) is a usage error before anything runs", async () => {
    const run = await opmon([
      "run",
      "--date",
      "2026-11-27",
      "--warehouse",
      join(work, "none.duckdb"),
      "--no-experimenter",
      "--alerts-webhook",
      "ftp://example.org/x",
    ]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("alerts webhook must be http(s)");
  }, 60_000);
});
