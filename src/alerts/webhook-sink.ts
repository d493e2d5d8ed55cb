import { clip, printable } from "../util/printable.js";
import { bySeverity, describeAlert, MAX_VALUE_CHARS, type AlertFormat, type AlertRecord } from "./alert-record.js";

/** The environment variable a webhook URL may come from when no option gives one. */
export const WEBHOOK_ENV = "OPMON_ALERTS_WEBHOOK";

/** Slack's limit on the text of one section block. */
const SECTION_CHARS = 3000;
/** Alerts listed in the message; the rest are counted. */
const MAX_LISTED = 30;

/** A Slack-compatible message: `text` for notifications and plain clients, `blocks` for the layout. */
export interface WebhookPayload {
  readonly text: string;
  readonly blocks: readonly unknown[];
}

/** How hard to try. */
export interface WebhookOptions {
  /** Attempts in all, the first included (default 3). */
  readonly attempts?: number;
  /** Milliseconds before one attempt is abandoned (default 10 000). */
  readonly timeoutMs?: number;
  /** Wait before the second attempt, doubled for each further one (default 1 000 ms). */
  readonly backoffMs?: number;
}

/** How the delivery went. */
export interface WebhookResult {
  readonly ok: boolean;
  readonly attempts: number;
  /** The last HTTP status, if a response came. */
  readonly status?: number;
  readonly error?: string;
}

/**
 * Text for Slack `mrkdwn`: `&`, `<` and `>` as entities (Slack's escaping), so no text can become a
 * link, a `<!channel>` mention or a quote; control characters made visible, so none forges a line.
 *
 * @example slackText("<!channel> & <http://x|y>") // "&lt;!channel&gt; &amp; &lt;http://x|y&gt;"
 */
export const slackText = (text: string): string => printable(text).replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/**
 * A client's string (a dimension value, a build id) for Slack `mrkdwn`: escaped as {@link slackText},
 * clipped, and set in inline code, where Slack applies no bold, italics, strike-through, emoji codes or
 * links; its own backticks become U+02CB so none can close the code.
 *
 * @example slackValue("*bold* `x`") // "`*bold* ˋxˋ`"
 */
export const slackValue = (value: string): string =>
  value === "" ? '""' : `\`${slackText(clip(value, MAX_VALUE_CHARS)).replaceAll("`", "\u02cb")}\``;

const SLACK: AlertFormat = { text: slackText, value: slackValue };

/**
 * The Slack message for a run's alerts: a header with the count, sections listing them (most severe
 * first, at most {@link MAX_LISTED}), each within Slack's section limit.
 *
 * @example slackPayload(alerts, ["2026-11-27"]).text // "opmon: 2 alerts for 2026-11-27 (1 critical, 1 warning)"
 */
export function slackPayload(alerts: readonly AlertRecord[], dates: readonly string[]): WebhookPayload {
  const span = dates.length <= 1 ? (dates[0] ?? "") : `${dates[0]}..${dates.at(-1)}`;
  const counts = new Map<string, number>();
  for (const a of alerts) counts.set(a.severity, (counts.get(a.severity) ?? 0) + 1);
  const summary = `opmon: ${alerts.length} alert${alerts.length === 1 ? "" : "s"} for ${span} (${[...counts].map(([s, n]) => `${n} ${s}`).join(", ")})`;
  // `text` is mrkdwn (notifications and plain clients); the header block is plain text, shown as is
  const text = slackText(summary);
  const sorted = [...alerts].sort(bySeverity);
  const lines = sorted
    .slice(0, MAX_LISTED)
    .map((a) => `• *${slackText(a.severity)}* ${dates.length > 1 ? `${slackText(a.submissionDate)} ` : ""}${describeAlert(a, SLACK)}`);
  if (sorted.length > MAX_LISTED) lines.push(slackText(`… and ${sorted.length - MAX_LISTED} more in the <slug>_alerts views`));
  const sections: string[] = [];
  for (const line of lines) {
    const clipped = line.length > SECTION_CHARS ? `${line.slice(0, SECTION_CHARS - 1)}…` : line;
    const last = sections.at(-1);
    if (last !== undefined && last.length + 1 + clipped.length <= SECTION_CHARS) sections[sections.length - 1] = `${last}\n${clipped}`;
    else sections.push(clipped);
  }
  return {
    text,
    blocks: [
      { type: "header", text: { type: "plain_text", text: clip(printable(summary), 150) } },
      ...sections.map((section) => ({ type: "section", text: { type: "mrkdwn", text: section } })),
    ],
  };
}

