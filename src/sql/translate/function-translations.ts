import { indexOfWord, isWord, significant, type SqlNode } from "./sql-tree.js";
import { translateBigQueryType } from "./translate-bigquery-type.js";
import { UntranslatableSqlError } from "./untranslatable-sql-error.js";

/** A BigQuery function call being translated. */
export interface Call {
  /** The name as written (for messages and pass-through). */
  readonly name: string;
  readonly args: readonly (readonly SqlNode[])[];
  /** The nodes between the parentheses, unsplit (a cast's type may hold commas). */
  readonly group: readonly SqlNode[];
  /** Called with the `SAFE.` prefix. */
  readonly safe: boolean;
}

/** What a function translation can use: the recursive translator and where the SQL came from. */
export interface TranslationContext {
  readonly origin: string;
  readonly translate: (nodes: readonly SqlNode[]) => string;
}

type FunctionTranslation = (call: Call, t: TranslationContext) => string;

const args = (call: Call, t: TranslationContext) => call.args.map((a) => t.translate(a).trim());
const arity = (call: Call, t: TranslationContext, ...counts: number[]) => {
  if (!counts.includes(call.args.length)) throw new UntranslatableSqlError(`${call.name} with ${call.args.length} arguments`, t.origin);
  return args(call, t);
};
const rename = (name: string): FunctionTranslation => (call, t) => `${name}(${args(call, t).join(", ")})`;
const datePart = (node: readonly SqlNode[] | undefined, t: TranslationContext) => {
  const part = significant(node ?? []);
  if (part.length !== 1 || part[0]?.kind !== "token") throw new UntranslatableSqlError("a date part other than a plain unit", t.origin);
  return `'${part[0].token.text.toLowerCase()}'`;
};

/** `CAST(x AS T)`: the expression and the type, split at the top-level `AS`. */
function castParts(call: Call, t: TranslationContext): [string, string] {
  const arg = call.group;
  const as = indexOfWord(arg, "AS");
  if (as < 0) throw new UntranslatableSqlError(`${call.name} without AS <type>`, t.origin);
  if (indexOfWord(arg.slice(as), "FORMAT") >= 0) throw new UntranslatableSqlError(`${call.name}(... FORMAT ...)`, t.origin);
  return [t.translate(arg.slice(0, as)).trim(), translateBigQueryType(arg.slice(as + 1), t.origin)];
}

/** `ARRAY_AGG(x [IGNORE NULLS] [ORDER BY ..] [LIMIT n])` as DuckDB's `list(...)` with a filter and a slice. */
function arrayAgg(call: Call, t: TranslationContext): string {
  if (call.args.length !== 1) throw new UntranslatableSqlError("ARRAY_AGG with several arguments", t.origin);
  let arg = call.args[0] ?? [];
  let limit: string | undefined;
  const limitAt = indexOfWord(arg, "LIMIT");
  if (limitAt >= 0) [arg, limit] = [arg.slice(0, limitAt), t.translate(arg.slice(limitAt + 1)).trim()];
  let orderBy = "";
  const orderAt = indexOfWord(arg, "ORDER");
  if (orderAt >= 0) [arg, orderBy] = [arg.slice(0, orderAt), ` ${t.translate(arg.slice(orderAt)).trim()}`];
  let ignoreNulls = false;
  const nullsAt = indexOfWord(arg, "NULLS");
  const before = significant(arg.slice(0, nullsAt)).at(-1);
  if (nullsAt >= 0 && (isWord(before, "IGNORE") || isWord(before, "RESPECT"))) {
    ignoreNulls = isWord(before, "IGNORE");
    arg = arg.slice(0, arg.lastIndexOf(before as SqlNode));
  }
  let value = t.translate(arg).trim();
  // filtering the aggregated list evaluates the value once per row (a FILTER clause would evaluate it twice)
  value = ignoreNulls ? `list_filter(list(${value}${orderBy}), lambda v: v IS NOT NULL)` : `list(${value}${orderBy})`;
  return limit === undefined ? value : `list_slice(${value}, 1, ${limit})`;
}

/** `STRUCT(x AS a, y)` as `struct_pack(a := x, y := y)`; a field's name defaults to its column's. */
function struct(call: Call, t: TranslationContext): string {
  const fields = call.args.map((arg) => {
    const as = indexOfWord(arg, "AS");
    if (as >= 0) return `${t.translate(arg.slice(as + 1)).trim()} := ${t.translate(arg.slice(0, as)).trim()}`;
    const last = significant(arg).at(-1);
    if (last?.kind !== "token" || last.token.kind !== "word") throw new UntranslatableSqlError("a STRUCT field without a name", t.origin);
    return `${last.token.text} := ${t.translate(arg).trim()}`;
  });
  return `struct_pack(${fields.join(", ")})`;
}

