import { standardType, type BigQueryField } from "./bigquery-schema.js";

/** A BigQuery column type as a tree: what both the ZetaSQL catalog and DuckDB DDL are printed from. */
export type SqlType =
  | { readonly kind: "scalar"; readonly name: string }
  | { readonly kind: "array"; readonly element: SqlType }
  | { readonly kind: "struct"; readonly fields: readonly { readonly name: string; readonly type: SqlType }[] };

/** The type of one schema field: a REPEATED field is an ARRAY of its type, a RECORD a STRUCT. */
export function fieldType(field: BigQueryField): SqlType {
  const type: SqlType =
    standardType(field.type) === "RECORD"
      ? { kind: "struct", fields: (field.fields ?? []).map((f) => ({ name: f.name, type: fieldType(f) })) }
      : { kind: "scalar", name: standardType(field.type) };
  return field.mode === "REPEATED" ? { kind: "array", element: type } : type;
}

/**
 * Parses a BigQuery type as SQL spells it (`ARRAY<STRUCT<key STRING, value INT64>>`, field names
 * may be backquoted).
 *
 * @example parseSqlType("ARRAY<INT64>") // { kind: "array", element: { kind: "scalar", name: "INT64" } }
 */
export function parseSqlType(text: string): SqlType {
  const tokens = text.match(/`[^`]*`|[A-Za-z_][A-Za-z0-9_]*|[<>,]/g) ?? [];
  let at = 0;
  const next = () => tokens[at++] ?? "";
  const peek = () => tokens[at] ?? "";
  const expect = (t: string) => {
    if (next() !== t) throw new Error(`type "${text}": expected "${t}"`);
  };
  const type = (): SqlType => {
    const word = next().toUpperCase();
    if (word === "ARRAY") {
      expect("<");
      const element = type();
      expect(">");
      return { kind: "array", element };
    }
    if (word === "STRUCT") {
      expect("<");
      const fields: { name: string; type: SqlType }[] = [];
      while (peek() !== ">") {
        const name = next().replaceAll("`", "");
        fields.push({ name, type: type() });
        if (peek() === ",") next();
      }
      expect(">");
      return { kind: "struct", fields };
    }
    if (!word) throw new Error(`type "${text}" ends early`);
    return { kind: "scalar", name: standardType(word) };
  };
  const parsed = type();
  if (at !== tokens.length) throw new Error(`type "${text}": unexpected "${peek()}"`);
  return parsed;
}
