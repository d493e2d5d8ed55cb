import { didYouMean } from "../../config/issue.js";
import type { ResolvedConfigDir } from "../../graph/resolve-config-dir.js";
import { UsageError, UserError } from "../output.js";
import { loadExperiments, type ExperimenterOptions } from "./experimenter-options.js";

/** A `--date`-like value, checked: given, `YYYY-MM-DD` and a real day; anything else is bad usage. */
export function dateArg(value: unknown, flag: string): string {
  if (value === undefined || value === true) throw new UsageError(`${flag} is required (YYYY-MM-DD)`);
  const text = String(value);
  const parsed = Date.parse(`${text}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 10) !== text) {
    throw new UsageError(`${flag} must be a date as YYYY-MM-DD, not "${text}"`);
  }
  return text;
}

/** Yesterday in UTC: the day a nightly run computes by default. */
export const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

/** Options of commands that pick projects to run. */
export interface SelectionOptions extends ExperimenterOptions {
  readonly configDir: string;
  /** False with `--no-experimenter`. */
  readonly experimenter?: boolean;
}

/**
 * Resolves the config directory for a run, consulting Experimenter unless told not to. Returns the
 * projects and notes for the summary (Experimenter unavailable). An unknown `slug` is a one-line error
 * with "did you mean".
 */
export async function projectsForRun(options: SelectionOptions, slug?: string): Promise<ResolvedConfigDir & { notes: string[] }> {
  const consult = options.experimenter !== false;
  const experiments = consult ? await loadExperiments(options, true) : undefined;
  const { resolveConfigDir } = await import("../../graph/resolve-config-dir.js");
  const resolved = await resolveConfigDir(options.configDir, experiments ? { experiments } : {});
  if (slug !== undefined && !resolved.projects.some((p) => p.slug === slug)) {
    const hint = didYouMean(
      slug,
      resolved.projects.map((p) => p.slug),
    );
    throw new UserError(`no project "${slug}" in ${options.configDir}${hint ? ` (${hint})` : ""}`);
  }
  const notes = consult && !experiments ? ["Experimenter was unavailable: rollouts without a config were not monitored"] : [];
  return { ...resolved, notes };
}