/** BigQuery `SUBSTR` counts a start of 0 as 1; DuckDB does not. */
function substr(call: Call, t: TranslationContext): string {
  const [s, p, l] = arity(call, t, 2, 3);
  const start = p === "0" ? "1" : `CASE WHEN (${p}) = 0 THEN 1 ELSE ${p} END`;
  return `substr(${[s, start, ...(l === undefined ? [] : [l])].join(", ")})`;
}

/** `DATE_ADD(d, INTERVAL n DAY)` and friends; date results stay dates. */
const shift = (op: "+" | "-", toDate: boolean): FunctionTranslation => (call, t) => {
  const [d, interval] = arity(call, t, 2);
  const value = `(${d}) ${op} ${interval}`;
  return toDate ? `CAST(${value} AS DATE)` : `(${value})`;
};

/** `LOG(x)` is natural in BigQuery and base 10 in DuckDB; `LOG(x, b)` swaps its arguments. */
function log(call: Call, t: TranslationContext): string {
  const [x, base] = arity(call, t, 1, 2);
  return base === undefined ? `ln(${x})` : `log(${base}, ${x})`;
}

/** `DATE(x)`: a cast; `DATE(y, m, d)`: a constructor. */
function date(call: Call, t: TranslationContext): string {
  const a = arity(call, t, 1, 3);
  return a.length === 3 ? `make_date(${a.join(", ")})` : `CAST(${a[0] ?? ""} AS DATE)`;
}

