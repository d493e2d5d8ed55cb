/** Words dashboards spell in capitals: lookml-generator's list (`os` → `OS`, `gc_ms` → `GC Ms`). */
const INITIALISMS: ReadonlySet<string> = new Set(
  "cpu db dns dnt dom gc gpu http id io ip isp jwe lb os sdk serp ssl tls ui uri url utm uuid".split(" "),
);

/**
 * A slug or name as a dashboard title: words split on `_`, spaces and other punctuation, each
 * capitalised, initialisms in capitals; the way lookml-generator titles tiles and filters.
 *
 * @example titleCase("gc_ms_content") // "GC Ms Content"
 * @example titleCase("os") // "OS"
 */
export function titleCase(slug: string): string {
  return slug
    .split(/[^0-9A-Za-z]+/)
    .filter((word) => word.length > 0)
    .map((word) => (INITIALISMS.has(word.toLowerCase()) ? word.toUpperCase() : pythonTitle(word)))
    .join(" ");
}

/** Python's `str.title()` on one word, as lookml-generator uses it: a letter after a non-letter is capitalised (`95th` → `95Th`). */
const pythonTitle = (word: string) =>
  word.toLowerCase().replace(/(^|[^a-z])([a-z])/g, (_, before: string, letter: string) => before + letter.toUpperCase());
