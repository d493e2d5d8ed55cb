/** One column of a {@link Table}: the row key it shows, its heading, and which side it aligns to. */
export interface TableColumn {
  readonly key: string;
  readonly label: string;
  readonly align?: "left" | "right";
}

/** A goal of the issue, checked against a table. */
export interface Goal {
  readonly name: string;
  readonly passed: boolean;
  /** What was measured, and where it was missed. */
  readonly detail: string;
}

/**
 * One table of the evaluation: rows to print, notes on how to read them, and the goals checked on them.
 * A new table (the alert table, say) is a function returning one of these, listed in `main.ts`.
 */
export interface Table {
  readonly name: string;
  readonly title: string;
  readonly columns: readonly TableColumn[];
  readonly rows: readonly Readonly<Record<string, string | number | null>>[];
  readonly notes: readonly string[];
  readonly goals: readonly Goal[];
  /** The measurements behind the rows, for `--json`. */
  readonly data?: unknown;
}

const cell = (v: string | number | null | undefined) => (v === null || v === undefined ? "" : String(v));

/**
 * The table as aligned text: title, header, rows, notes.
 *
 * @example formatTable({ name: "t", title: "T", columns: [{ key: "a", label: "A" }], rows: [{ a: 1 }], notes: [], goals: [] })
 */
export function formatTable(table: Table): string {
  const widths = table.columns.map((c) => Math.max(c.label.length, ...table.rows.map((r) => cell(r[c.key]).length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (table.columns[i]?.align === "left" ? v.padEnd(widths[i]!) : v.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [
    table.title,
    "",
    line(table.columns.map((c) => c.label)),
    line(widths.map((w) => "-".repeat(w))),
    ...table.rows.map((r) => line(table.columns.map((c) => cell(r[c.key])))),
    "",
    ...table.notes.map((n) => `  ${n}`),
  ].join("\n");
}
