import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import type * as TS from "typescript";
import { didYouMean, issue, type Issue } from "./issue.js";
import { relativeTo } from "./load-config-dir.js";
import { opmonEntry } from "./opmon-entry.js";

// required, not imported: Node scans a CommonJS file imported from ESM for its exports first, 0.8 s
// of validate's 3.5 s for the compiler's 9 MB
const ts: typeof TS = createRequire(import.meta.url)("typescript");

const DEFAULT_OPTIONS: TS.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  exactOptionalPropertyTypes: true,
  skipLibCheck: true,
  noEmit: true,
};

const KIND_OF_TYPE: readonly [RegExp, string][] = [
  [/\bProbe</, "probe"],
  [/\bDimension</, "dimension"],
  [/\bDataSource</, "data source"],
];

/** Restates "Property 'x' does not exist on type '{ ... }'" as "unknown probe "x"" with a suggestion. */
function explainMissing(code: number, text: string): { message?: string; hint?: string } {
  const missing = /^Property '([^']+)' does not exist on type '(.*?)'\.(?: Did you mean '([^']+)'\?)?$/s.exec(text);
  if ((code === 2339 || code === 2551) && missing) {
    const [, name = "", type = "", suggestion] = missing;
    const kind = KIND_OF_TYPE.find(([re]) => re.test(type))?.[1];
    if (kind) {
      const candidates = [...type.matchAll(/readonly ([A-Za-z0-9_$]+)(?=\??:)/g)].map((m) => m[1] ?? "");
      const hint = suggestion ? `did you mean "${suggestion}"?` : didYouMean(name, candidates);
      return { message: `unknown ${kind} "${name}"`, ...(hint ? { hint } : {}) };
    }
  }
  return {};
}

/**
 * A tsc diagnostic in the words of a config author: the errors the DSL's types raise (a statistic that
 * does not fit the probe type, a group-by dimension outside the dimensions, a threshold alert without
 * bounds, an unknown option) restated; anything else keeps its first line and the detail line that
 * carries the cause, with long types cut short.
 */
function explain(code: number, lines: readonly string[], path: readonly string[]): { message: string; hint?: string } {
  const first = lines[0] ?? "";
  const all = lines.join("\n");
  const known = explainMissing(code, first);
  if (known.message) return { message: known.message, ...(known.hint ? { hint: known.hint } : {}) };
  const last = path.at(-1) ?? "";
  const option = /'([^']+)' does not exist in type '(.*)'/.exec(first);
  if (code === 2353 && option) {
    const [, name = "", type = ""] = option;
    const probeType = /HistogramStatistics/.test(type) ? "histogram" : /ScalarStatistics/.test(type) ? "scalar" : undefined;
    if (probeType && path[0] === "statistics") return { message: `statistic "${name}" does not apply to ${probeType} probe "${path[1] ?? ""}"` };
    if (path[0] === "alerts") return { message: `alert "${path[1] ?? ""}" does not take ${name} (not an option of its type)` };
    return { message: `"${name}" is not an option here` };
  }
  if (last === "groupByDimension") {
    const picked = /Type 'Dimension<"[^"]*", "([^"]+)">' is not assignable/.exec(all)?.[1];
    if (picked) return { message: `group-by dimension "${picked}" is not among the project's dimensions` };
  }
  if (last === "dimensions" && /target allows only 0/.test(all)) {
    return { message: "the dimensions could not be checked because of another error in this project: fix that one first" };
  }
  if (path[0] === "alerts" && /Property '(min|max)' is missing in type '\{ type: "threshold"/.test(all)) {
    return { message: `threshold alert "${path[1] ?? ""}" needs min or max` };
  }
  const required = /Property '([^']+)' is missing in type '\{ type: "([a-z_]+)"/.exec(all);
  if (path[0] === "alerts" && required) return { message: `${required[2] ?? ""} alert "${path[1] ?? ""}" needs ${required[1] ?? ""}` };
  const cause = lines.length > 1 ? lines.at(-1)!.trim() : "";
  return { message: [first, cause].filter(Boolean).map(shortTypes).join(": ") };
}

