import { totalmem } from "node:os";

/**
 * DuckDB's `memory_limit` for a warehouse: half the memory this process may use, in MiB. That is the
 * machine's, or a container's (cgroup) limit when lower: DuckDB sizes itself by the host's memory, so
 * in a container it would outgrow its limit and be killed instead of spilling to its temp directory.
 *
 * @example duckdbMemoryLimit(16 * 2 ** 30, 4 * 2 ** 30) // "2048MiB": a 4 GiB container on a 16 GiB host
 */
export function duckdbMemoryLimit(machine: number = totalmem(), constrained: number | undefined = process.constrainedMemory?.()): string {
  // Node reports no constraint as 0, undefined or a huge number (2^64)
  const usable = constrained && constrained > 0 ? Math.min(machine, constrained) : machine;
  return `${Math.max(1, Math.floor(usable / 2 ** 21))}MiB`;
}
