import { WarehouseError, type WarehouseProblem } from "../engine.js";

// (the config loader's firstLine would pull the DSL into every process that takes a lock)
const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";

/** Node error codes and DuckDB message fragments, each with what it means for the warehouse. */
const KNOWN: readonly { problem: WarehouseProblem; codes: readonly string[]; text: RegExp; say: string }[] = [
  { problem: "disk-full", codes: ["ENOSPC", "EDQUOT"], text: /No space left on device|Disk quota exceeded/i, say: "the disk is full" },
  { problem: "disk-full", codes: ["EFBIG"], text: /File too large/i, say: "the file reached the size limit of this system" },
  { problem: "read-only", codes: ["EROFS"], text: /Read-only file system/i, say: "the file system is read-only" },
  {
    problem: "read-only",
    codes: ["EACCES", "EPERM"],
    text: /Permission denied|Operation not permitted/i,
    say: "permission denied (a read-only file or folder?)",
  },
  {
    problem: "not-a-file",
    codes: ["EISDIR", "ENOTDIR"],
    text: /Is a directory|Not a directory/i,
    say: "a folder is where a file should be",
  },
  {
    problem: "corrupt",
    codes: [],
    // what DuckDB says of random bytes, a truncated file, a damaged block or WAL
    text: /not a valid DuckDB database file|Could not read enough bytes|Corrupt database file|computed checksum|^Serialization Error|Failure while replaying WAL/i,
    say: "it is not a DuckDB database, or it is corrupted (restore it from a copy, or delete it and run again)",
  },
];

/**
 * What an error from the file system or from DuckDB means for the user's warehouse, as a
 * `WarehouseError` naming the path; undefined for an error that is not about the warehouse's files.
 * `only` limits the answer to some problems (a running query's "Permission denied" may be about a
 * file its SQL reads, not the warehouse).
 *
 * @example warehouseProblem("w.duckdb", new Error('IO Error: The file "w.duckdb" exists, but it is not a valid DuckDB database file!'))?.problem // "corrupt"
 */
export function warehouseProblem(warehouse: string, error: unknown, only?: readonly WarehouseProblem[]): WarehouseError | undefined {
  if (error instanceof WarehouseError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? "";
  const line = firstLine(error);
  const known = KNOWN.find((k) => (!only || only.includes(k.problem)) && (k.codes.includes(code) || k.text.test(line)));
  if (!known) return undefined;
  const writing = known.problem === "disk-full" || known.problem === "read-only";
  const what = writing ? `cannot write ${warehouse}: ${known.say}` : `${warehouse}: ${known.say}`;
  return new WarehouseError(known.problem, `${what} (${line})`);
}
