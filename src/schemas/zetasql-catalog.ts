import { MOZILLA_UDFS, type UdfSignature } from "./mozilla-udfs.js";
import type { BigQueryField } from "./bigquery-schema.js";
import { fieldType, parseSqlType, type SqlType } from "./sql-type.js";

/** ZetaSQL's `TypeProto`, as the gRPC client takes it. */
export interface ZetaTypeProto {
  readonly typeKind: string | number;
  readonly arrayType?: { readonly elementType: ZetaTypeProto };
  readonly structType?: { readonly field: readonly { readonly fieldName: string; readonly fieldType: ZetaTypeProto }[] };
}

/** ZetaSQL's `SimpleCatalogProto` (the parts we fill). */
export interface ZetaCatalogProto {
  readonly name: string;
  readonly table: { readonly name: string; readonly column: { readonly name: string; readonly type: ZetaTypeProto }[] }[];
  readonly catalog: ZetaCatalogProto[];
  readonly customFunction: unknown[];
  readonly builtinFunctionOptions?: unknown;
}

const ZETA_SCALARS: Readonly<Record<string, string>> = {
  STRING: "TYPE_STRING",
  BYTES: "TYPE_BYTES",
  INT64: "TYPE_INT64",
  FLOAT64: "TYPE_DOUBLE",
  NUMERIC: "TYPE_NUMERIC",
  BIGNUMERIC: "TYPE_BIGNUMERIC",
  BOOL: "TYPE_BOOL",
  TIMESTAMP: "TYPE_TIMESTAMP",
  DATE: "TYPE_DATE",
  TIME: "TYPE_TIME",
  DATETIME: "TYPE_DATETIME",
  JSON: "TYPE_JSON",
  GEOGRAPHY: "TYPE_GEOGRAPHY",
  INTERVAL: "TYPE_INTERVAL",
};

/**
 * A column type as ZetaSQL's `TypeProto`.
 *
 * @example zetaType({ kind: "scalar", name: "FLOAT64" }) // { typeKind: "TYPE_DOUBLE" }
 */
export function zetaType(type: SqlType): ZetaTypeProto {
  switch (type.kind) {
    case "scalar":
      return { typeKind: ZETA_SCALARS[type.name] ?? "TYPE_STRING" };
    case "array":
      return { typeKind: "TYPE_ARRAY", arrayType: { elementType: zetaType(type.element) } };
    case "struct":
      return {
        typeKind: "TYPE_STRUCT",
        structType: { field: type.fields.map((f) => ({ fieldName: f.name, fieldType: zetaType(f.type) })) },
      };
    default:
      return type satisfies never;
  }
}

/** A table for the catalog: its name parts as SQL spells them, and its columns. */
export interface CatalogTable {
  readonly path: readonly string[];
  readonly columns: readonly { readonly name: string; readonly type: ZetaTypeProto }[];
}

/**
 * A schema's columns for the catalog.
 *
 * @example catalogColumns(schema.fields)[0] // { name: "additional_properties", type: { typeKind: "TYPE_STRING" } }
 */
export const catalogColumns = (fields: readonly BigQueryField[]): CatalogTable["columns"] =>
  fields.map((f) => ({ name: f.name, type: zetaType(fieldType(f)) }));

const emptyCatalog = (name: string): ZetaCatalogProto => ({ name, table: [], catalog: [], customFunction: [] });

/** The catalog at `path` under `root`, created on the way. */
function subCatalog(root: ZetaCatalogProto, path: readonly string[]): ZetaCatalogProto {
  let at = root;
  for (const part of path) {
    let next = at.catalog.find((c) => c.name.toLowerCase() === part.toLowerCase());
    if (!next) at.catalog.push((next = emptyCatalog(part)));
    at = next;
  }
  return at;
}

/** A UDF's signature as ZetaSQL's `FunctionProto`: templated arguments are ANY, a templated result follows the first. */
function functionProto(udf: UdfSignature, path: readonly string[]) {
  let anyCount = 0;
  const argument = udf.args.map((a) =>
    a.type.toUpperCase() === "ANY TYPE"
      ? { kind: anyCount++ === 0 ? "ARG_TYPE_ANY_1" : "ARG_TYPE_ANY_2", numOccurrences: 1 }
      : { kind: "ARG_TYPE_FIXED", type: zetaType(parseSqlType(a.type)), numOccurrences: 1 },
  );
  // a map's value type is the element's `value` field, which a signature cannot say: ZetaSQL takes
  // the body instead, our own one-line equivalent (a templated SQL function)
  if (udf.returns === null) {
    const names = udf.args.map((a) => a.name);
    return {
      namePath: path,
      group: "Templated_SQL_Function",
      mode: "SCALAR",
      signature: [{ argument, returnType: { kind: "ARG_TYPE_ARBITRARY", numOccurrences: 1 } }],
      templatedSqlFunctionArgumentName: names,
      parseResumeLocation: { input: `(SELECT e.value FROM UNNEST(${names[0]}) AS e WHERE e.key = ${names[1]} LIMIT 1)`, bytePosition: 0 },
    };
  }
  return {
    namePath: path,
    group: "UDF",
    mode: "SCALAR",
    signature: [{ argument, returnType: { kind: "ARG_TYPE_FIXED", type: zetaType(parseSqlType(udf.returns)), numOccurrences: 1 } }],
  };
}

/**
 * The ZetaSQL catalog of a statement: its tables under the name parts it spells them with (a
 * backquoted `p.d.t` is one part), BigQuery's built-in functions and Mozilla's UDFs.
 *
 * @example zetaCatalog([{ path: ["mozdata", "telemetry", "main"], columns }], server.languageOptions)
 */
export function zetaCatalog(
  tables: readonly CatalogTable[],
  languageOptions: unknown,
  udfs: readonly UdfSignature[] = MOZILLA_UDFS,
): ZetaCatalogProto {
  const root: ZetaCatalogProto = { ...emptyCatalog("opmon"), builtinFunctionOptions: { languageOptions } };
  for (const t of tables) {
    const parent = subCatalog(root, t.path.slice(0, -1));
    const name = t.path.at(-1) ?? "";
    if (parent.table.some((x) => x.name.toLowerCase() === name.toLowerCase())) continue;
    parent.table.push({ name, column: [...t.columns] });
  }
  for (const udf of udfs) {
    for (const name of udf.names) {
      const path = name.split(".");
      subCatalog(root, path.slice(0, -1)).customFunction.push(functionProto(udf, path));
    }
  }
  return root;
}