/** Bytes of a response body read at most: a webhook answers "ok", and a server sending more is cut off. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * The first `limit` bytes of a response body as text; the rest is never read: the stream is
 * cancelled, which closes the connection, so a huge or endless answer costs no memory and no time.
 *
 * @example const text = await readLimited(await fetch(url), 64 * 1024);
 */
export async function readLimited(response: Response, limit: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value.subarray(0, limit - size));
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/**
 * A URL as it may be printed: scheme and host only. Slack (and most webhook services) carry the
 * secret in the path, some URLs carry credentials; neither is ever shown.
 *
 * @example safeUrl("https://hooks.slack.com/services/T0/B0/secret") // "https://hooks.slack.com"
 * @example safeUrl("not a url") // "(a webhook URL, not shown)"
 */
export function safeUrl(url: string): string {
  try {
    const { protocol, host } = new URL(url);
    return host ? `${protocol}//${host}` : protocol;
  } catch {
    return "(a webhook URL, not shown)";
  }
}

/**
 * `text` with every spelling of `url` (as given, normalised, its path and query, its password)
 * replaced by {@link safeUrl}'s.
 *
 * @example redactUrl("fetch failed: https://h.example/T0/secret", "https://h.example/T0/secret") // "fetch failed: https://h.example"
 */
export function redactUrl(text: string, url: string): string {
  const secrets = [url];
  try {
    const parsed = new URL(url);
    secrets.push(parsed.href, `${parsed.pathname}${parsed.search}`, parsed.pathname, parsed.search, parsed.password);
  } catch {
    // not a URL: only its own spelling can appear
  }
  // longest first, so a URL is replaced whole rather than its path alone; "/" alone gives nothing away
  return secrets
    .filter((s) => s.length > 1)
    .sort((a, b) => b.length - a.length)
    .reduce((t, secret) => t.replaceAll(secret, safeUrl(url)), text);
}

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** A status worth trying again: the server's trouble or rate limiting, not a bad request. */
const retryable = (status: number) => status >= 500 || status === 429 || status === 408;

/**
 * POSTs `payload` as JSON to `url`, retrying network errors, timeouts and 5xx/429/408 responses with
 * doubling pauses. Never throws: the result says what happened.
 *
 * @example const result = await postWebhook("https://hooks.slack.com/services/...", slackPayload(alerts, [date]));
 */
export async function postWebhook(url: string, payload: WebhookPayload, options: WebhookOptions = {}): Promise<WebhookResult> {
  const attempts = Math.max(1, options.attempts ?? 3);
  const timeoutMs = options.timeoutMs ?? 10_000;
  let wait = options.backoffMs ?? 1_000;
  let last: WebhookResult = { ok: false, attempts: 0, error: "not attempted" };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = await readLimited(response, MAX_RESPONSE_BYTES).catch(() => "");
      if (response.ok) return { ok: true, attempts: attempt, status: response.status };
      // Slack says why in the body ("invalid_payload", "no_service"): a short excerpt helps
      const reason = clip(body.trim().split("\n")[0] ?? "", 200);
      last = {
        ok: false,
        attempts: attempt,
        status: response.status,
        error: `${`HTTP ${response.status} ${response.statusText}`.trim()}${reason ? `: ${reason}` : ""}`,
      };
      if (!retryable(response.status)) return last;
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
      last = {
        ok: false,
        attempts: attempt,
        // some fetch errors quote the URL, and a webhook URL's path is its secret
        error: timedOut
          ? `no answer within ${timeoutMs} ms`
          : redactUrl(`${error instanceof Error ? error.message : String(error)}${cause}`, url),
      };
    }
    if (attempt < attempts) {
      await pause(wait);
      wait *= 2;
    }
  }
  return last;
}
