/** Words dashboards spell in capitals, as lookml-generator does (`os` → `OS`). */
const INITIALISMS: ReadonlySet<string> = new Set([
  "cpu",
  "dns",
  "gpu",
  "id",
  "os",
  "uri",
  "url",
  "ui",
  "ip",
  "http",
  "https",
  "ssl",
  "tls",
]);

/**
 * A slug or name as a dashboard title: words split on `_`, spaces and other punctuation, each
 * capitalised, initialisms in capitals; the way lookml-generator titles tiles and filters.
 *
 * @example titleCase("gc_ms_content") // "Gc Ms Content"
 * @example titleCase("os") // "OS"
 */
export function titleCase(slug: string): string {
  return slug
    .split(/[^0-9A-Za-z]+/)
    .filter((word) => word.length > 0)
    .map((word) => (INITIALISMS.has(word.toLowerCase()) ? word.toUpperCase() : word.charAt(0).toUpperCase() + word.slice(1).toLowerCase()))
    .join(" ");
}
