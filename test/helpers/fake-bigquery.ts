import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A request the fake received: method, path and the parsed JSON body. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: Record<string, any>;
}

/**
 * A fault the fake can inject into one request: an error status, a slow answer, or a dropped connection
 * (before or after acting); or, for the attacks on deadlines and error handling:
 * - `403-rate`, `403-denied`: 403 with reason `rateLimitExceeded` (retryable) or `accessDenied` (not);
 * - `401`: credentials rejected;
 * - `html`, `html-502`: a proxy's HTML page (with control characters, echoing the Authorization header) under 200 or 502;
 * - `hang`: no answer at all (the connection stays open until the fake stops);
 * - `running`: a job insert or get answers that the job is still RUNNING;
 * - `job-backendError`, `job-rate`: the job is accepted and then fails with `backendError` or `jobRateLimitExceeded`;
 * - `job-concurrent`: the job's transaction is aborted by a concurrent one (`invalidQuery`, as BigQuery says it).
 */
export type Fault =
  | 429
  | 500
  | 503
  | "slow"
  | "drop"
  | "drop-after"
  | "403-rate"
  | "403-denied"
  | "401"
  | "html"
  | "html-502"
  | "hang"
  | "running"
  | "job-backendError"
  | "job-rate"
  | "job-concurrent";

/** Options of {@link startFakeBigQuery}. */
export interface FakeBigQueryOptions {
  /** Decides, for the n-th request (from 1), whether to inject a fault. */
  readonly faults?: (n: number, method: string, path: string) => Fault | undefined;
  /** What every query "processes", for dry runs and the bytes cap. */
  readonly bytesProcessed?: number;
  /** Rows returned by queries: the same for every query, or chosen by its SQL. */
  readonly rows?: readonly Record<string, string | null>[] | ((sql: string) => readonly Record<string, string | null>[]);
  /** Queries whose tables do not exist: their jobs fail with `notFound`, as BigQuery's do. */
  readonly notFound?: (sql: string) => boolean;
  /** Tables (and views) tables.get answers, by `project.dataset.table`, with their schema's fields; any other is notFound. */
  readonly tables?: Readonly<Record<string, readonly object[]>>;
}

/** Error answers of the fault kinds that are one HTTP error. */
const ERROR_FAULTS: Partial<Record<string, { status: number; reason: string; message: string }>> = {
  "429": { status: 429, reason: "rateLimitExceeded", message: "injected 429" },
  "500": { status: 500, reason: "backendError", message: "injected 500" },
  "503": { status: 503, reason: "backendError", message: "injected 503" },
  "403-rate": { status: 403, reason: "rateLimitExceeded", message: "Exceeded rate limits: too many api requests per user per method" },
  "403-denied": { status: 403, reason: "accessDenied", message: "Access Denied: Project opmon-prod: User does not have bigquery.jobs.create permission" },
  "401": { status: 401, reason: "authError", message: "Request had invalid authentication credentials." },
};

/**
 * A loopback stand-in for the BigQuery REST API (jobs.insert, jobs.get, jobs.getQueryResults,
 * jobs.query, jobs.cancel, and tables.get with `tables`), enough for the engine. It records every request, answers jobs as done,
 * and refuses a job whose `maximumBytesBilled` is below what it would process, as BigQuery does.
 */
