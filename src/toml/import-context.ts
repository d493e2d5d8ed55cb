import { didYouMean, issue, type Issue, type IssueCode, type IssueParams } from "../config/issue.js";
import type { ProbeType } from "../dsl/index.js";
import { commentKey } from "./toml-comments.js";
import type { TomlFile } from "./read-toml.js";

/** What a platform declares after a layer, by name: enough to resolve references and spot overrides. */
export interface PlatformNames {
  readonly dataSources: ReadonlySet<string>;
  readonly probes: ReadonlyMap<string, { readonly type: ProbeType; readonly statistics: boolean }>;
  readonly dimensions: ReadonlySet<string>;
}

export const NO_NAMES: PlatformNames = { dataSources: new Set(), probes: new Map(), dimensions: new Set() };

/** Issues and notices of one import, each tied to a file. */
export class ImportLog {
  readonly issues: Issue[] = [];
  readonly notices: string[] = [];

  error<C extends IssueCode>(file: TomlFile, code: C, path: string, params: IssueParams[C], hint?: string): void {
    this.issues.push({ ...issue(code, path, params, { hint }), file: file.path });
  }

  warn(file: TomlFile, path: string, reason: string): void {
    this.issues.push({ ...issue("invalid_value", path, { reason }, { severity: "warning" }), file: file.path });
  }

  notice(file: TomlFile, text: string): void {
    this.notices.push(`${file.path}: ${text}`);
  }

  /** Reports a name that does not resolve, with the closest candidate. */
  unresolved(file: TomlFile, kind: "probe" | "dimension" | "data_source", name: string, path: string, candidates: Iterable<string>): void {
    const code = kind === "probe" ? "unknown_probe" : kind === "dimension" ? "unknown_dimension" : "unknown_data_source";
    this.error(file, code, path, { name }, didYouMean(name, candidates));
  }
}

/** The comments of a file at a TOML key path. */
export const commentsAt = (file: TomlFile, ...path: string[]) => file.comments.get(commentKey(path));

/** True for a TOML table (not an array, not a date). */
export const isTable = (value: unknown): value is { readonly [key: string]: unknown } =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
