import type { TomlValue } from "../dsl/index.js";

/** One property of an object literal being generated, with the comments printed above it. */
export interface Prop {
  readonly key: string;
  readonly value: string;
  readonly comments?: readonly string[] | undefined;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

// Line terminators (\r, U+2028, U+2029 end a `//` comment), control characters and invisible format
// characters (bidi overrides, BOM, zero-width): none is ever written raw into generated code.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

const escapeChar = (c: string) => {
  const code = c.codePointAt(0) ?? 0;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
};

/**
 * Text with line terminators, control and invisible characters written as `\uXXXX` escapes, so it reads
 * the same in a string literal and shows in a comment; `keep` lists characters left as they are.
 *
 * @example visible("perf\u2028team") // "perf\\u2028team"
 */
export function visible(text: string, keep = ""): string {
  return text.replace(UNSAFE, (c) => (keep.includes(c) ? c : escapeChar(c)));
}

/** A quoted string literal (JSON escapes, plus the characters JSON leaves raw). */
const quoted = (text: string) => visible(JSON.stringify(text));

/**
 * A property key: bare when it is an identifier, quoted otherwise; `__proto__` computed, since as a plain
 * key (even quoted) it would set the object's prototype instead of holding the value.
 */
export const key = (name: string) => (name === "__proto__" ? `["__proto__"]` : IDENTIFIER.test(name) ? name : quoted(name));

/** `object.name`, or `object["name"]` when the name is not an identifier. */
export const access = (object: string, name: string) => (IDENTIFIER.test(name) ? `${object}.${name}` : `${object}[${quoted(name)}]`);

/** A camelCase identifier for a platform or file name (`firefox_desktop` gives `firefoxDesktop`). */
export const identifier = (name: string) => {
  const camel = name.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? "").toUpperCase());
  return /^[A-Za-z_$]/.test(camel) ? camel : `_${camel}`;
};

/** A string literal; multi-line text becomes a template literal so SQL stays readable. */
export function str(text: string): string {
  if (!text.includes("\n")) return quoted(text);
  // a raw \r would be read back as \n in a template literal, so it is escaped like the rest
  return `\`${visible(text.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/\$\{/g, "\\${"), "\n\t")}\``;
}

/** Any TOML value as a TypeScript literal. */
export function lit(value: TomlValue | undefined): string {
  if (value === undefined) return "undefined";
  if (typeof value === "string") return str(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString().slice(0, 10));
  if (Array.isArray(value)) return `[${value.map((v) => lit(v)).join(", ")}]`;
  return obj(Object.entries(value as { readonly [k: string]: TomlValue }).map(([k, v]) => ({ key: k, value: lit(v) })));
}

// Comments go through prettier as one short placeholder per group and are printed after formatting:
// prettier's comment placement is quadratic in a run of comments (16,000 lines took 28 s) and slow on
// long ones, and this way the text never meets a parser. No other raw U+0001 is ever generated
// (strings and keys escape it), so a placeholder cannot be forged from TOML.
const PLACEHOLDER = "//\u0001";
const PLACEHOLDER_LINE = /^([ \t]*)\/\/\u0001(\d+)$/gm;
const groups = new Map<number, readonly string[]>();
let nextGroup = 0;

/** Comment lines as one placeholder line, printed as `//` comments by {@link printComments}. */
export function comments(lines: readonly string[] | undefined): string {
  if (!lines?.length) return "";
  groups.set(nextGroup, lines);
  return `${PLACEHOLDER}${nextGroup++}\n`;
}

/** One comment line (a header), without the line break after it. */
export const comment = (text: string) => comments([text]).trimEnd();

/**
 * One line of `//` comment: line terminators and invisible characters escaped, and a leading
 * `@ts-ignore` / `@ts-expect-error` defused (TypeScript would obey it and hide the next line's errors).
 *
 * @example commentLine("owner\u2028x()") // "// owner\\u2028x()"
 */
export function commentLine(text: string): string {
  const shown = visible(text, "\t").replace(/^(\s*)@(?=ts-)/i, "$1\\u0040");
  return `// ${shown}`.trimEnd();
}

/**
 * Replaces the comment placeholders of formatted code with `//` lines at the placeholder's indentation.
 * A placeholder that is not alone on its line is an internal error, never silently kept.
 *
 * @example printComments(await format(source, options))
 */
export function printComments(source: string): string {
  const printed = source.replace(PLACEHOLDER_LINE, (_, indent: string, id: string) => {
    const lines = groups.get(Number(id));
    if (!lines) throw new Error(`internal: comment group ${id} is unknown`);
    return lines.map((line) => indent + commentLine(line)).join("\n");
  });
  if (printed.includes("\u0001")) throw new Error("internal: a generated comment was moved off its own line");
  return printed;
}

/**
 * Generates code synchronously, then hands it on; the comment groups registered while generating are
 * kept until `then` settles and forgotten after, even on failure.
 *
 * @example await withComments(() => obj(props), async (code) => printComments(await format(code, options)));
 */
export async function withComments<T, R>(generate: () => T, then: (generated: T) => Promise<R>): Promise<R> {
  const from = nextGroup;
  let to: number | undefined;
  try {
    const generated = generate();
    to = nextGroup;
    return await then(generated);
  } finally {
    for (let id = from, end = to ?? nextGroup; id < end; id++) groups.delete(id);
  }
}

/** An object literal; prettier lays it out later. */
export function obj(props: readonly Prop[]): string {
  if (props.length === 0) return "{}";
  return `{\n${props.map((p) => `${comments(p.comments)}${key(p.key)}: ${p.value},\n`).join("")}}`;
}

/** A property, or nothing when the value is absent. */
export const prop = (name: string, value: string | undefined, lines?: readonly string[]): Prop[] =>
  value === undefined ? [] : [{ key: name, value, comments: lines }];
