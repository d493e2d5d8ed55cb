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
  override readonly name = "TomlSyntaxError";
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
 * Reads and parses one TOML file. Integers beyond 2^53 are refused (they would lose digits as numbers).
 *
 * @example const file = readToml("/repo/opmon/my-project.toml", "opmon/my-project.toml");
 */
export function readToml(absolute: string, path: string): TomlFile {
  const text = readFileSync(absolute, "utf8");
  let data: TomlTable;
  try {
    data = parse(text, { integersAsBigInt: "asNeeded" }) as unknown as TomlTable;
  } catch (error) {
    if (error instanceof TomlError) {
      const reason = error.message.replace(/^Invalid TOML document:\s*/, "").split("\n")[0] ?? error.message;
      throw new TomlSyntaxError(path, error.line, error.column, reason);
    }
    throw error;
  }
  const big = findBigInt(data, []);
  if (big) throw new TomlSyntaxError(path, lineOfKey(text, big.at(-1) ?? ""), 1, `integer at ${big.join(".")} is too large to keep exactly`);
  return { path, data: plain(data) as TomlTable, comments: tomlComments(text) };
}

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
