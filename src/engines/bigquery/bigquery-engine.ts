import { BigQuery } from "@google-cloud/bigquery";
import { randomUUID } from "node:crypto";
import { firstLine } from "../../util/first-line.js";
import type { Engine, Estimate, TableRef, WriteResult } from "../engine.js";
import {
  BigQueryError,
  BigQueryTimeoutError,
  credentialsRejected,
  CredentialsRejectedError,
  excerpt,
  formatDuration,
  httpError,
  jobError,
  LOGIN_HINT,
  MissingCredentialsError,
  parseJson,
  redact,
  retryReason,
} from "./bigquery-errors.js";

export {
  BigQueryError,
  BigQueryNotFoundError,
  BigQueryTimeoutError,
  CredentialsRejectedError,
  MissingCredentialsError,
} from "./bigquery-errors.js";

/** How long a job may take, from its insertion to DONE, unless told otherwise: 6 h. */
export const DEFAULT_JOB_TIMEOUT_MS = 6 * 3_600_000;
/** How long one HTTP request may take, unless told otherwise: 10 min. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10 * 60_000;
/** The longest wait between retries, however many tries. */
const MAX_BACKOFF_MS = 32_000;
/** An answer larger than this is refused rather than buffered (a results page is at most about 10 MB). */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/** Options of {@link BigQueryEngine}. */
export interface BigQueryEngineOptions {
  /** The Google Cloud project that runs jobs and owns the output datasets. */
  readonly projectId: string;
  readonly location?: string;
  /** Refuse any job that would bill more bytes than this. */
  readonly maximumBytesBilled?: number;
  /** Labels added to every job. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Another endpoint than Google's (the loopback fake in tests). */
  readonly apiEndpoint?: string;
  /** An OAuth token instead of the usual Google credentials lookup (tests). */
  readonly token?: string;
  /** Tries per request for rate limits, server errors and dropped connections; default 6. */
  readonly tries?: number;
  /** Wait before the first retry, doubled after each up to 32 s; default 1 s. */
  readonly backoffMs?: number;
  /** Deadline of each job, retries included; past it the job is cancelled. Default {@link DEFAULT_JOB_TIMEOUT_MS}. */
  readonly jobTimeoutMs?: number;
  /** Deadline of each HTTP request. Default {@link DEFAULT_REQUEST_TIMEOUT_MS}. */
  readonly requestTimeoutMs?: number;
  /** Called before each retry, so the run can report what it retried. */
  readonly onRetry?: (what: string, attempt: number, reason: string) => void;
}

type Json = Record<string, any>;

/** A job that finished well: its id, final metadata, and the deadline it ran under. */
interface FinishedJob {
  readonly jobId: string;
  readonly metadata: JobMetadata;
  readonly until: number;
}