/** Cuts quoted types longer than a line short: the cause stays readable. */
const shortTypes = (text: string) => text.replace(/'([^']{60,})'/g, (_, type: string) => `'${type.slice(0, 40)}…'`);

/** The object-literal keys around a position (`alerts.ceiling`, `statistics.gc_ms.mean`). */
function pathAt(file: TS.SourceFile, position: number): string[] {
  const path: string[] = [];
  const visit = (node: TS.Node): void => {
    if (position < node.getStart(file) || position >= node.getEnd()) return;
    if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) path.push(node.name.text);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(file, visit);
  return path;
}

/**
 * Type-checks a config directory's modules with the TypeScript compiler, as `tsc --noEmit` would,
 * and returns each diagnostic in a config file as an issue with its file, line and column.
 * The directory's `tsconfig.json` is used when there is one.
 */
export function typeCheck(dir: string, files: readonly string[]): Issue[] {
  const configPath = join(dir, "tsconfig.json");
  let options = DEFAULT_OPTIONS;
  if (existsSync(configPath)) {
    const parsed = ts.getParsedCommandLineOfConfigFile(configPath, { noEmit: true }, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    if (parsed) options = { ...parsed.options, noEmit: true };
  }
  // a config folder without opmon installed type-checks against the running tool, as it loads
  if (!ts.resolveModuleName("opmon", join(resolve(dir), "projects", "x.ts"), options, ts.sys).resolvedModule) {
    options = { ...options, paths: { ...options.paths, opmon: [opmonEntry().types] } };
  }
  const roots = files.map((f) => resolve(dir, f));
  const host = sharedFilesHost(options);
  // config modules written in the DSL need no ambient types, and Node's were half the time of a check:
  // a check without them that finds nothing is the answer; one that finds errors is run again as written
  const lean = errorsIn(ts.createProgram(roots, { ...options, types: [] }, host), roots);
  const errors = lean.length === 0 ? lean : errorsIn(ts.createProgram(roots, options, host), roots);
  return errors.map((d) => {
    const file = d.file!;
    const { line, character } = file.getLineAndCharacterOfPosition(d.start ?? 0);
    const lines = ts.flattenDiagnosticMessageText(d.messageText, "\n").split("\n");
    const path = pathAt(file, d.start ?? 0);
    const { message, hint } = explain(d.code, lines, path);
    const base = issue("type_error", path.join("."), { code: d.code, text: message }, { hint });
    return { ...base, file: relativeTo(dir, file.fileName), line: line + 1, column: character + 1 };
  });
}

/**
 * The errors of a program in its root files. Only the config modules are checked: the files they import
 * (opmon's own sources, in this repository) are read for their types, never checked body by body,
 * which was most of the time of a check.
 */
function errorsIn(program: TS.Program, roots: readonly string[]): readonly TS.Diagnostic[] {
  const rootSet = new Set(roots.map((r) => r.split("\\").join("/")));
  return program
    .getSourceFiles()
    .filter((f) => rootSet.has(f.fileName))
    .flatMap((f) => ts.getPreEmitDiagnostics(program, f))
    .filter((d) => d.file && rootSet.has(d.file.fileName) && d.category === ts.DiagnosticCategory.Error);
}

/** A compiler host that parses each file once for every program made with it. */
function sharedFilesHost(options: TS.CompilerOptions): TS.CompilerHost {
  const host = ts.createCompilerHost(options);
  const parsed = new Map<string, TS.SourceFile | undefined>();
  const getSourceFile: TS.CompilerHost["getSourceFile"] = (fileName, version, ...rest) => {
    const key = `${fileName}\0${typeof version === "object" ? `${version.languageVersion}/${version.impliedNodeFormat}` : version}`;
    if (!parsed.has(key)) parsed.set(key, host.getSourceFile(fileName, version, ...rest));
    return parsed.get(key);
  };
  return { ...host, getSourceFile };
}
