import type { TomlValue } from "../dsl/index.js";

/** One property of an object literal being generated, with the comments printed above it. */
export interface Prop {
  readonly key: string;
  readonly value: string;
  readonly comments?: readonly string[] | undefined;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A property key: bare when it is an identifier, quoted otherwise. */
export const key = (name: string) => (IDENTIFIER.test(name) ? name : JSON.stringify(name));

/** `object.name`, or `object["name"]` when the name is not an identifier. */
export const access = (object: string, name: string) => (IDENTIFIER.test(name) ? `${object}.${name}` : `${object}[${JSON.stringify(name)}]`);

/** A camelCase identifier for a platform or file name (`firefox_desktop` gives `firefoxDesktop`). */
export const identifier = (name: string) => {
  const camel = name.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? "").toUpperCase());
  return /^[A-Za-z_$]/.test(camel) ? camel : `_${camel}`;
};

/** A string literal; multi-line text becomes a template literal so SQL stays readable. */
export function str(text: string): string {
  if (!text.includes("\n")) return JSON.stringify(text);
  return `\`${text.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/\$\{/g, "\\${")}\``;
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

/** Comment lines as `//` comments, one per line. */
export const comments = (lines: readonly string[] | undefined) => (lines ?? []).map((l) => `// ${l}`.trimEnd() + "\n").join("");

/** An object literal; prettier lays it out later. */
export function obj(props: readonly Prop[]): string {
  if (props.length === 0) return "{}";
  return `{\n${props.map((p) => `${comments(p.comments)}${key(p.key)}: ${p.value},\n`).join("")}}`;
}

/** A property, or nothing when the value is absent. */
export const prop = (name: string, value: string | undefined, lines?: readonly string[]): Prop[] =>
  value === undefined ? [] : [{ key: name, value, comments: lines }];
