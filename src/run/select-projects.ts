import { formatIssue, type Issue } from "../config/issue.js";
import type { ProjectGraph } from "../graph/project-graph.js";
import type { ResolvedProject } from "../graph/resolve-config-dir.js";

/** A project left out of a run, and why. */
export interface Skipped {
  readonly slug: string;
  readonly reason: string;
}

/** The projects a run processes, the ones it leaves out, and the ones it cannot run, with their reasons. */
export interface Selection {
  readonly run: readonly ProjectGraph[];
  readonly skipped: readonly Skipped[];
  /** Projects whose config does not load or resolve: failures of the run, never silently left out. */
  readonly invalid: readonly Skipped[];
}

/**
 * The projects that run for `date`: valid, not `skip`, and with start date <= date <= end date.
 * (Upstream runs the day before the date it is given; here the date given is the day computed.)
 * A project that does not load or resolve is `invalid`, with its first error, so the run fails.
 *
 * @example selectProjects(projects, "2026-11-27").run.map((g) => g.slug)
 */
export function selectProjects(projects: readonly ResolvedProject[], date: string, slug?: string): Selection {
  const run: ProjectGraph[] = [];
  const skipped: Skipped[] = [];
  const invalid: Skipped[] = [];
  for (const p of projects) {
    if (slug !== undefined && p.slug !== slug) continue;
    const g = p.graph;
    if (!g) {
      invalid.push({ slug: p.slug, reason: invalidReason(p.issues, p.file) });
      continue;
    }
    const reason = g.skip
        ? "skip is set"
        : !g.startDate
          ? "no start date"
          : date < g.startDate
            ? `starts ${g.startDate}`
            : g.endDate && date > g.endDate
              ? `ended ${g.endDate}`
              : undefined;
    if (reason) skipped.push({ slug: p.slug, reason });
    else run.push(g);
  }
  return { run, skipped, invalid };
}

/**
 * Why a config cannot run, in one line: its first error with file and config path, and how many more.
 *
 * @example invalidReason(issues, "projects/gc.ts") // "projects/gc.ts error at slug: ... (and 2 more; see opmon validate)"
 */
export function invalidReason(issues: readonly Issue[], file: string): string {
  const errors = issues.filter((i) => i.severity === "error");
  const first = errors[0];
  if (!first) return `${file}: invalid config (see opmon validate)`;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more; see opmon validate)` : " (see opmon validate)";
  return `${formatIssue({ ...first, file: first.file ?? file })}${more}`;
}

/** Every date from `start` to `end`, inclusive. */
export function datesBetween(start: string, end: string): string[] {
  const dates: string[] = [];
  for (let t = Date.parse(start); t <= Date.parse(end); t += 86_400_000) dates.push(new Date(t).toISOString().slice(0, 10));
  return dates;
}