/** What opmon reads of a job's metadata. */
interface JobMetadata {
  readonly status?: {
    readonly state?: string;
    readonly errorResult?: { readonly message?: string; readonly reason?: string };
    readonly errors?: readonly { readonly message?: string; readonly reason?: string }[];
  };
  readonly statistics?: { readonly totalBytesProcessed?: string };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** A job that ran and failed (its `errorResult`), as opposed to a failure to talk to BigQuery about it. */
const isJobFailure = (error: unknown) => error instanceof BigQueryError && error.details.jobId !== undefined;

/** A network failure (refused, reset, dropped mid-answer) as a retryable error naming the step. */
function networkError(what: string, error: unknown): BigQueryError {
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  const code = cause?.code ?? (error as { code?: string } | null)?.code;
  const detail = [code, cause?.message ?? firstLine(error)].filter(Boolean).join(": ");
  return new BigQueryError(`${what}: cannot reach BigQuery (${excerpt(detail, 160)})`, {
    reason: "network",
    summary: `network: ${excerpt(detail, 80)}`,
  });
}

/** Reads an answer's text, refusing one larger than `limit` bytes. */
async function readText(response: Response, limit: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new BigQueryError(`BigQuery's answer is larger than ${limit} bytes`, { status: response.status, reason: "tooLarge" });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const PARTITIONING = { type: "DAY", field: "submission_date" };
const CLUSTERING = { fields: ["build_id"] };

/**
 * The production engine: query jobs on BigQuery. A day is written with `WRITE_TRUNCATE` to the
 * `table$YYYYMMDD` partition (so a rerun replaces it), the table is created on first write partitioned
 * by `submission_date` and clustered by `build_id`, new metrics add columns (`ALLOW_FIELD_ADDITION`), and
 * `maximumBytesBilled` caps every job.
 *
 * The client library supplies credentials, the endpoint and the decoding of rows; the REST calls are
 * made here, because the library's own requests cannot be given a deadline (its fetch ignores
 * `timeout`), and it throws outside any promise, killing the process, when a proxy answers 200 with an
 * HTML page. Every request has a deadline, every job has one (past it, the job is cancelled), every
 * answer must be BigQuery's JSON, and every error names the step and BigQuery's reason.
 *
 * @example const engine = await BigQueryEngine.connect({ projectId: "my-project", maximumBytesBilled: 10e12 });
 */
export class BigQueryEngine implements Engine {
  readonly name = "bigquery" as const;
  /** Access tokens sent so far, removed from any text that may be printed. */
  private readonly secrets = new Set<string>();

  private constructor(
    private readonly client: BigQuery,
    private readonly options: BigQueryEngineOptions,
  ) {
    if (options.token) this.secrets.add(options.token);
  }

  /** Checks credentials first, so a missing login is one clear line rather than a slow network failure. */
  static async connect(options: BigQueryEngineOptions): Promise<BigQueryEngine> {
    const client = new BigQuery({
      projectId: options.projectId,
      ...(options.location ? { location: options.location } : {}),
      ...(options.apiEndpoint ? { apiEndpoint: options.apiEndpoint } : {}),
    });
    if (!options.token) {
      try {
        await client.authClient.getClient();
      } catch {
        throw new MissingCredentialsError(`no Google credentials found: ${LOGIN_HINT}`);
      }
    }
    return new BigQueryEngine(client, options);
  }

  private get jobTimeoutMs() {
    return this.options.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS;
  }

  private get requestTimeoutMs() {
    return this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  /** The Authorization header: the given token, or one from the library's credentials (refreshed as needed). */
  private async authorization(url: URL): Promise<string> {
    if (this.options.token) return `Bearer ${this.options.token}`;
    let value: string | null;
    try {
      value = (await this.client.authClient.getRequestHeaders(url.href)).get("authorization");
    } catch (error) {
      const why = excerpt(redact(firstLine(error), [...this.secrets]), 160);
      if (/invalid_grant|invalid_rapt|unauthorized_client|invalid_client|revoked|expired/i.test(why))
        throw new CredentialsRejectedError(credentialsRejected(why));
      if (/Could not load the default credentials/i.test(why)) throw new MissingCredentialsError(`no Google credentials found: ${LOGIN_HINT}`);
      throw new BigQueryError(`cannot get a Google access token (${why})`, { reason: "network", summary: `token: ${why}` });
    }
    const token = value?.replace(/^Bearer\s+/i, "");
    if (token) this.secrets.add(token);
    return value ?? "";
  }

  /**
   * One REST call with a deadline; resolves to BigQuery's JSON object. Anything else (an error status, a
   * page that is not JSON, a dropped connection, no answer in time) rejects with a one-line error.
   */
  private async send(what: string, method: "GET" | "POST", path: string, request: { qs?: Json; json?: Json; timeoutMs?: number; project?: string } = {}) {
    const timeoutMs = Math.max(1, request.timeoutMs ?? this.requestTimeoutMs);
    const url = new URL(`${this.client.baseUrl}/projects/${encodeURIComponent(request.project ?? this.options.projectId)}${path}`);
    url.searchParams.set("prettyPrint", "false");
    for (const [key, value] of Object.entries(request.qs ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(
          new BigQueryTimeoutError(`${what}: BigQuery did not answer within ${formatDuration(timeoutMs)} (request timeout, --request-timeout)`, {
            reason: "timeout",
            summary: `no answer within ${formatDuration(timeoutMs)}`,
          }),
        );
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exchange(what, method, url, request.json, controller.signal), expired]);
    } catch (error) {
      if (error instanceof Error) error.message = redact(error.message, [...this.secrets]);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private async exchange(what: string, method: string, url: URL, json: Json | undefined, signal: AbortSignal): Promise<Json> {
    const headers: Record<string, string> = { authorization: await this.authorization(url) };
    if (json !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { method, headers, signal, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
      text = await readText(response, MAX_ANSWER_BYTES);
    } catch (error) {
      if (error instanceof BigQueryError) throw new BigQueryError(`${what}: ${error.message}`, error.details);
      throw networkError(what, error);
    }
    const contentType = response.headers.get("content-type") ?? "";
    const body = parseJson(text);
    // an error status, or BigQuery's error object under a 200 (some proxies rewrite statuses)
    if (!response.ok || (isObject(body) && isObject(body["error"]))) throw httpError(what, response.status, text, contentType);
    if (!isObject(body)) {
      const kind = contentType ? contentType.split(";")[0] : "no content type";
      throw new BigQueryError(`${what}: BigQuery answered HTTP ${response.status} with ${kind}, not JSON: "${excerpt(text)}"`, {
        status: response.status,
        reason: "notJson",
      });
    }
    return body;
  }

  /** Runs `work` again after retryable failures, with bounded exponential backoff, never past `until`. */
  private async retrying<T>(what: string, work: () => Promise<T>, until = Infinity, retryable = retryReason): Promise<T> {
    const { tries = 6, backoffMs = 1_000, onRetry } = this.options;
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        const reason = retryable(error);
        const wait = Math.min(backoffMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
        if (reason === undefined || attempt >= tries || Date.now() + wait >= until) throw error;
        onRetry?.(what, attempt + 1, reason);
        await sleep(wait);
      }
    }
  }

  /** Every job's configuration: standard SQL, no cache, the bytes cap, and labels naming the step. */
  private configuration(label: string, query: Json, extra: Json = {}): Json {
    const { maximumBytesBilled, labels } = this.options;
    return {
      query: {
        useLegacySql: false,
        useQueryCache: false,
        ...(maximumBytesBilled !== undefined ? { maximumBytesBilled: String(maximumBytesBilled) } : {}),
        ...query,
      },
      labels: {
        ...labels,
        step: label
          .toLowerCase()
          .replace(/[^a-z0-9_-]/g, "_")
          .slice(0, 63),
      },
      ...extra,
    };
  }

  /**
   * Runs a job to the end and returns its id and final metadata, within the job deadline (retries and
   * reruns included). A job that fails for a transient reason (`backendError`, `jobRateLimitExceeded`)
   * runs again under a new id.
   */
  private async runJob(configuration: Json, label: string, what: string): Promise<FinishedJob> {
    const until = Date.now() + this.jobTimeoutMs;
    const rerunnable = (error: unknown) => (isJobFailure(error) ? retryReason(error) : undefined);
    return this.retrying(`${what}: rerun job`, () => this.jobAttempt(configuration, label, what, until), until, rerunnable);
  }

  /**
   * Inserts a job under an id chosen here and waits for it. A retried insert that BigQuery had already
   * accepted answers 409; the job is then picked up, not created again.
   */
  private async jobAttempt(configuration: Json, label: string, what: string, until: number): Promise<FinishedJob> {
    const jobId = `opmon_${label.replace(/[^a-zA-Z0-9_-]/g, "_")}_${randomUUID()}`;
    const { projectId, location } = this.options;
    const left = () => until - Date.now();
    // no request may outlive the job's deadline
    const timeoutMs = () => Math.min(this.requestTimeoutMs, Math.max(1, left()));
    try {
      const insert = `${what}: insert job`;
      await this.retrying(
        insert,
        async () => {
          try {
            const jobReference = { projectId, jobId, ...(location ? { location } : {}) };
            await this.send(insert, "POST", "/jobs", { json: { jobReference, configuration }, timeoutMs: timeoutMs() });
          } catch (error) {
            if (!(error instanceof BigQueryError && error.details.status === 409)) throw error;
          }
        },
        until,
      );
      const wait = `${what}: wait for job`;
      for (let delay = 20; ; delay = Math.min(delay * 2, 5_000)) {
        const path = `/jobs/${encodeURIComponent(jobId)}`;
        const metadata = (await this.retrying(wait, () => this.send(wait, "GET", path, { qs: { location }, timeoutMs: timeoutMs() }), until)) as JobMetadata;
        if (metadata.status?.state === "DONE") {
          const failure = metadata.status.errorResult;
          if (failure) throw jobError(what, jobId, failure, metadata.status.errors);
          return { jobId, until, metadata };
        }
        if (left() <= 0) break;
        await sleep(Math.min(delay, left()));
      }
    } catch (error) {
      // the job's own failure, or a failure before the deadline, is the error to report
      if (left() > 0 || isJobFailure(error)) throw error;
    }
    throw await this.jobTimedOut(what, jobId);
  }

  /** The job's deadline passed: asks BigQuery to cancel it (best effort) and says so. */
  private async jobTimedOut(what: string, jobId: string): Promise<BigQueryTimeoutError> {
    let outcome: string;
    try {
      const path = `/jobs/${encodeURIComponent(jobId)}/cancel`;
      await this.send(`${what}: cancel job`, "POST", path, { qs: { location: this.options.location }, timeoutMs: Math.min(this.requestTimeoutMs, 30_000) });
      outcome = "asked BigQuery to cancel it";
    } catch (error) {
      // an insert that was never answered may never have created the job
      outcome =
        error instanceof BigQueryError && error.details.reason === "notFound"
          ? "BigQuery has no such job, so it never started"
          : `could not cancel it (${excerpt(firstLine(error), 160)})`;
    }
    return new BigQueryTimeoutError(
      `${what}: BigQuery job ${jobId} did not finish within ${formatDuration(this.jobTimeoutMs)} (job timeout, --job-timeout); ${outcome}`,
      { reason: "jobTimeout" },
    );
  }

  async writePartition(table: TableRef, date: string, select: string, label: string): Promise<WriteResult> {
    const partition = `${table.table}$${date.replaceAll("-", "")}`;
    const configuration = this.configuration(label, {
      query: select,
      destinationTable: { projectId: this.options.projectId, datasetId: table.dataset, tableId: partition },
      writeDisposition: "WRITE_TRUNCATE",
      createDisposition: "CREATE_IF_NEEDED",
      schemaUpdateOptions: ["ALLOW_FIELD_ADDITION"],
      timePartitioning: table.partitionExpirationDays
        ? { ...PARTITIONING, expirationMs: String(table.partitionExpirationDays * 86_400_000) }
        : PARTITIONING,
      clustering: CLUSTERING,
      allowLargeResults: true,
    });
    const { metadata } = await this.runJob(configuration, label, `${label} (${table.dataset}.${partition})`);
    const bytes = metadata.statistics?.totalBytesProcessed;
    return bytes === undefined ? {} : { bytes: Number(bytes) };
  }

  async execute(sql: string, label: string): Promise<void> {
    await this.runJob(this.configuration(label, { query: sql }), label, label);
  }

  async query(sql: string): Promise<Record<string, unknown>[]> {
    const what = `query "${excerpt(sql, 120)}"`;
    const { jobId, until } = await this.runJob(this.configuration("query", { query: sql }), "query", what);
    const read = `${what}: read results`;
    const rows: Record<string, unknown>[] = [];
    let expected: number | undefined;
    let pageToken: string | undefined;
    do {
      const qs = { location: this.options.location, pageToken, "formatOptions.useInt64Timestamp": "true" };
      const page = await this.retrying(read, () => this.send(read, "GET", `/queries/${encodeURIComponent(jobId)}`, { qs }));
      if (page["jobComplete"] === false) {
        if (Date.now() >= until) throw new BigQueryTimeoutError(`${read}: results not ready within ${formatDuration(this.jobTimeoutMs)}`);
        await sleep(100);
        continue;
      }
      expected ??= page["totalRows"] === undefined ? undefined : Number(page["totalRows"]);
      const pageRows = Array.isArray(page["rows"]) ? page["rows"] : [];
      if (pageRows.length > 0) {
        try {
          rows.push(...(BigQuery.mergeSchemaWithRows_(page["schema"], pageRows, { wrapIntegers: false, parseJSON: false }) as Json[]));
        } catch (error) {
          throw new BigQueryError(`${read}: BigQuery sent rows opmon cannot read (${excerpt(firstLine(error), 160)})`, { reason: "badRows" });
        }
      }
      pageToken = typeof page["pageToken"] === "string" && page["pageToken"] ? page["pageToken"] : undefined;
    } while (pageToken);
    // a short answer would draw a dashboard from part of the results
    if (expected !== undefined && rows.length !== expected)
      throw new BigQueryError(`${read}: BigQuery announced ${expected} rows but sent ${rows.length}`, { reason: "shortResults" });
    return rows;
  }

  async estimate(sql: string): Promise<Estimate> {
    const what = `dry run "${excerpt(sql, 120)}"`;
    const { projectId, location } = this.options;
    const json = {
      jobReference: { projectId, ...(location ? { location } : {}) },
      configuration: this.configuration("dry_run", { query: sql }, { dryRun: true }),
    };
    const job = (await this.retrying(what, () => this.send(what, "POST", "/jobs", { json }))) as Json;
    const bytes = job["statistics"]?.totalBytesProcessed ?? job["statistics"]?.query?.totalBytesProcessed;
    return bytes === undefined ? {} : { bytes: Number(bytes) };
  }

  /**
   * The schema of a table or view (`tables.get`), in any project the credentials can read: its
   * `schema.fields`, as `bq show --schema` prints them. A missing table rejects with `BigQueryNotFoundError`.
   *
   * @example await engine.tableSchema("mozdata", "telemetry", "main") // [{ name: "additional_properties", type: "STRING", ... }, ...]
   */
  async tableSchema(project: string, dataset: string, table: string): Promise<readonly Json[]> {
    const what = `read the schema of ${project}.${dataset}.${table}`;
    const path = `/datasets/${encodeURIComponent(dataset)}/tables/${encodeURIComponent(table)}`;
    const answer = await this.retrying(what, () => this.send(what, "GET", path, { project }));
    const fields = answer["schema"]?.fields;
    if (!Array.isArray(fields)) throw new BigQueryError(`${what}: BigQuery sent no schema`, { reason: "noSchema" });
    return fields as Json[];
  }

  async close(): Promise<void> {}
}
