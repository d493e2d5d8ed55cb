/** What opmon learned from a failed BigQuery call: the HTTP status and BigQuery's reason, when there were any. */
export interface BigQueryErrorDetails {
  readonly status?: number;
  /** BigQuery's reason (`rateLimitExceeded`, `notFound`, `accessDenied`, ...), or opmon's (`timeout`, `network`, `notJson`). */
  readonly reason?: string;
  /** A few words for a retry line (`network: ECONNRESET`), when the message is long. */
  readonly summary?: string;
  /** Set when the job itself ran and failed (its `errorResult`), not the talk about it. */
  readonly jobId?: string;
}

/** A BigQuery request or job that failed; the message names the step and BigQuery's reason, in one line. */
export class BigQueryError extends Error {
  override readonly name: string = "BigQueryError";
  constructor(
    message: string,
    readonly details: BigQueryErrorDetails = {},
  ) {
    super(message);
  }
}

/**
 * A table, view or dataset that does not exist (BigQuery's `notFound` naming one): for the dashboard,
 * results that were never written, unlike an outage. A job or project not found is not one of these.
 */
export class BigQueryNotFoundError extends BigQueryError {
  override readonly name = "BigQueryNotFoundError";
}

/** A request or job that outlived its deadline. */
export class BigQueryTimeoutError extends BigQueryError {
  override readonly name = "BigQueryTimeoutError";
}

/** No credentials at all: a message with the fix, not a network timeout. */
export class MissingCredentialsError extends Error {
  override readonly name = "MissingCredentialsError";
}

/** Credentials were found and sent, but Google refused them (HTTP 401, a revoked or expired login). */
export class CredentialsRejectedError extends Error {
  override readonly name = "CredentialsRejectedError";
}

/** How to log in again; shared by the "none found" and "rejected" messages. */
export const LOGIN_HINT =
  "run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to a valid service account key file";

/**
 * BigQuery reasons that say "try again later" (see BigQuery's error-messages page). `accessDenied`,
 * `quotaExceeded`, `invalidQuery` and the like are not: a retry would fail the same way.
 */
export const RETRYABLE_REASONS: ReadonlySet<string> = new Set([
  "backendError",
  "internalError",
  "rateLimitExceeded",
  "userRateLimitExceeded",
  "jobRateLimitExceeded",
  "jobBackendError",
  "jobInternalError",
]);

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/**
 * BigQuery cancels a transaction or DML statement that conflicts with another on the same table, as
 * `invalidQuery` ("Transaction is aborted due to concurrent update against table ...", "Could not
 * serialize access to table ... due to concurrent update"): nothing was written, and it runs again.
 */
const CONCURRENT_UPDATE = /concurrent update/i;

/**
 * Text from outside (an HTML page, BigQuery's message) made safe for one line of a terminal: control
 * characters (ESC, C1, line and paragraph separators, bidi overrides) become spaces, runs of space
 * collapse, and it is cut to `max` characters.
 *
 * @example excerpt("<html>\n\u001b[31mLogin</html>") // "<html> [31mLogin</html>"
 */
export function excerpt(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, " ").replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/**
 * Removes bearer tokens from text that may be printed: the token opmon was given, anything after
 * `Bearer`, and Google access tokens (`ya29.`).
 *
 * @example redact("auth: Bearer abc.def", []) // "auth: Bearer [redacted]"
 */