export async function startFakeBigQuery(options: FakeBigQueryOptions = {}) {
  const bytes = options.bytesProcessed ?? 1_000_000;
  const requests: RecordedRequest[] = [];
  const jobs = new Map<string, Record<string, any>>();
  const injected: Fault[] = [];
  /** Jobs asked to be cancelled, by id. */
  const cancels: string[] = [];
  /** Jobs created per destination (`table$partition`): a partition written twice shows as 2. */
  const writes = new Map<string, number>();
  const read = (req: IncomingMessage) =>
    new Promise<Record<string, any>>((resolve) => {
      let text = "";
      req.on("data", (d: Buffer) => (text += d));
      req.on("end", () => resolve(text ? (JSON.parse(text) as Record<string, any>) : {}));
    });
  const results = (jobReference: unknown, sql: string) => {
    const rows = typeof options.rows === "function" ? options.rows(sql) : (options.rows ?? []);
    return {
      kind: "bigquery#getQueryResultsResponse",
      jobReference,
      jobComplete: true,
      totalRows: String(rows.length),
      schema: { fields: Object.keys(rows[0] ?? {}).map((name) => ({ name, type: "STRING" })) },
      rows: rows.map((row) => ({ f: Object.values(row).map((v) => ({ v })) })),
    };
  };
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const body = await read(req);
    requests.push({ method: req.method ?? "", path: url.pathname, body });
    const fault = options.faults?.(requests.length, req.method ?? "", url.pathname);
    if (fault !== undefined) injected.push(fault);
    const failure = fault === undefined ? undefined : ERROR_FAULTS[String(fault)];
    if (failure) {
      // as Google sends them: a top-level message, and errors[] repeating it with the reason
      const { status, reason, message } = failure;
      const payload = { error: { code: status, message, errors: [{ reason, message, domain: "global" }] } };
      return void res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(payload));
    }
    if (fault === "html" || fault === "html-502") {
      const page = `<html><head><title>Sign in</title></head><body>\u001b]0;owned\u0007Corporate proxy: please sign in. You sent ${req.headers.authorization ?? "nothing"}</body></html>`;
      return void res.writeHead(fault === "html" ? 200 : 502, { "content-type": "text/html; charset=utf-8" }).end(page);
    }
    if (fault === "hang") return;
    if (fault === "drop") return void req.socket.destroy();
    if (fault === "slow") await new Promise((r) => setTimeout(r, 100));
    const send = (status: number, payload: unknown) =>
      fault === "drop-after"
        ? void req.socket.destroy()
        : void res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(payload));
    const insert = /^\/bigquery\/v2\/projects\/([^/]+)\/jobs$/.exec(url.pathname);
    const job = /^\/bigquery\/v2\/projects\/([^/]+)\/jobs\/([^/]+)$/.exec(url.pathname);
    const queryResults = /^\/bigquery\/v2\/projects\/([^/]+)\/queries\/([^/]+)$/.exec(url.pathname);
    const query = /^\/bigquery\/v2\/projects\/([^/]+)\/queries$/.exec(url.pathname);
    if (req.method === "POST" && insert) {
      const cap = body["configuration"]?.query?.maximumBytesBilled;
      if (cap !== undefined && Number(cap) < bytes) {
        return send(400, {
          error: {
            code: 400,
            message: `Query exceeded limit for bytes billed: ${cap}. ${bytes} or higher required.`,
            errors: [{ reason: "bytesBilledLimitExceeded" }],
          },
        });
      }
      const jobReference = { projectId: insert[1], jobId: body["jobReference"]?.jobId ?? `job_${requests.length}`, location: "US" };
      if (jobs.has(jobReference.jobId)) return send(409, { error: { code: 409, message: `Already Exists: Job ${jobReference.jobId}` } });
      const destination = body["configuration"]?.query?.destinationTable;
      if (destination && !body["configuration"]?.dryRun) {
        const key = `${destination.datasetId}.${destination.tableId}`;
        writes.set(key, (writes.get(key) ?? 0) + 1);
      }
      const sql = String(body["configuration"]?.query?.query ?? "");
      const jobFailure =
        fault === "job-backendError"
          ? { reason: "backendError", message: "Backend error. Job aborted." }
          : fault === "job-rate"
            ? { reason: "jobRateLimitExceeded", message: "Exceeded rate limits: too many table update operations for this table" }
            : fault === "job-concurrent"
              ? { reason: "invalidQuery", message: "Transaction is aborted due to concurrent update against table p:d.projects_v1." }
              : options.notFound?.(sql)
              ? { reason: "notFound", message: `Not found: Table ${insert[1]}:operational_monitoring.x was not found in location US` }
              : undefined;
      const resource = {
        kind: "bigquery#job",
        id: `${insert[1]}:US.${jobReference.jobId}`,
        jobReference,
        configuration: body["configuration"],
        status: jobFailure ? { state: "DONE", errorResult: jobFailure, errors: [jobFailure] } : { state: "DONE" },
        statistics: { totalBytesProcessed: String(bytes), query: { totalBytesProcessed: String(bytes) } },
      };
      jobs.set(jobReference.jobId, resource);
      return send(200, fault === "running" ? { ...resource, status: { state: "RUNNING" } } : resource);
    }
    const cancel = /^\/bigquery\/v2\/projects\/([^/]+)\/jobs\/([^/]+)\/cancel$/.exec(url.pathname);
    if (req.method === "POST" && cancel) {
      const known = jobs.get(cancel[2] ?? "");
      cancels.push(cancel[2] ?? "");
      if (!known) return send(404, { error: { code: 404, message: `Not found: Job ${cancel[2]}`, errors: [{ reason: "notFound" }] } });
      return send(200, { kind: "bigquery#jobCancelResponse", job: known });
    }
    if (req.method === "GET" && job) {
      const known = jobs.get(job[2] ?? "");
      if (!known) return send(404, { error: { code: 404, message: `Not found: Job ${job[2]}`, errors: [{ reason: "notFound" }] } });
      return send(200, fault === "running" ? { ...known, status: { state: "RUNNING" } } : known);
    }
    if (req.method === "GET" && queryResults) {
      const known = jobs.get(queryResults[2] ?? "");
      return send(200, results(known?.["jobReference"], String(known?.["configuration"]?.query?.query ?? "")));
    }
    if (req.method === "POST" && query) {
      const jobReference = { projectId: query[1], jobId: `query_${requests.length}`, location: "US" };
      const configuration = { query: { query: body["query"] } };
      jobs.set(jobReference.jobId, { jobReference, configuration, status: { state: "DONE" }, statistics: {} });
      return send(200, results(jobReference, String(body["query"] ?? "")));
    }
    const table = /^\/bigquery\/v2\/projects\/([^/]+)\/datasets\/([^/]+)\/tables\/([^/]+)$/.exec(url.pathname);
    if (req.method === "GET" && table && options.tables) {
      const [project, dataset, id] = table.slice(1).map((p) => decodeURIComponent(p ?? ""));
      const fields = options.tables[`${project}.${dataset}.${id}`];
      if (!fields) return send(404, { error: { code: 404, message: `Not found: Table ${project}:${dataset}.${id}`, errors: [{ reason: "notFound" }] } });
      return send(200, { kind: "bigquery#table", tableReference: { projectId: project, datasetId: dataset, tableId: id }, schema: { fields } });
    }
    send(404, { error: { code: 404, message: `the fake does not serve ${req.method} ${url.pathname}` } });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    injected,
    writes,
    cancels,
    /** The job insertions received, in order. */
    jobInserts: () => requests.filter((r) => r.method === "POST" && r.path.endsWith("/jobs")),
    stop: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
