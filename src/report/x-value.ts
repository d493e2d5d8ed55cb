/**
 * Where a result sits on the x-axis, as an ISO time: its day, or for build-id projects the time its
 * build id encodes (`YYYYMMDDhhmmss`, UTC), falling back to the day when the id is not one.
 *
 * @example xValue("build_id", { submission_date: "2026-10-20", build_id: "20261014093000" }) // "2026-10-14T09:30:00Z"
 */
export function xValue(xaxis: string, row: { readonly submission_date: string; readonly build_id: string | null }): string {
  const build = row.build_id ?? "";
  if (xaxis === "build_id" && /^\d{8}/.test(build)) {
    const t = build.padEnd(14, "0");
    return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(8, 10)}:${t.slice(10, 12)}:${t.slice(12, 14)}Z`;
  }
  return `${row.submission_date}T00:00:00Z`;
}
