import { MACRO_FUNCTIONS } from "../duckdb-macros.js";
import { FUNCTION_TRANSLATIONS, type Call, type TranslationContext } from "./function-translations.js";
import { isLayout, isWord, significant, splitArgs, toTree, type SqlNode } from "./sql-tree.js";
import { tokenizeBigQuery, type Token } from "./tokenize-bigquery.js";
import { UntranslatableSqlError } from "./untranslatable-sql-error.js";

const duckString = (value: string) => `'${value.replaceAll("'", "''")}'`;
const duckIdent = (name: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`);
/** Schemas whose functions are BigQuery UDFs: each needs a macro in the DuckDB macro pack. */
const UDF_ROOTS = new Set(["mozfun", "udf", "udf_js", "moz-fx-data-shared-prod"]);

const isPunct = (node: SqlNode | undefined, text: string) =>
  node?.kind === "token" && node.token.kind === "punct" && node.token.text === text;
const isNameToken = (node: SqlNode | undefined): node is { kind: "token"; token: Token } =>
  node?.kind === "token" && (node.token.kind === "word" || node.token.kind === "quoted");
/** A node after which `[` is a subscript rather than an array literal. */
const endsExpression = (node: SqlNode | undefined) =>
  node !== undefined &&
  (node.kind === "group" ||
    (node.kind === "token" &&
      ["word", "quoted", "string"].includes(node.token.kind) &&
      // `SELECT [1, 2]`: after these keywords, `[` opens an array
      !(node.token.kind === "word" && KEYWORDS_BEFORE_ARRAY.has(node.token.text.toUpperCase()))));
const KEYWORDS_BEFORE_ARRAY = new Set(["SELECT", "CASE", "WHEN", "THEN", "ELSE", "AND", "OR", "NOT", "IN", "RETURN"]);

/** The `n` of `OFFSET(n)`-style subscripts, made 1-based. */
function subscript(children: readonly SqlNode[], t: TranslationContext): string {
  const inner = significant(children);
  const head = inner[0];
  const arg = inner[1];
  if (inner.length === 2 && head?.kind === "token" && arg?.kind === "group" && arg.open === "(") {
    const word = head.token.text.toUpperCase();
    const n = t.translate(arg.children).trim();
    if (word === "OFFSET" || word === "SAFE_OFFSET") return `[(${n}) + 1]`;
    if (word === "ORDINAL" || word === "SAFE_ORDINAL") return `[${n}]`;
  }
  return `[(${t.translate(children).trim()}) + 1]`;
}

/** Reads a dotted name (`a.b`, `` `p.d.t` ``, `SAFE.F`) starting at `at`: its parts and where it ends. */
function readPath(nodes: readonly SqlNode[], at: number): { parts: string[]; quoted: boolean; end: number } {
  const parts: string[] = [];
  let quoted = false;
  let i = at;
  for (;;) {
    const node = nodes[i];
    if (!isNameToken(node)) break;
    if (node.token.kind === "quoted") {
      quoted = true;
      parts.push(...node.token.value.split("."));
    } else parts.push(node.token.text);
    i++;
    if (!isPunct(nodes[i], ".") || !isNameToken(nodes[i + 1])) break;
    i++;
  }
  return { parts, quoted, end: i };
}

function translateCall(parts: readonly string[], group: readonly SqlNode[], t: Context): string {
  const safe = parts.length === 2 && parts[0]?.toUpperCase() === "SAFE";
  // `moz-fx-data-shared-prod`.udf.f is the shared project's udf.f, which the macro pack defines
  const qualified = parts.length === 3 && parts[0]?.toLowerCase() === "moz-fx-data-shared-prod";
  const nameParts = safe ? parts.slice(1) : qualified ? parts.slice(1) : parts;
  const name = nameParts.join(".");
  const call: Call = { name, args: splitArgs(group), group, safe };
  const root = nameParts[0]?.toLowerCase() ?? "";
  if (nameParts.length > 1 && root === "hll_count") throw new UntranslatableSqlError(`${name} (HyperLogLog++ sketches have no DuckDB equivalent)`, t.origin);
  if (nameParts.length > 1 && UDF_ROOTS.has(root)) {
    const key = nameParts.map((p) => p.toLowerCase()).join(".");
    if (!MACRO_FUNCTIONS.has(key)) throw new UntranslatableSqlError(`the UDF ${name} (no DuckDB macro for it)`, t.origin);
    return t.wrapSafe(safe, `${nameParts.map(duckIdent).join(".")}(${call.args.map((a) => t.translate(a).trim()).join(", ")})`);
  }
  const translation = nameParts.length === 1 ? FUNCTION_TRANSLATIONS[name.toUpperCase()] : undefined;
  // functions with a natural safe form handle SAFE. themselves; others are wrapped in TRY
  if (translation && ["CAST", "PARSE_DATE", "PARSE_TIMESTAMP"].includes(name.toUpperCase())) return translation(call, t);
  const text = translation ? translation(call, t) : `${nameParts.map(duckIdent).join(".")}(${t.translate(group).trim()})`;
  return t.wrapSafe(safe, text);
}

interface Context extends TranslationContext {
  readonly wrapSafe: (safe: boolean, text: string) => string;
  /** The whole expression's nodes: a from expression may be a bare table name. */
  readonly root: { nodes?: readonly SqlNode[] };
}

function translateNodes(nodes: readonly SqlNode[], t: Context): string {
  let out = "";
  let previous: SqlNode | undefined;
  const next = (from: number) => {
    let j = from;
    while (isLayout(nodes[j])) j++;
    return j;
  };
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    if (!node) continue;
    if (node.kind === "group") {
      out +=
        node.open === "("
          ? `(${t.translate(node.children)})`
          : endsExpression(previous)
            ? subscript(node.children, t)
            : `[${t.translate(node.children)}]`;
      previous = node;
      continue;
    }
    const { token } = node;
    switch (token.kind) {
      case "space":
        out += token.text;
        continue;
      case "comment":
        out += blockComment(token.text);
        continue;
      case "string":
        if (token.bytes) throw new UntranslatableSqlError("a bytes literal (b'...')", t.origin);
        out += duckString(token.value);
        break;
      case "param":
        throw new UntranslatableSqlError(`the query parameter ${token.text}`, t.origin);
      case "number":
      case "punct":
        out += token.text;
        break;
      case "word":
      case "quoted": {
        const upper = token.text.toUpperCase();
        const after = nodes[next(i + 1)];
        if (token.kind === "word" && (upper === "STRUCT" || upper === "ARRAY") && isPunct(after, "<")) {
          throw new UntranslatableSqlError(`${upper}<...> typed literals`, t.origin);
        }
        if (token.kind === "word" && upper === "WITH" && isWord(after, "OFFSET"))
          throw new UntranslatableSqlError("UNNEST ... WITH OFFSET", t.origin);
        if (token.kind === "word" && upper === "SELECT" && isWord(after, "AS"))
          throw new UntranslatableSqlError("SELECT AS STRUCT / SELECT AS VALUE", t.origin);
        if (token.kind === "word" && upper === "EXCEPT" && isPunct(previous, "*")) {
          out += "EXCLUDE";
          previous = node;
          break;
        }
        if (token.kind === "word" && upper === "IN" && isWord(after, "UNNEST")) {
          const group = nodes[next(next(i + 1) + 1)];
          if (group?.kind === "group" && group.open === "(") {
            out += `IN (SELECT UNNEST(${t.translate(group.children)}))`;
            i = next(next(i + 1) + 1);
            previous = group;
            break;
          }
        }
        const unnested = nodes[next(i + 1)];
        if (token.kind === "word" && upper === "UNNEST" && unnested?.kind === "group" && unnested.open === "(") {
          i = next(i + 1);
          previous = unnested;
          const as = next(i + 1);
          const named = isWord(nodes[as], "AS") ? next(as + 1) : as;
          const alias = nodes[named];
          const hasAlias = isNameToken(alias) && (named !== as || !UNNEST_ALIAS_STOPS.has(alias.token.text.toUpperCase()));
          const name = hasAlias ? (alias.token.kind === "quoted" ? alias.token.value : alias.token.text) : undefined;
          out += unnestTable(t.translate(unnested.children), name, name === undefined || !referenced(t.root.nodes ?? nodes, name));
          if (hasAlias) {
            i = named;
            previous = alias;
          }
          break;
        }
        if (token.kind === "word" && upper === "EXTRACT" && unnested?.kind === "group" && unnested.open === "(") {
          out += extract(unnested.children, t);
          i = next(i + 1);
          previous = unnested;
          break;
        }
        const tableName = isWord(previous, "FROM") || isWord(previous, "JOIN") || (previous === undefined && nodes === t.root.nodes);
        const dashed = token.kind === "word" && tableName ? dashedProject(nodes, i) : undefined;
        if (dashed) {
          const rest = readPath(nodes, dashed.end + 1);
          out += [dashed.name, ...rest.parts].map(duckIdent).join(".");
          i = rest.end - 1;
          previous = nodes[i];
          continue;
        }
        const path = readPath(nodes, i);
        // a call may be spaced from its parenthesis (`STRUCT (`, `SAFE_CAST (`): known functions and UDFs only
        const spaced = next(path.end);
        const callAt =
          spaced !== path.end && (path.parts.length > 1 || FUNCTION_TRANSLATIONS[upper] !== undefined) ? spaced : path.end;
        const call = nodes[callAt];
        if (call?.kind === "group" && call.open === "(" && !(path.parts.length === 1 && !path.quoted && isSqlKeyword(upper))) {
          out += translateCall(path.parts, call.children, t);
          i = callAt;
          previous = call;
        } else {
          out += path.quoted ? path.parts.map(duckIdent).join(".") : nodes.slice(i, path.end).map(textOf).join("");
          i = path.end - 1;
          previous = nodes[i];
        }
        continue;
      }
      default:
        token.kind satisfies never;
    }
    previous = node;
  }
  return out;
}

/** Words after `UNNEST(...)` that end it rather than alias it. */
const UNNEST_ALIAS_STOPS = new Set(
  ["WITH", "WHERE", "GROUP", "ORDER", "HAVING", "LIMIT", "JOIN", "LEFT", "RIGHT", "INNER", "FULL", "CROSS", "ON", "USING"]
    .concat(["UNION", "EXCEPT", "INTERSECT", "WINDOW", "QUALIFY", "PIVOT", "UNPIVOT", "TABLESAMPLE", "AND", "OR", "SELECT", "FROM"]),
);

/** Whether the statement names `name` (not as a field, `x.name`) anywhere but where it declares it. */
function referenced(nodes: readonly SqlNode[], name: string): boolean {
  let uses = 0;
  const walk = (list: readonly SqlNode[]) => {
    list.forEach((node, i) => {
      if (node.kind === "group") return walk(node.children);
      const text = node.token.kind === "quoted" ? node.token.value : node.token.text;
      if (isNameToken(node) && text.toLowerCase() === name.toLowerCase() && !isPunct(list[i - 1], ".")) uses++;
    });
  };
  walk(nodes);
  return uses > 1;
}

/**
 * A BigQuery `UNNEST(list) [AS alias]` table in DuckDB. BigQuery reads an element's struct fields
 * unqualified (`SELECT SUM(value) FROM UNNEST(h.values)`) and the element by its alias; DuckDB names
 * the table, not the element, after an alias. So the element is a column named after the alias; when
 * the statement never reads the alias, the fields are read unqualified (a struct), and they become
 * columns. Not otherwise: the element may be a scalar, and a field column would shadow the select
 * list's aliases in GROUP BY (`SELECT e.key AS key ... GROUP BY key`).
 */
function unnestTable(list: string, alias: string | undefined, expandFields: boolean): string {
  if (!expandFields) return `UNNEST(${list}) AS ${duckIdent(`${alias}_rows`)}(${duckIdent(alias ?? "")})`;
  const element = alias === undefined ? "" : `__element AS ${duckIdent(alias)}, `;
  return `(SELECT ${element}__element.* FROM (SELECT UNNEST(${list}) AS __element))${alias === undefined ? "" : ` AS ${duckIdent(`${alias}_rows`)}`}`;
}

/** A line comment as a block comment: a line comment before a call's `)` would swallow it once arguments are joined. */
const blockComment = (text: string) =>
  text.startsWith("--") || text.startsWith("#")
    ? `/*${text.slice(text.startsWith("#") ? 1 : 2).replaceAll("*/", "* /").trimEnd()} */`
    : text;

/**
 * An unquoted dashed project name after FROM or JOIN, or as a whole from expression
 * (`moz-fx-data-shared-prod.telemetry.main`, which BigQuery allows there): the tokenizer sees words and
 * minus signs, with nothing between them.
 */
function dashedProject(nodes: readonly SqlNode[], at: number): { name: string; end: number } | undefined {
  let name = "";
  let i = at;
  for (; ; i++) {
    const node = nodes[i];
    if (node?.kind !== "token") return undefined;
    if (isPunct(node, ".")) break;
    if (!(node.token.kind === "word" || node.token.kind === "number" || isPunct(node, "-"))) return undefined;
    name += node.token.text;
  }
  return name.includes("-") && isNameToken(nodes[i + 1]) ? { name, end: i } : undefined;
}

/** `EXTRACT(part FROM x)`: BigQuery counts DAYOFWEEK from Sunday = 1 (DuckDB's dow from Sunday = 0); its WEEK starts on Sunday. */
function extract(children: readonly SqlNode[], t: Context): string {
  const parts = significant(children);
  const part = parts[0]?.kind === "token" ? parts[0].token.text.toUpperCase() : "";
  const from = children.findIndex((n) => isWord(n, "FROM"));
  if (part === "WEEK" || (part === "DAYOFWEEK" && from < 0))
    throw new UntranslatableSqlError(`EXTRACT(${part} ...) (BigQuery's weeks start on Sunday; use ISOWEEK)`, t.origin);
  if (part === "DAYOFWEEK") return `(EXTRACT(dow FROM ${t.translate(children.slice(from + 1)).trim()}) + 1)`;
  if (part === "ISOWEEK") return `EXTRACT(week FROM ${t.translate(children.slice(from + 1)).trim()})`;
  return `EXTRACT(${t.translate(children)})`;
}

const textOf = (node: SqlNode): string => (node.kind === "token" ? node.token.text : "");
/** Words followed by `(` that are syntax, not function calls. */
const KEYWORDS_BEFORE_PAREN = new Set([
  "IN",
  "AS",
  "AND",
  "OR",
  "NOT",
  "ON",
  "FROM",
  "SELECT",
  "WHERE",
  "EXISTS",
  "OVER",
  "USING",
  "THEN",
  "ELSE",
  "WHEN",
  "CASE",
  "JOIN",
  "BY",
  "WITH",
  "UNNEST",
  "ARRAY",
  "EXCLUDE",
  "INTERVAL",
  "VALUES",
  "FILTER",
  "IS",
  "LIKE",
  "BETWEEN",
  "EXTRACT",
]);
const isSqlKeyword = (upper: string) => KEYWORDS_BEFORE_PAREN.has(upper);

/**
 * Translates a BigQuery select or from expression to DuckDB SQL, token by token: quoting and string
 * literals, subscripts, safe casts, aggregates and date functions; UDF calls are kept for the macro
 * pack. Anything it cannot translate faithfully throws {@link UntranslatableSqlError} naming the
 * construct and `origin`.
 *
 * @example translateBigQueryToDuckDb("COUNTIF(x = \"a\")", "probe p") // "count_if(x = 'a')"
 */
export function translateBigQueryToDuckDb(sql: string, origin: string): string {
  const context: Context = {
    origin,
    translate: (nodes) => translateNodes(nodes, context),
    wrapSafe: (safe, text) => (safe ? `TRY(${text})` : text),
    root: {},
  };
  const tree = toTree(tokenizeBigQuery(sql, origin), origin);
  context.root.nodes = tree;
  return context.translate(tree);
}
