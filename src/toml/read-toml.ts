import { readFileSync } from "node:fs";
import { parse, TomlError } from "smol-toml";
import type { TomlValue } from "../dsl/index.js";
import { tomlComments, type TomlComments } from "./toml-comments.js";

/** A parsed TOML table. */
export type TomlTable = { readonly [key: string]: TomlValue };

/** One TOML file of a config repository, parsed, with its comments by key path. */
export interface TomlFile {
  /** Path relative to the repository root, with forward slashes. */
  readonly path: string;
  readonly data: TomlTable;
  readonly comments: TomlComments;
}

/** A TOML file that does not parse: where, and the parser's reason. */
export class TomlSyntaxError extends Error {
  override readonly name: string = "TomlSyntaxError";
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: ${reason}`);
  }
}

/**
 * A TOML file opmon will not read although it may be valid TOML: nested deeper than {@link MAX_DEPTH}
 * (the parser, prettier and TypeScript would run out of stack on the generated code).
 */
export class TomlLimitError extends TomlSyntaxError {
  override readonly name = "TomlLimitError";
}

/** How deep tables and arrays may nest: real configs use about five, and type checks of the generated code fail at 60. */
export const MAX_DEPTH = 32;

/**
 * Reads and parses one TOML file. Integers beyond 2^53 are refused (they would lose digits as numbers),
 * and so is nesting deeper than {@link MAX_DEPTH}.
 *
 * @example const file = readToml("/repo/opmon/my-project.toml", "opmon/my-project.toml");
 */
export function readToml(absolute: string, path: string): TomlFile {
  let text: string;
  try {
    // TOML is UTF-8; a lenient decode would turn bad bytes into U+FFFD without a word
    text = new TextDecoder("utf-8", { fatal: true }).decode(readFileSync(absolute));
  } catch (error) {
    if (error instanceof TypeError) throw new TomlSyntaxError(path, 1, 1, "not valid UTF-8");
    throw error;
  }
  let data: TomlTable;
  try {
    data = parse(text, { integersAsBigInt: "asNeeded", maxDepth: MAX_DEPTH }) as unknown as TomlTable;
  } catch (error) {
    if (error instanceof TomlError) {
      const reason = error.message.replace(/^Invalid TOML document:\s*/, "").split("\n")[0] ?? error.message;
      if (/excessively nested/.test(reason)) throw new TomlLimitError(path, error.line, error.column, tooDeep);
      throw new TomlSyntaxError(path, error.line, error.column, reason);
    }
    // the parser recurses on dotted keys and table headers without a limit
    if (error instanceof RangeError) throw new TomlLimitError(path, 1, 1, `too deeply nested or too large to read (opmon reads at most ${MAX_DEPTH} levels)`);
    throw error;
  }
  const deep = deepPath(data);
  if (deep) throw new TomlLimitError(path, lineOfKey(text, deep[0] ?? ""), 1, `${shortPath(deep)} is ${tooDeep}`);
  const big = findBigInt(data, []);
  if (big) throw new TomlSyntaxError(path, lineOfKey(text, big.at(-1) ?? ""), 1, `integer at ${big.join(".")} is too large to keep exactly`);
  return { path, data: plain(data) as TomlTable, comments: tomlComments(text) };
}

const tooDeep = `nested more than ${MAX_DEPTH} levels deep (opmon reads at most ${MAX_DEPTH})`;

/** The key path of the first value nested deeper than {@link MAX_DEPTH}, without recursion. */
function deepPath(data: TomlTable): string[] | undefined {
  const stack: [unknown, string[]][] = [[data, []]];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (path.length > MAX_DEPTH) return path;
    if (value && typeof value === "object" && !(value instanceof Date))
      for (const [k, v] of Object.entries(value)) stack.push([v, [...path, k]]);
  }
  return undefined;
}

const shortPath = (path: readonly string[]) => (path.length > 6 ? `${path.slice(0, 3).join(".")}...${path.slice(-2).join(".")}` : path.join("."));

function findBigInt(value: unknown, path: string[]): string[] | undefined {
  if (typeof value === "bigint") return path;
  if (value && typeof value === "object" && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value)) {
      const found = findBigInt(v, [...path, k]);
      if (found) return found;
    }
  }
  return undefined;
}

const lineOfKey = (text: string, key: string) => Math.max(1, text.split("\n").findIndex((l) => l.trimStart().startsWith(key)) + 1);

/** Null-prototype tables become ordinary objects; TOML dates stay dates. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}
