import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A request the fake received: method, path and the parsed JSON body. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: Record<string, any>;
}

/** A fault the fake can inject into one request: an error status, a slow answer, or a dropped connection (before or after acting). */
export type Fault = 429 | 500 | 503 | "slow" | "drop" | "drop-after";

/** Options of {@link startFakeBigQuery}. */
export interface FakeBigQueryOptions {
  /** Decides, for the n-th request (from 1), whether to inject a fault. */
  readonly faults?: (n: number, method: string, path: string) => Fault | undefined;
  /** What every query "processes", for dry runs and the bytes cap. */
  readonly bytesProcessed?: number;
  /** Rows returned by queries: the same for every query, or chosen by its SQL. */
  readonly rows?: readonly Record<string, string | null>[] | ((sql: string) => readonly Record<string, string | null>[]);
}

/**
 * A loopback stand-in for the BigQuery REST API (jobs.insert, jobs.get, jobs.getQueryResults,
 * jobs.query), enough for the real client library. It records every request, answers jobs as done,
 * and refuses a job whose `maximumBytesBilled` is below what it would process, as BigQuery does.
 */
export async function startFakeBigQuery(options: FakeBigQueryOptions = {}) {
  const bytes = options.bytesProcessed ?? 1_000_000;
  const requests: RecordedRequest[] = [];
  const jobs = new Map<string, Record<string, any>>();
  const injected: Fault[] = [];
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
    if (typeof fault === "number") {
      const reason = fault === 429 ? "rateLimitExceeded" : "backendError";
      const payload = { error: { code: fault, message: `injected ${fault}`, errors: [{ reason }] } };
      return void res.writeHead(fault, { "content-type": "application/json" }).end(JSON.stringify(payload));
    }
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
      const resource = {
        kind: "bigquery#job",
        id: `${insert[1]}:US.${jobReference.jobId}`,
        jobReference,
        configuration: body["configuration"],
        status: { state: "DONE" },
        statistics: { totalBytesProcessed: String(bytes), query: { totalBytesProcessed: String(bytes) } },
      };
      jobs.set(jobReference.jobId, resource);
      return send(200, resource);
    }
    if (req.method === "GET" && job) return send(200, jobs.get(job[2] ?? "") ?? { error: { code: 404, message: "no such job" } });
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
    send(404, { error: { code: 404, message: `the fake does not serve ${req.method} ${url.pathname}` } });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    injected,
    writes,
    /** The job insertions received, in order. */
    jobInserts: () => requests.filter((r) => r.method === "POST" && r.path.endsWith("/jobs")),
    stop: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
