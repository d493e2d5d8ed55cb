import type { Command } from "cac";
import { ExperimenterUnavailable, fetchExperiments, readExperimentsFile, EXPERIMENTER_URL } from "../../experimenter/fetch-experiments.js";
import type { Experiment } from "../../experimenter/convert.js";
import { err } from "../output.js";

/** Options of commands that consult Experimenter. */
export interface ExperimenterOptions {
  readonly experimenterUrl?: string;
  readonly experimentsFile?: string;
}

/** Adds `--experimenter-url` and `--experiments-file`. */
export const experimenterOptions = (command: Command) =>
  command
    .option("--experimenter-url <url>", `Experimenter's v8 experiments API (default ${EXPERIMENTER_URL})`)
    .option("--experiments-file <file>", "Experiments saved from the v8 API, for offline use");

/**
 * Experimenter's experiments, or undefined when not consulted or unavailable. Unavailable is one warning,
 * never a failure: projects with a config still resolve, rollouts without one are not monitored.
 * With `byDefault`, the public API is asked when neither option is given (what the nightly run does).
 */
export async function loadExperiments(options: ExperimenterOptions, byDefault = false): Promise<readonly Experiment[] | undefined> {
  const { experimenterUrl, experimentsFile } = options;
  if (!experimenterUrl && !experimentsFile && !byDefault) return undefined;
  try {
    const converted = experimentsFile
      ? await readExperimentsFile(experimentsFile)
      : await fetchExperiments({
          ...(experimenterUrl ? { url: experimenterUrl } : {}),
          onRetry: (attempt, reason) => err(`Experimenter: ${reason}; try ${attempt}`),
        });
    if (converted.dropped.length)
      err(`Experimenter: ignored ${converted.dropped.length} entries that do not parse (${converted.dropped.slice(0, 3).join("; ")})`);
    return converted.experiments;
  } catch (error) {
    if (!(error instanceof ExperimenterUnavailable)) throw error;
    err(`warning: Experimenter unavailable (${error.message}): projects with a config still run; rollouts without one are skipped`);
    return undefined;
  }
}