export function redact(text: string, secrets: readonly string[]): string {
  let clean = text;
  for (const secret of secrets) if (secret.length >= 4) clean = clean.split(secret).join("[redacted]");
  return clean.replace(/(Bearer\s+)[^\s"',;]+/gi, "$1[redacted]").replace(/ya29\.[\w.-]+/g, "[redacted]");
}

/**
 * A duration as a person writes it.
 *
 * @example formatDuration(6 * 3_600_000) // "6 h"
 */
export function formatDuration(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms >= 1_000 && ms % 1_000 === 0) return `${ms / 1_000} s`;
  return `${ms} ms`;
}

/** The shape of BigQuery's error answers and of a job's `errorResult`. */
interface GoogleError {
  readonly code?: number;
  readonly message?: string;
  readonly reason?: string;
  readonly status?: string;
  readonly errors?: readonly { readonly reason?: string; readonly message?: string; readonly location?: string }[];
}

/** `reason: message` for each distinct problem BigQuery listed, the one that decided first. */
function describeProblems(error: GoogleError): { reason?: string; text: string } {
  const listed = error.errors ?? [];
  const reason = error.reason ?? listed.find((e) => e.reason)?.reason ?? error.status;
  const message = error.message ?? listed.find((e) => e.message)?.message;
  const parts = [[reason, message].filter(Boolean).join(": ")].filter(Boolean);
  // errors[] usually repeats the top-level message; say each thing once
  for (const e of listed)
    if (e.message && !parts.some((p) => p.includes(e.message ?? ""))) parts.push([e.reason, e.message].filter(Boolean).join(": "));
  return { ...(reason ? { reason } : {}), text: parts.join("; ") || "no reason given" };
}

/**
 * The error for an HTTP answer that is not a success: BigQuery's reason and message when the body is
 * BigQuery's JSON, else the status and a short excerpt of what came instead (a proxy's HTML page).
 *
 * @example httpError("metrics: insert job", 403, '{"error":{"code":403,"message":"Exceeded rate limits","errors":[{"reason":"rateLimitExceeded"}]}}')
 */
export function httpError(what: string, status: number, text: string, contentType = ""): Error {
  const body = parseJson(text);
  const google = (body as { error?: GoogleError } | undefined)?.error;
  if (google === undefined || typeof google !== "object") {
    const kind = contentType ? contentType.split(";")[0] : "no content type";
    return new BigQueryError(`${what}: BigQuery answered HTTP ${status} with ${kind}, not JSON: "${excerpt(text)}"`, {
      status,
      reason: "notJson",
    });
  }
  const { reason, text: problems } = describeProblems(google);
  const message = `${what}: BigQuery answered HTTP ${status}: ${excerpt(problems, 500)}`;
  if (status === 401) return new CredentialsRejectedError(credentialsRejected(excerpt(problems, 200)));
  const details = { status, ...(reason ? { reason } : {}) };
  return missingTable(reason, problems) ? new BigQueryNotFoundError(message, details) : new BigQueryError(message, details);
}

/** BigQuery's notFound about a table, view or dataset (not a job, nor a mistyped project). */
const missingTable = (reason: string | undefined, text: string) => reason === "notFound" && /Not found: (Table|View|Dataset)\b/i.test(text);

/**
 * The error for a job that finished with an `errorResult`.
 *
 * @example jobError("metrics", "opmon_metrics_1", { reason: "notFound", message: "Not found: Table p:d.t" })
 */
export function jobError(what: string, jobId: string, errorResult: GoogleError, errors?: GoogleError["errors"]): BigQueryError {
  const { reason, text } = describeProblems({ ...errorResult, ...(errors ? { errors } : {}) });
  const message = `${what}: BigQuery job ${jobId} failed: ${excerpt(text, 500)}`;
  const details = { jobId, ...(reason ? { reason } : {}) };
  return missingTable(reason, text) ? new BigQueryNotFoundError(message, details) : new BigQueryError(message, details);
}

/** The one-line message for credentials Google refused. */
export const credentialsRejected = (why: string) =>
  `Google rejected the BigQuery credentials (${why}): the login or token is invalid or expired; ${LOGIN_HINT}`;

/** Parsed JSON, or undefined when the text is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Why an error is worth another try (a rate limit, a server error, a dropped connection, a request
 * timeout), or undefined. A 403 is retried only for a rate-limit reason: BigQuery signals most rate
 * limits that way, while `accessDenied` would fail again.
 *
 * @example retryReason(new BigQueryError("x", { status: 403, reason: "rateLimitExceeded" })) // "HTTP 403 rateLimitExceeded"
 */
export function retryReason(error: unknown): string | undefined {
  if (!(error instanceof BigQueryError)) return undefined;
  const { status, reason } = error.details;
  const label = [status !== undefined ? `HTTP ${status}` : undefined, reason].filter(Boolean).join(" ");
  if (reason !== undefined && RETRYABLE_REASONS.has(reason)) return label;
  if (reason === "invalidQuery" && CONCURRENT_UPDATE.test(error.message)) return `${label}: concurrent update`;
  if (reason === "timeout" || reason === "network") return error.details.summary ?? reason;
  if (status !== undefined && RETRYABLE_STATUS.has(status) && !(error instanceof BigQueryNotFoundError)) return label;
  return undefined;
}
