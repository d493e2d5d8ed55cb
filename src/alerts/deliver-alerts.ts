import type { ProjectGraph } from "../graph/project-graph.js";
import type { SqlOptions } from "../sql/sql-context.js";
import { printable } from "../util/printable.js";
import { consoleSummary } from "./console-sink.js";
import { writeAlertsJson } from "./json-sink.js";
import { readAlerts, type AlertSource } from "./read-alerts.js";
import { postWebhook, slackPayload, WEBHOOK_ENV, type WebhookOptions } from "./webhook-sink.js";


/** Where a run's alerts go besides the alerts tables, which the run itself writes. */
export interface AlertSinks {
  /** Print the summary (off when the run prints JSON on stdout). */
  readonly console: boolean;
  /** Write the alerts to this JSON file. */
  readonly jsonFile?: string;
  /** POST a Slack-compatible message here. */
  readonly webhookUrl?: string;
  readonly webhook?: WebhookOptions;
}

/** What became of the notifications: each failure, already reported through `warn`. */
export interface Delivery {
  readonly alerts: number;
  readonly failures: readonly string[];
}

/**
 * After a run: reads the alerts written for `dates` by the projects in `graphs` (those that succeeded),
 * prints the summary, writes the JSON file and calls the webhook. A failure is reported through `warn`
 * and returned; nothing here throws, so the run's result and exit code stand as they are.
 *
 * @example await deliverAlerts(engine, graphs, [date], { dialect: "duckdb" }, { console: true, webhookUrl }, { info: out, warn: err });
 */
export async function deliverAlerts(
  engine: AlertSource,
  graphs: readonly ProjectGraph[],
  dates: readonly string[],
  sql: SqlOptions,
  sinks: AlertSinks,
  log: { readonly info: (line: string) => void; readonly warn: (line: string) => void },
): Promise<Delivery> {
  const failures: string[] = [];
  // errors may quote what a warehouse row or a server sent back: shown, never acted on by the terminal
  const fail = (message: string) => {
    failures.push(printable(message));
    log.warn(printable(message));
  };
  try {
    const read = await readAlerts(engine, graphs, dates, sql);
    for (const f of read.failures) fail(`alerts of ${f.slug} could not be read: ${f.error}`);
    if (sinks.console && graphs.some((g) => g.alerts.length > 0)) for (const line of consoleSummary(read.alerts, dates)) log.info(line);
    if (sinks.jsonFile !== undefined) {
      try {
        writeAlertsJson(sinks.jsonFile, read.alerts, dates);
      } catch (error) {
        fail(`alerts JSON not written to ${sinks.jsonFile}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    // no alerts, no message: a quiet night should not ping anyone
    if (sinks.webhookUrl !== undefined && read.alerts.length > 0) {
      const result = await postWebhook(sinks.webhookUrl, slackPayload(read.alerts, dates), sinks.webhook);
      if (!result.ok)
        fail(`alerts webhook failed after ${result.attempts} attempt(s): ${result.error ?? "unknown error"} (the data is written)`);
    }
    return { alerts: read.alerts.length, failures };
  } catch (error) {
    fail(`alerts were not delivered: ${error instanceof Error ? error.message : String(error)}`);
    return { alerts: 0, failures };
  }
}

/**
 * The webhook URL: the option's, else the environment's; refuses anything but http(s).
 *
 * @example webhookUrl(undefined, process.env) // process.env.OPMON_ALERTS_WEBHOOK
 */
export function webhookUrl(option: string | undefined, env: { readonly [name: string]: string | undefined }): string | undefined {
  const url = option ?? (env[WEBHOOK_ENV] || undefined);
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // not echoed: a mistyped webhook URL still carries its secret
    throw new Error("alerts webhook is not a URL (the value is not shown: webhook URLs carry a secret)");
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:")
    throw new Error(`alerts webhook must be http(s), not ${parsed.protocol}`);
  return url;
}

/** The alert options the run, backfill and demo commands take. */
export interface AlertCliOptions {
  readonly alertsJson?: string;
  readonly alertsWebhook?: string;
}

/**
 * The sinks a command's options ask for (the webhook from the environment if no option names one).
 *
 * @example const sinks = alertSinks({ alertsJson: "alerts.json" }, true, process.env);
 */
export function alertSinks(options: AlertCliOptions, console: boolean, env: { readonly [name: string]: string | undefined }): AlertSinks {
  const url = webhookUrl(options.alertsWebhook, env);
  return { console, ...(options.alertsJson ? { jsonFile: options.alertsJson } : {}), ...(url ? { webhookUrl: url } : {}) };
}

/**
 * The graphs of projects that ran without a failure: only their alerts are fresh.
 *
 * @example succeeded(summary.outcomes, graphs)
 */
export function succeeded(
  outcomes: readonly { readonly slug: string; readonly status: string }[],
  graphs: readonly ProjectGraph[],
): ProjectGraph[] {
  const ok = new Set(outcomes.filter((o) => o.status === "succeeded").map((o) => o.slug));
  return graphs.filter((g) => ok.has(g.slug));
}
