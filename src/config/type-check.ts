import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import ts from "typescript";
import { didYouMean, issue, type Issue } from "./issue.js";
import { relativeTo } from "./load-config-dir.js";
import { opmonEntry } from "./opmon-entry.js";

const DEFAULT_OPTIONS: ts.CompilerOptions = {
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
function explain(code: number, text: string): { message?: string; hint?: string } {
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
  const program = ts.createProgram(roots, options);
  const rootSet = new Set(roots.map((r) => r.split("\\").join("/")));
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && rootSet.has(d.file.fileName) && d.category === ts.DiagnosticCategory.Error)
    .map((d) => {
      const file = d.file!;
      const { line, character } = file.getLineAndCharacterOfPosition(d.start ?? 0);
      const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      const firstText = text.split("\n")[0] ?? text;
      const { message, hint } = explain(d.code, firstText);
      const base = issue("type_error", "", { code: d.code, text: message ?? firstText }, { hint });
      return { ...base, file: relativeTo(dir, file.fileName), line: line + 1, column: character + 1 };
    });
}
