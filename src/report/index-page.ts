import { escapeHtml, page } from "./html.js";
import type { ProjectResults } from "./report-data.js";

/** The file name of a project's page. */
export const projectFile = (tableSlug: string) => `${tableSlug}.html`;

/**
 * The latest day with results, and the alerts raised on it (the ones still "open").
 *
 * @example latestDay(results) // { day: "2026-10-20", openAlerts: 1 }
 */
export function latestDay(results: ProjectResults): { readonly day: string | null; readonly openAlerts: number } {
  const day = results.rows.reduce<string | null>((max, r) => (max === null || r.submission_date > max ? r.submission_date : max), null);
  return { day, openAlerts: day === null ? 0 : results.alerts.filter((a) => a.submission_date === day).length };
}

/**
 * The site's index: one row per project with name (linking to its page), platform, x-axis, dates,
 * branches, latest day with results and open alerts.
 *
 * @example writeFileSync("index.html", indexPage(allResults, "2026-10-21T06:00:00Z"));
 */
export function indexPage(projects: readonly ProjectResults[], generatedAt?: string): string {
  const rows = projects.map((p) => {
    const g = p.graph;
    const { day, openAlerts } = latestDay(p);
    const alerts = `<span class="count ${openAlerts ? "open" : "none"}">${openAlerts}</span>`;
    return `<tr data-slug="${escapeHtml(g.slug)}"><td><a href="${escapeHtml(projectFile(g.tableSlug))}">${escapeHtml(g.name)}</a><div class="muted">${escapeHtml(g.slug)}</div></td>
<td>${escapeHtml(g.platform.name)}</td><td>${g.xaxis === "build_id" ? "build" : "submission date"}</td>
<td>${escapeHtml(g.startDate ?? "?")} – ${escapeHtml(g.endDate ?? "open")}</td><td>${escapeHtml(g.population.branches.join(", "))}</td>
<td>${day ? escapeHtml(day) : `<span class="muted">no results</span>`}</td><td>${alerts}</td></tr>`;
  });
  const body = `<header><h1>Operational monitoring</h1><div class="meta">${projects.length} project${projects.length === 1 ? "" : "s"}${generatedAt ? ` · written ${escapeHtml(generatedAt)}` : ""}</div></header>
<main><table id="projects"><thead><tr><th>Project</th><th>Platform</th><th>X-axis</th><th>Dates</th><th>Branches</th><th>Latest day</th><th>Open alerts</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody></table>
<p class="muted">Open alerts: alerts raised on the project's latest day with results.</p></main>`;
  return page("Operational monitoring · opmon", body);
}
