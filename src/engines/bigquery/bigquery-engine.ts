import { BigQuery, type Query } from "@google-cloud/bigquery";
import { randomUUID } from "node:crypto";
import { firstLine } from "../../config/load-config-dir.js";
import type { Engine, Estimate, TableRef, WriteResult } from "../engine.js";

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
  /** Wait before the first retry, doubled after each; default 1 s. */
  readonly backoffMs?: number;
  /** Called before each retry, so the run can report what it retried. */
  readonly onRetry?: (what: string, attempt: number, reason: string) => void;
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const RETRYABLE_NETWORK = /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN|socket hang up|network|premature close/i;

/** Why an error is worth another try (rate limit, server error, dropped connection), or undefined. */
function retryReason(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "number" && RETRYABLE_STATUS.has(code)) return `HTTP ${code}`;
  if (typeof code === "string" && RETRYABLE_NETWORK.test(code)) return code;
  const message = firstLine(error);
  return RETRYABLE_NETWORK.test(message) ? message : undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What opmon reads of a job's metadata. */
interface JobMetadata {
  readonly status?: { readonly state?: string; readonly errorResult?: { readonly message?: string; readonly reason?: string } };
  readonly statistics?: { readonly totalBytesProcessed?: string };
}

/** No credentials, or credentials that cannot be used: a message with the fix, not a network timeout. */
export class MissingCredentialsError extends Error {
  override readonly name = "MissingCredentialsError";
}

const PARTITIONING = { type: "DAY", field: "submission_date" };
const CLUSTERING = { fields: ["build_id"] };

/**
 * The production engine: query jobs on BigQuery with the real client library. A day is written with
 * `WRITE_TRUNCATE` to the `table$YYYYMMDD` partition (so a rerun replaces it), the table is created on
 * first write partitioned by `submission_date` and clustered by `build_id`, new metrics add columns
 * (`ALLOW_FIELD_ADDITION`), and `maximumBytesBilled` caps every job.
 *
 * @example const engine = await BigQueryEngine.connect({ projectId: "my-project", maximumBytesBilled: 10e12 });
 */
export class BigQueryEngine implements Engine {
  readonly name = "bigquery" as const;

  private constructor(
    private readonly client: BigQuery,
    private readonly options: BigQueryEngineOptions,
  ) {}

  /** Checks credentials first, so a missing login is one clear line rather than a slow network failure. */
  static async connect(options: BigQueryEngineOptions): Promise<BigQueryEngine> {
    const client = new BigQuery({
      projectId: options.projectId,
      // retries are ours: with fixed job ids, so a retried insert never runs a job twice
      autoRetry: false,
      ...(options.location ? { location: options.location } : {}),
      ...(options.apiEndpoint ? { apiEndpoint: options.apiEndpoint } : {}),
      ...(options.token ? { token: options.token } : {}),
    });
    if (!options.token) {
      try {
        await client.authClient.getClient();
      } catch {
        throw new MissingCredentialsError(
          "no Google credentials found: run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to a service account key file",
        );
      }
    }
    return new BigQueryEngine(client, options);
  }

  private jobOptions(label: string): Partial<Query> {
    const { maximumBytesBilled, labels, location } = this.options;
    return {
      useQueryCache: false,
      ...(maximumBytesBilled !== undefined ? { maximumBytesBilled: String(maximumBytesBilled) } : {}),
      labels: {
        ...labels,
        step: label
          .toLowerCase()
          .replace(/[^a-z0-9_-]/g, "_")
          .slice(0, 63),
      },
      ...(location ? { location } : {}),
    };
  }

  /** Runs `work` again after retryable failures, with exponential backoff. */
  private async retrying<T>(what: string, work: () => Promise<T>): Promise<T> {
    const { tries = 6, backoffMs = 1_000, onRetry } = this.options;
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        const reason = retryReason(error);
        if (reason === undefined || attempt >= tries) throw error;
        onRetry?.(what, attempt + 1, reason);
        await sleep(backoffMs * 2 ** (attempt - 1));
      }
    }
  }

  /**
   * Inserts a job under an id chosen here and waits for it; returns its final metadata. A retried insert
   * that BigQuery had already accepted answers 409; the job is then picked up, not created again.
   */
  private async runJob(query: Query, label: string): Promise<JobMetadata> {
    const jobId = `opmon_${label.replace(/[^a-zA-Z0-9_-]/g, "_")}_${randomUUID()}`;
    const job = await this.retrying(`${label}: insert job`, async () => {
      try {
        const [created] = await this.client.createQueryJob({ ...query, jobId });
        return created;
      } catch (error) {
        if ((error as { code?: unknown }).code !== 409) throw error;
        return this.client.job(jobId, this.options.location ? { location: this.options.location } : {});
      }
    });
    // polled here rather than with job.promise(), which cannot be awaited again after a failed poll
    for (let delay = 20; ; delay = Math.min(delay * 2, 5_000)) {
      const [metadata] = (await this.retrying(`${label}: wait for job`, () => job.getMetadata())) as unknown as [JobMetadata];
      if (metadata.status?.state === "DONE") {
        const failure = metadata.status.errorResult;
        if (failure) throw new Error(`BigQuery job ${jobId} failed: ${failure.message ?? failure.reason ?? "unknown error"}`);
        return metadata;
      }
      await sleep(delay);
    }
  }

  async writePartition(table: TableRef, date: string, select: string, label: string): Promise<WriteResult> {
    const destination = this.client.dataset(table.dataset).table(`${table.table}$${date.replaceAll("-", "")}`);
    const query: Query = {
      ...this.jobOptions(label),
      query: select,
      destination,
      writeDisposition: "WRITE_TRUNCATE",
      createDisposition: "CREATE_IF_NEEDED",
      schemaUpdateOptions: ["ALLOW_FIELD_ADDITION"],
      timePartitioning: PARTITIONING,
      clustering: CLUSTERING,
      allowLargeResults: true,
    };
    const bytes = (await this.runJob(query, label)).statistics?.totalBytesProcessed;
    return bytes === undefined ? {} : { bytes: Number(bytes) };
  }

  async execute(sql: string, label: string): Promise<void> {
    await this.runJob({ ...this.jobOptions(label), query: sql }, label);
  }

  async query(sql: string): Promise<Record<string, unknown>[]> {
    const query: Query = { ...this.jobOptions("query"), query: sql };
    const [rows] = await this.retrying("query", () => this.client.query(query));
    return rows as Record<string, unknown>[];
  }

  async estimate(sql: string): Promise<Estimate> {
    const query: Query = { ...this.jobOptions("dry_run"), query: sql, dryRun: true };
    const [job] = await this.retrying("dry run", () => this.client.createQueryJob(query));
    const bytes = (job.metadata?.statistics as { totalBytesProcessed?: string } | undefined)?.totalBytesProcessed;
    return bytes === undefined ? {} : { bytes: Number(bytes) };
  }

  async close(): Promise<void> {}
}
