import { BigQuery, type Query } from "@google-cloud/bigquery";
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
    const [job] = await this.client.createQueryJob(query);
    await job.promise();
    const [metadata] = await job.getMetadata();
    const stats = metadata.statistics as { totalBytesProcessed?: string; query?: { numDmlAffectedRows?: string } } | undefined;
    return { ...(stats?.totalBytesProcessed ? { bytes: Number(stats.totalBytesProcessed) } : {}) };
  }

  async execute(sql: string, label: string): Promise<void> {
    const query: Query = { ...this.jobOptions(label), query: sql };
    const [job] = await this.client.createQueryJob(query);
    await job.promise();
  }

  async query(sql: string): Promise<Record<string, unknown>[]> {
    const query: Query = { ...this.jobOptions("query"), query: sql };
    const [rows] = await this.client.query(query);
    return rows as Record<string, unknown>[];
  }

  async estimate(sql: string): Promise<Estimate> {
    const query: Query = { ...this.jobOptions("dry_run"), query: sql, dryRun: true };
    const [job] = await this.client.createQueryJob(query);
    const bytes = (job.metadata?.statistics as { totalBytesProcessed?: string } | undefined)?.totalBytesProcessed;
    return bytes === undefined ? {} : { bytes: Number(bytes) };
  }

  async close(): Promise<void> {}
}
