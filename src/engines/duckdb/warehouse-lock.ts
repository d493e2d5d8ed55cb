import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";

/** Another run holds the warehouse. */
export class WarehouseBusyError extends Error {
  override readonly name = "WarehouseBusyError";
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * Takes `<warehouse>.lock` for this process, so two runs never write one warehouse at the same time.
 * A lock left by a process that no longer exists (a killed run) is taken over. Returns the release.
 *
 * @example const release = lockWarehouse(".opmon/warehouse.duckdb"); try { ... } finally { release(); }
 */
export function lockWarehouse(warehouse: string): () => void {
  const path = `${warehouse}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      let holder: { pid?: number; since?: string } = {};
      try {
        holder = JSON.parse(readFileSync(path, "utf8")) as typeof holder;
      } catch {
        // empty: a lock being written right now (held), or one whose writer was killed midway (stale once old)
        const modified = statSync(path, { throwIfNoEntry: false })?.mtimeMs;
        const age = modified === undefined ? Infinity : Date.now() - modified;
        holder = age < 10_000 ? { pid: process.pid } : {};
      }
      if (holder.pid !== undefined && alive(holder.pid)) {
        throw new WarehouseBusyError(
          `${warehouse} is in use by another opmon run (pid ${holder.pid}${holder.since ? ` since ${holder.since}` : ""}); wait for it to finish`,
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new WarehouseBusyError(`${warehouse}: could not take the lock ${path}`);
}
