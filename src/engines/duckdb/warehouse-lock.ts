import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { linkSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { WarehouseError } from "../engine.js";
import { warehouseProblem } from "./warehouse-problems.js";

/** Another run holds the warehouse. */
export class WarehouseBusyError extends WarehouseError {
  override readonly name = "WarehouseBusyError";
  constructor(message: string) {
    super("busy", message);
  }
}

/** What a lock file records of its holder: enough to tell it from a later process given the same pid. */
interface Holder {
  readonly pid: number;
  /** When the process started, as `processStart` reads it; absent where the OS does not tell. */
  readonly start?: string;
  /** Random, so a release (or a takeover) touches only the lock it means. */
  readonly token: string;
  readonly since: string;
}

/** A lock or claim file as read: its holder (when it parses) and an id that changes whenever the file is replaced. */
interface Seen {
  readonly holder?: Holder;
  readonly id: string;
  readonly ageMs: number;
}

/** How long a lock file may stay empty or unreadable before it counts as left by a process killed while writing it. */
const WRITING_MS = 10_000;
/** How many takeovers killed midway in a row are passed on before giving up. */
const CLAIM_LEVELS = 5;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * When process `pid` started, as an opaque string to compare: field 22 of `/proc/<pid>/stat` on Linux
 * (clock ticks since boot), `ps -o lstart=` on other Unixes, undefined where neither answers.
 *
 * @example processStart(process.pid) // "13714" on Linux
 */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // the command name (field 2) may hold spaces and parentheses; field 3 onwards follow its last ")"
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    if (process.platform === "linux" || process.platform === "win32") return undefined;
  }
  try {
    const out = execFileSync("ps", ["-o", "lstart=", "-p", String(pid)], {
      encoding: "utf8",
      timeout: 2_000,
      stdio: ["ignore", "pipe", "ignore"],
    });
    return out.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Whether the process a lock names still runs: its pid exists and, where the OS tells, it started when the lock says. */
function running(holder: Holder): boolean {
  if (!alive(holder.pid)) return false;
  if (holder.start === undefined) return true;
  const start = processStart(holder.pid);
  // a live pid with another start time is a reused pid (PID 1 in every container, say)
  return start === undefined || start === holder.start;
}

const isHolder = (value: unknown): value is Holder =>
  typeof value === "object" && value !== null && Number.isInteger((value as Holder).pid) && (value as Holder).pid > 0;

/** Reads a lock or claim file; undefined when there is none. A folder in its place is a user error. */
function look(path: string): Seen | undefined {
  try {
    const text = readFileSync(path, "utf8");
    const stat = statSync(path, { bigint: true });
    let holder: Holder | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (isHolder(parsed)) holder = parsed;
    } catch {
      // empty or garbage: a lock being written, or one whose writer was killed midway
    }
    // a lock without a token (written by an older opmon, or garbage) is told apart by its file and content
    const id = holder?.token ?? `${stat.ino}-${stat.mtimeNs}-${stat.size}`;
    return { ...(holder ? { holder } : {}), id: id.replace(/[^\w-]/g, "_"), ageMs: Date.now() - Number(stat.mtimeMs) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw warehouseProblem(path, error) ?? error;
  }
}

const stale = (seen: Seen) => (seen.holder ? !running(seen.holder) : seen.ageMs > WRITING_MS);

/**
 * Creates `path` holding `holder` only if no file is there; false when one is. The holder is written to
 * a file aside and hard-linked into place, which fails on an existing name as O_EXCL does: a lock or
 * claim is never seen empty, even when its process is killed between creating and writing it (an
 * empty claim would read as one being written, and stop every run for {@link WRITING_MS}).
 */
function create(path: string, holder: Holder): boolean {
  const aside = `${path}.${holder.token}.tmp`;
  try {
    writeFileSync(aside, JSON.stringify(holder));
    try {
      linkSync(aside, path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOENT: the lock's holder swept our aside file (see `held`), so the lock is taken
      if (code === "EEXIST" || code === "ENOENT") return false;
      throw error;
    }
    return true;
  } catch (error) {
    throw warehouseProblem(path, error) ?? error;
  } finally {
    rmSync(aside, { force: true });
  }
}

/**
 * Replaces the stale lock `seen` with ours. Only the process that creates the claim `<lock>.<id>.<n>`
 * may replace the lock whose id is `id`, so of racers that all saw it stale exactly one goes on; a
 * claim whose holder died (a takeover killed midway) passes the right to claim `n + 1`.
 */
function takeOver(path: string, seen: Seen, me: Holder): boolean {
  const dead: string[] = [];
  let mine: string | undefined;
  try {
    for (let level = 0; level < CLAIM_LEVELS; level++) {
      const claim = `${path}.${seen.id}.${level}`;
      if (!create(claim, me)) {
        const other = look(claim);
        // a live claimer is taking over right now; a claim gone means it finished
        if (!other || !stale(other)) return false;
        dead.push(claim);
        continue;
      }
      mine = claim;
      // the lock may have been replaced between our look and our claim
      if (look(path)?.id !== seen.id) return false;
      rmSync(path, { force: true });
      // a run starting from scratch may create the lock first: then it holds it, not us
      return create(path, me);
    }
    return false;
  } finally {
    // once we held a claim, the lock `seen` is gone and its claims mean nothing; before, a dead claim
    // must stay, or a newcomer could claim level 0 again while a live claimer of a later level works
    if (mine) for (const claim of [mine, ...dead]) rmSync(claim, { force: true });
  }
}

/**
 * Takes `<warehouse>.lock` for this process, so two runs never write one warehouse at the same time.
 * The lock is created with O_EXCL and records the pid, the process's start time and a random token:
 * a lock whose process is gone, or whose pid now belongs to a process started later, is taken over,
 * and of several runs taking over one stale lock at the same instant only one gets it. The release
 * removes the lock only while it is still ours. (DuckDB's own lock on the file keeps two processes
 * apart as well; this one also keeps two engines of one process apart and says who holds it.)
 *
 * @example const release = lockWarehouse(".opmon/warehouse.duckdb"); try { ... } finally { release(); }
 */
export function lockWarehouse(warehouse: string): () => void {
  const path = `${warehouse}.lock`;
  const start = processStart(process.pid);
  const me: Holder = {
    pid: process.pid,
    ...(start !== undefined ? { start } : {}),
    token: randomBytes(12).toString("hex"),
    since: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (create(path, me)) return held(path, me.token);
    const seen = look(path);
    if (!seen) continue; // released since
    if (!stale(seen)) {
      const { pid, since } = seen.holder ?? {};
      throw new WarehouseBusyError(
        pid === undefined
          ? `${warehouse} is being locked by another opmon run (${path} is being written); wait for it to finish`
          : `${warehouse} is in use by another opmon run (pid ${pid}${since ? ` since ${since}` : ""}); wait for it to finish`,
      );
    }
    if (takeOver(path, seen, me)) return held(path, me.token);
  }
  throw new WarehouseBusyError(`${warehouse} is being taken over by another opmon run (${path}); wait for it to finish`);
}

/** Once the lock is ours: sweeps claims that takeovers killed midway left behind, and returns the release. */
function held(path: string, token: string): () => void {
  try {
    // a claim names a lock id; ours is new and random, so no claim left can matter any more
    const claim = new RegExp(`^${basename(path).replace(/\W/g, "\\$&")}\\.[\\w-]+\\.\\d+$`);
    // an aside file (see `create`) lives while its process links it; while we hold the lock, a live one
    // can only lose (its link fails), and one left by a process killed midway (empty, maybe) is garbage
    const aside = new RegExp(`^${basename(path).replace(/\W/g, "\\$&")}\\.[\\w.-]+\\.tmp$`);
    for (const name of readdirSync(dirname(path))) {
      const seen = claim.test(name) ? look(join(dirname(path), name)) : undefined;
      if (aside.test(name) || (seen && stale(seen))) rmSync(join(dirname(path), name), { force: true });
    }
  } catch {
    // only tidying
  }
  return () => release(path, token);
}

/** Removes the lock if it still holds `token`: a lock another run has taken over since is theirs. */
function release(path: string, token: string): void {
  try {
    if (look(path)?.holder?.token === token) rmSync(path, { force: true });
  } catch {
    // nothing of ours to remove, or nothing we may read: leave it
  }
}
