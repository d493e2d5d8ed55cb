import { onTestFinished } from "vitest";
import { BigQueryEngine } from "../../src/engines/bigquery/bigquery-engine.js";
import { startFakeBigQuery, type Fault } from "./fake-bigquery.js";

/** Which fault, if any, the fake injects into its `n`th request. */
export type Faults = (n: number, method: string, path: string) => Fault | undefined;

/**
 * A BigQuery engine on a fresh loopback fake that injects `faults`, stopped when the test ends; a tiny
 * backoff so retries cost nothing, and every retry recorded.
 *
 * @example const { engine, retries } = await faultyEngine((n) => (n === 1 ? 503 : undefined));
 */
export async function faultyEngine(
  faults: Faults,
  options: { readonly tries?: number; readonly token?: string; readonly jobTimeoutMs?: number; readonly requestTimeoutMs?: number } = {},
) {
  const fake = await startFakeBigQuery({ faults, rows: [{ slug: "a" }] });
  onTestFinished(() => fake.stop());
  const retries: string[] = [];
  const { tries = 4, token = "t0k3n", ...deadlines } = options;
  const engine = await BigQueryEngine.connect({
    projectId: "opmon-prod",
    apiEndpoint: fake.url,
    token,
    backoffMs: 1,
    tries,
    ...deadlines,
    onRetry: (what, attempt, reason) => retries.push(`${what} #${attempt}: ${reason}`),
  });
  return { fake, engine, retries };
}
