import { didYouMean } from "../../config/issue.js";
import type { Engine } from "../../engines/engine.js";
import type { ProjectGraph } from "../../graph/project-graph.js";
import type { ResolvedConfigDir } from "../../graph/resolve-config-dir.js";
import type { DialectName } from "../../sql/dialects/index.js";
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
  /** False with `--no-type-check` (run and backfill). */
  readonly typeCheck?: boolean;
}

/**
 * Resolves the config directory for a run, consulting Experimenter unless told not to. Returns the
 * projects and notes for the summary (Experimenter unavailable). An unknown `slug` is a one-line error
 * with "did you mean". With `typeCheck`, a module with type errors is not loaded: its project cannot
 * run, and its first error says why, as `opmon validate` would.
 */
export async function projectsForRun(
  options: SelectionOptions,
  slug?: string,
  { typeCheck = false } = {},
): Promise<ResolvedConfigDir & { notes: string[] }> {
  const consult = options.experimenter !== false;
  const experiments = consult ? await loadExperiments(options, true) : undefined;
  const { resolveConfigDir } = await import("../../graph/resolve-config-dir.js");
  const resolved = await resolveConfigDir(options.configDir, { typeCheck, ...(experiments ? { experiments } : {}) });
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

/**
 * For a run given no `--date`: stops it, naming the last day with data, when no population source of the
 * projects has rows for `date` (yesterday) yet. A source the check cannot read says nothing here: the
 * run then fails on it with the engine's own message.
 *
 * @example await requireDataFor(engine, "duckdb", selection.run, yesterday());
 */
export async function requireDataFor(engine: Engine, dialect: DialectName, graphs: readonly ProjectGraph[], date: string): Promise<void> {
  if (graphs.length === 0) return;
  const { lastDataDay } = await import("../../run/last-data-day.js");
  const { LOOKBACK_DAYS } = await import("../../sql/last-data-day-query.js");
  const found = await lastDataDay(engine, dialect, graphs, date).catch(() => undefined);
  if (!found || found.last === date) return;
  const where = `in ${found.sources.length > 1 ? "data sources" : "data source"} ${found.sources.join(", ")}`;
  throw new UserError(
    found.last
      ? `no data for ${date} (yesterday, the default --date) ${where}; the last day with data is ${found.last}: opmon run --date ${found.last}`
      : `no data for ${date} (yesterday, the default --date) nor the ${LOOKBACK_DAYS} days before ${where}: give --date`,
  );
}
