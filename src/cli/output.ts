import pc from "picocolors";
import { formatIssue, type Issue } from "../config/issue.js";

// `opmon ... | head` closes stdout early; that is the reader's choice, not an error
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

/** Writes a line to stdout. */
export const out = (line = "") => void process.stdout.write(`${line}\n`);
/** Writes a line to stderr. */
export const err = (line = "") => void process.stderr.write(`${line}\n`);
/** Prints a value as indented JSON on stdout, for scripts. */
export const printJson = (value: unknown) => out(JSON.stringify(value, null, 2));

/** Prints issues one per line on stderr, errors in red, warnings in yellow. */
export function printIssues(issues: readonly Issue[]): void {
  for (const i of issues) err(i.severity === "error" ? pc.red(formatIssue(i)) : pc.yellow(formatIssue(i)));
}

/** Lays rows out as aligned columns. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ")).join("\n");
}

/** A user-facing failure: printed as one line, exit code 1, no stack trace. */
export class UserError extends Error {
  override readonly name: string = "UserError";
}

/**
 * Bad usage (a required option missing, an option's value malformed or not one of its choices): printed
 * as one line with a pointer to `--help`, exit code 2.
 *
 * @example throw new UsageError("--date is required (YYYY-MM-DD)");
 */
export class UsageError extends UserError {
  override readonly name = "UsageError";
}
