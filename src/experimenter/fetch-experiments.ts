import { readFile } from "node:fs/promises";
import { firstLine } from "../util/first-line.js";
import type { Converted } from "./convert.js";

/** Experimenter's public v8 experiments endpoint. */
export const EXPERIMENTER_URL = "https://experimenter.services.mozilla.com/api/v8/experiments/";

/** Options of {@link fetchExperiments}. */
export interface FetchOptions {
  readonly url?: string;
  /** Per try. */
  readonly timeoutMs?: number;
  readonly tries?: number;
  /** Wait before the second try; doubles after each failure. */
  readonly backoffMs?: number;
  readonly userAgent?: string;
  /** For conversion: what "today" is when telling Live from Complete. */
  readonly now?: Date;
  /** Called before each retry, to report it. */
  readonly onRetry?: (attempt: number, reason: string) => void;
}

/** A failure to get Experimenter's data: the URL or file, and why. */
export class ExperimenterUnavailable extends Error {
  override readonly name = "ExperimenterUnavailable";
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Fetches and converts Experimenter's experiments: a timeout per try, three tries with exponential
 * backoff, opmon's user agent. Throws {@link ExperimenterUnavailable} with the last reason when every
 * try fails or the answer is not JSON.
 *
 * @example const { experiments } = await fetchExperiments({ timeoutMs: 10_000 });
 */
export async function fetchExperiments(options: FetchOptions = {}): Promise<Converted> {
  const { url = EXPERIMENTER_URL, timeoutMs = 30_000, tries = 3, backoffMs = 1_000, userAgent = "opmon" } = options;
  let reason = "";
  for (let attempt = 1; attempt <= tries; attempt++) {
    if (attempt > 1) {
      options.onRetry?.(attempt, reason);
      await sleep(backoffMs * 2 ** (attempt - 2));
    }
    try {
      const response = await fetch(url, {
        headers: { "user-agent": userAgent, accept: "application/json" },
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) {
        reason = `HTTP ${response.status} ${response.statusText}`.trim();
        continue;
      }
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new ExperimenterUnavailable(`${url} answered with something that is not JSON`);
      }
      return (await convertExperiments())(json, options.now ?? new Date());
    } catch (error) {
      if (error instanceof ExperimenterUnavailable) throw error;
      reason = error instanceof Error && error.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : firstLine(error);
    }
  }
  throw new ExperimenterUnavailable(`${url} failed ${tries} times, last: ${reason}`);
}

/**
 * Reads experiments saved from the v8 API (for offline runs and tests).
 * @example const { experiments } = await readExperimentsFile("experiments.json");
 */
export async function readExperimentsFile(path: string, now = new Date()): Promise<Converted> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ExperimenterUnavailable(`cannot read ${path}: ${firstLine(error)}`);
  }
  try {
    return (await convertExperiments())(JSON.parse(text), now);
  } catch {
    throw new ExperimenterUnavailable(`${path} is not JSON`);
  }
}

/** The converter, loaded when first needed: it brings zod, which commands' `--help` need not load. */
const convertExperiments = async () => (await import("./convert.js")).convertExperiments;
