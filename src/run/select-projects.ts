import type { ProjectGraph } from "../graph/project-graph.js";
import type { ResolvedProject } from "../graph/resolve-config-dir.js";

/** A project left out of a run, and why. */
export interface Skipped {
  readonly slug: string;
  readonly reason: string;
}

/** The projects a run processes, and the ones it leaves out with their reasons. */
export interface Selection {
  readonly run: readonly ProjectGraph[];
  readonly skipped: readonly Skipped[];
}

/**
 * The projects that run for `date`: valid, not `skip`, and with start date <= date <= end date.
 * (Upstream runs the day before the date it is given; here the date given is the day computed.)
 *
 * @example selectProjects(projects, "2026-11-27").run.map((g) => g.slug)
 */
export function selectProjects(projects: readonly ResolvedProject[], date: string, slug?: string): Selection {
  const run: ProjectGraph[] = [];
  const skipped: Skipped[] = [];
  for (const p of projects) {
    if (slug !== undefined && p.slug !== slug) continue;
    const g = p.graph;
    const reason = !g
      ? `invalid config (${p.issues.filter((i) => i.severity === "error").length} error(s); see opmon validate)`
      : g.skip
        ? "skip is set"
        : !g.startDate
          ? "no start date"
          : date < g.startDate
            ? `starts ${g.startDate}`
            : g.endDate && date > g.endDate
              ? `ended ${g.endDate}`
              : undefined;
    if (reason) skipped.push({ slug: p.slug, reason });
    else if (g) run.push(g);
  }
  return { run, skipped };
}

/** Every date from `start` to `end`, inclusive. */
export function datesBetween(start: string, end: string): string[] {
  const dates: string[] = [];
  for (let t = Date.parse(start); t <= Date.parse(end); t += 86_400_000) dates.push(new Date(t).toISOString().slice(0, 10));
  return dates;
}