/** `REGEXP_EXTRACT` returns the first group when the pattern has one. */
function regexpExtract(call: Call, t: TranslationContext): string {
  const [s, pattern] = arity(call, t, 2);
  const literal = significant(call.args[1] ?? [])[0];
  const hasGroup = literal?.kind === "token" && literal.token.kind === "string" && /(^|[^\\])\((?!\?)/.test(literal.token.value);
  return `regexp_extract(${s}, ${pattern}${hasGroup ? ", 1" : ""})`;
}

/** `APPROX_QUANTILES(x, n)`: exact quantiles at 0, 1/n, ..., 1 (n must be a number). */
function approxQuantiles(call: Call, t: TranslationContext): string {
  const [x, n] = arity(call, t, 2);
  const count = Number(n);
  if (!Number.isInteger(count) || count <= 0) throw new UntranslatableSqlError("APPROX_QUANTILES with a computed count", t.origin);
  const fractions = Array.from({ length: count + 1 }, (_, i) => String(i / count));
  return `quantile_disc(${x}, [${fractions.join(", ")}])`;
}

const untranslatable = (what: string): FunctionTranslation => (_call, t) => {
  throw new UntranslatableSqlError(what, t.origin);
};

/** BigQuery functions spelled or behaving differently in DuckDB, by upper-case name. */
export const FUNCTION_TRANSLATIONS: Readonly<Record<string, FunctionTranslation>> = Object.freeze({
  COUNTIF: rename("count_if"),
  LOGICAL_OR: rename("bool_or"),
  LOGICAL_AND: rename("bool_and"),
  SAFE_DIVIDE: (call, t) => {
    const [a, b] = arity(call, t, 2);
    return `((${a}) / NULLIF(${b}, 0))`;
  },
  IEEE_DIVIDE: (call, t) => {
    const [a, b] = arity(call, t, 2);
    return `((${a}) / (${b}))`;
  },
  DIV: (call, t) => {
    const [a, b] = arity(call, t, 2);
    return `((${a}) // (${b}))`;
  },
  REGEXP_CONTAINS: rename("regexp_matches"),
  REGEXP_EXTRACT: regexpExtract,
  REGEXP_REPLACE: rename("regexp_replace"),
  SAFE_CAST: (call, t) => {
    const [x, type] = castParts(call, t);
    return `TRY_CAST(${x} AS ${type})`;
  },
  CAST: (call, t) => {
    const [x, type] = castParts(call, t);
    return `${call.safe ? "TRY_CAST" : "CAST"}(${x} AS ${type})`;
  },
  ARRAY_AGG: arrayAgg,
  STRUCT: struct,
  SUBSTR: substr,
  SUBSTRING: substr,
  LOG: log,
  DATE: date,
  TIMESTAMP: (call, t) => `CAST(${arity(call, t, 1)[0] ?? ""} AS TIMESTAMP)`,
  DATETIME: (call, t) => `CAST(${arity(call, t, 1)[0] ?? ""} AS TIMESTAMP)`,
  DATE_ADD: shift("+", true),
  DATE_SUB: shift("-", true),
  TIMESTAMP_ADD: shift("+", false),
  TIMESTAMP_SUB: shift("-", false),
  DATETIME_ADD: shift("+", false),
  DATETIME_SUB: shift("-", false),
  DATE_DIFF: (call, t) => {
    const [a, b] = arity(call, t, 3);
    return `date_diff(${datePart(call.args[2], t)}, ${b}, ${a})`;
  },
  TIMESTAMP_DIFF: (call, t) => {
    const [a, b] = arity(call, t, 3);
    return `date_diff(${datePart(call.args[2], t)}, ${b}, ${a})`;
  },
  DATE_TRUNC: (call, t) => `CAST(date_trunc(${datePart(call.args[1], t)}, ${arity(call, t, 2)[0] ?? ""}) AS DATE)`,
  TIMESTAMP_TRUNC: (call, t) => `date_trunc(${datePart(call.args[1], t)}, ${arity(call, t, 2)[0] ?? ""})`,
  PARSE_DATE: (call, t) => {
    const [format, s] = arity(call, t, 2);
    return `CAST(${call.safe ? "try_strptime" : "strptime"}(${s}, ${format}) AS DATE)`;
  },
  PARSE_TIMESTAMP: (call, t) => {
    const [format, s] = arity(call, t, 2);
    return `${call.safe ? "try_strptime" : "strptime"}(${s}, ${format})`;
  },
  FORMAT_DATE: (call, t) => {
    const [format, d] = arity(call, t, 2);
    return `strftime(${d}, ${format})`;
  },
  FORMAT_TIMESTAMP: (call, t) => {
    const [format, d] = arity(call, t, 2, 3);
    return `strftime(${d}, ${format})`;
  },
  CURRENT_DATE: () => "current_date",
  CURRENT_TIMESTAMP: () => "current_timestamp",
  UNIX_DATE: (call, t) => `date_diff('day', DATE '1970-01-01', ${arity(call, t, 1)[0] ?? ""})`,
  SPLIT: (call, t) => {
    const [s, d] = arity(call, t, 1, 2);
    return `string_split(${s}, ${d ?? "','"})`;
  },
  ARRAY_LENGTH: rename("len"),
  ARRAY_REVERSE: rename("list_reverse"),
  ARRAY_CONCAT: (call, t) => `flatten([${args(call, t).join(", ")}])`,
  ARRAY_CONCAT_AGG: (call, t) => `flatten(list(${arity(call, t, 1)[0] ?? ""}))`,
  GENERATE_ARRAY: rename("generate_series"),
  APPROX_QUANTILES: approxQuantiles,
  TO_JSON_STRING: (call, t) => `CAST(to_json(${arity(call, t, 1, 2)[0] ?? ""}) AS VARCHAR)`,
  JSON_EXTRACT_SCALAR: rename("json_extract_string"),
  JSON_VALUE: rename("json_extract_string"),
  JSON_EXTRACT: rename("json_extract"),
  JSON_QUERY: rename("json_extract"),
  FARM_FINGERPRINT: untranslatable("FARM_FINGERPRINT (DuckDB has no FarmHash; its hash gives other values)"),
  // BigQuery's MD5 gives bytes, DuckDB's the hex text of them
  MD5: (call, t) => `unhex(md5(${arity(call, t, 1)[0] ?? ""}))`,
  TO_HEX: (call, t) => {
    const inner = significant(call.args[0] ?? []);
    const [fn, group] = inner;
    if (inner.length === 2 && isWord(fn, "MD5") && group?.kind === "group") return `md5(${t.translate(group.children).trim()})`;
    return `lower(hex(${arity(call, t, 1)[0] ?? ""}))`;
  },
  TIMESTAMP_SECONDS: (call, t) => `to_timestamp(${arity(call, t, 1)[0] ?? ""})`,
  DATE_FROM_UNIX_DATE: (call, t) => `CAST(DATE '1970-01-01' + CAST(${arity(call, t, 1)[0] ?? ""} AS INTEGER) AS DATE)`,
  NORMALIZE_AND_CASEFOLD: untranslatable("NORMALIZE_AND_CASEFOLD (DuckDB has no Unicode case folding)"),
  STRUCT_TYPED: untranslatable("STRUCT<...>(...) typed struct literals"),
  ST_GEOGPOINT: untranslatable("geography functions (ST_*)"),
  NET_HOST: untranslatable("NET.HOST"),
});
