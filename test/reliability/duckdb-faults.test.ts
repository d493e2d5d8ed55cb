import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  closeSync,
  copyFileSync,
  openSync,
  writeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, describe, expect, it } from "vitest";
import { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";
import { lockWarehouse, processStart } from "../../src/engines/duckdb/warehouse-lock.js";
import { WarehouseError } from "../../src/engines/engine.js";
import { ROOT } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "opmon-dbfaults-"));
// a run as another user (the read-only cases, when tests run as root) must reach files in here
chmodSync(dir, 0o755);
const mounts: string[] = [];
afterAll(() => {
  for (const mount of mounts) spawnSync("umount", [mount]);
  rmSync(dir, { recursive: true, force: true });
});

/** Faults injected and survived (nothing lost, a clear message), by kind; printed at the end like the kill test's count. */
const survived = new Map<string, number>();
const count = (kind: string) => survived.set(kind, (survived.get(kind) ?? 0) + 1);
afterAll(() => console.log(`DuckDB faults survived: ${[...survived].map(([k, n]) => `${k} ${n}`).join(", ")}`));

const table = { dataset: "operational_monitoring_derived", table: "fault_v1" };
const day = (date: string, rows: number) =>
  `SELECT DATE '${date}' AS submission_date, 'client-' || i || repeat('x', 60) AS client_id, i * 0.5 AS value FROM range(${rows}) AS t(i)`;
const digestSql = `SELECT CAST(submission_date AS VARCHAR) AS d, count(*) AS n, sum(hash(COLUMNS(*))) AS h FROM ${table.dataset}.${table.table} GROUP BY 1 ORDER BY 1`;
const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const dead = () => spawnSync(process.execPath, ["-e", ""]).pid;

/** A warehouse with two days written through the engine; returns its rows' digest. */
async function warehouse(path: string, rows = 2_000): Promise<unknown> {
  const engine = await DuckDbEngine.open(path);
  try {
    await engine.writePartition(table, "2026-11-01", day("2026-11-01", rows), "metrics");
    await engine.writePartition(table, "2026-11-02", day("2026-11-02", rows), "metrics");
    return await engine.query(digestSql);
  } finally {
    await engine.close();
  }
}

/** Mounts a tmpfs of `size` at a new folder, or undefined where this process may not (not root, no privilege). */
function tmpfs(size: string): string | undefined {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return undefined;
  const mount = mkdtempSync(join(dir, "mnt-"));
  if (spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size},mode=0777`, "tmpfs", mount]).status !== 0) return undefined;
  mounts.push(mount);
  return mount;
}

/** Fills the file system at `folder` up to its last byte. */
function fill(folder: string): void {
  const fd = openSync(join(folder, `filler-${Date.now()}`), "w");
  try {
    for (let size = 1 << 20; size >= 512;) {
      try {
        writeSync(fd, Buffer.alloc(size));
      } catch {
        size >>= 1;
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** Runs `opmon run` on `warehouse` as a user would (as `nobody` when `asNobody`); no network, no projects written. */
function run(warehousePath: string, asNobody = false) {
  const r = spawnSync(
    process.execPath,
    [join(ROOT, "bin/opmon.js"), "run", "--date", "2026-11-22", "--no-experimenter", "--no-type-check", "--warehouse", warehousePath],
    {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", HOME: dir },
      ...(asNobody ? { uid: 65534, gid: 65534 } : {}),
    },
  );
  return { code: r.status ?? -1, stderr: r.stderr };
}

/** A user error: exit 1, one line naming the warehouse and what is wrong, no "internal error", no stack. */
function expectUserError(result: { code: number; stderr: string }, path: string, what: RegExp) {
  expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(result.stderr).toMatch(what);
  expect(result.stderr).toContain(path);
  expect(result.code, result.stderr).toBe(1);
}

describe("racing takeovers of one stale lock", () => {
  // the built module (npm test builds first): eight racers compiling TypeScript at once would take seconds to get ready
  const lockModule = pathToFileURL(join(ROOT, "dist/engines/duckdb/warehouse-lock.js")).href;
  // each child says "ready", waits for "go" on stdin, tries the lock, says how it went, and holds a
  // lock it won until its stdin closes
  const child = `
    const { lockWarehouse } = await import(${JSON.stringify(lockModule)});
    process.stdout.write("ready\\n");
    process.stdin.once("data", () => {
      let release;
      try {
        release = lockWarehouse(process.argv[1]);
      } catch (error) {
        process.stdout.write((error.name === "WarehouseBusyError" ? "busy " : "error ") + error.message + "\\n");
        process.exit(0);
      }
      process.stdout.write("won\\n");
      process.stdin.on("end", () => { release(); process.exit(0); }).resume();
    });`;

  /** Starts `n` racers at one instant (the first `kill` SIGKILLed right after the start); resolves with the survivors' answers. */
  async function race(path: string, n: number, kill = 0): Promise<string[]> {
    const racers = Array.from({ length: n }, () => {
      const process_ = spawn(process.execPath, ["--input-type=module", "-e", child, path], {
        cwd: ROOT,
        stdio: ["pipe", "pipe", "inherit"],
      });
      let text = "";
      const said = (pattern: RegExp) =>
        new Promise<void>((resolve) => {
          const check = () => (pattern.test(text) ? resolve() : undefined);
          process_.stdout.on("data", (d: Buffer) => ((text += d), check()));
          process_.on("exit", () => resolve());
        });
      const ready = said(/ready/);
      const answered = said(/won|busy|error/);
      const exited = new Promise<string>((resolve) => process_.on("exit", () => resolve(text)));
      return { process: process_, ready, answered, exited };
    });
    await Promise.all(racers.map((r) => r.ready));
    for (const r of racers) r.process.stdin.write("go\n");
    for (const r of racers.slice(0, kill)) r.process.kill("SIGKILL");
    // once every survivor has answered, the winner may let go
    await Promise.all(racers.map((r) => r.answered));
    for (const r of racers) r.process.stdin.end();
    const texts = await Promise.all(racers.map((r) => r.exited));
    return texts.slice(kill).map((t) => t.split("\n").find((line) => line && line !== "ready") ?? "none");
  }

  const STALE: Record<string, () => string> = {
    "an exited pid": () => JSON.stringify({ pid: dead(), start: "1", token: "gone", since: "2026-01-01T00:00:00Z" }),
    "PID 1 started at another time": () => JSON.stringify({ pid: 1, start: "another-boot", token: "pid1", since: "2026-01-01T00:00:00Z" }),
    "an old lock without a token": () => JSON.stringify({ pid: dead(), since: "2026-01-01T00:00:00Z" }),
    "an old empty lock": () => "",
  };

  it.skipIf(process.platform === "win32")(
    "gives the lock to exactly one of 8 racers each round, and leaves nothing behind",
    async () => {
      const path = join(dir, "race.duckdb");
      for (const [kind, content] of Object.entries(STALE)) {
        writeFileSync(`${path}.lock`, content());
        utimesSync(`${path}.lock`, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
        const answers = await race(path, 8);
        expect(
          answers.filter((a) => a === "won"),
          `${kind}: ${answers.join(" | ")}`,
        ).toHaveLength(1);
        expect(
          answers.filter((a) => a.startsWith("busy")),
          kind,
        ).toHaveLength(7);
        expect(
          readdirSync(dir).filter((f) => f.startsWith("race.duckdb.lock")),
          kind,
        ).toEqual([]);
        count("stale lock raced by 8 processes");
      }
    },
    120_000,
  );

  it.skipIf(process.platform === "win32")(
    "survives racers killed during the takeover: at most one won, the next run takes the lock, no claim is left",
    async () => {
      const path = join(dir, "race-kill.duckdb");
      for (let round = 0; round < 2; round++) {
        writeFileSync(`${path}.lock`, JSON.stringify({ pid: dead(), token: `killed${round}`, since: "2026-01-01T00:00:00Z" }));
        const answers = await race(path, 6, 3);
        expect(answers.filter((a) => a === "won").length, answers.join(" | ")).toBeLessThanOrEqual(1);
        expect(
          answers.filter((a) => a.startsWith("error")),
          answers.join(" | "),
        ).toEqual([]);
        const release = lockWarehouse(path);
        release();
        expect(readdirSync(dir).filter((f) => f.startsWith("race-kill.duckdb.lock"))).toEqual([]);
        count("racers SIGKILLed during a takeover");
      }
    },
    120_000,
  );
});

describe("a full disk during a partition write", () => {
  it("reports the full disk, not ROLLBACK's complaint, and keeps the partition whole (a COMMIT that fails)", async () => {
    const path = join(dir, "full.duckdb");
    const before = await warehouse(path);
    const engine = await DuckDbEngine.open(path);
    const connection = engine.raw as unknown as { run: (sql: string) => Promise<unknown> };
    const run = connection.run.bind(connection);
    // DuckDB ends the transaction when its COMMIT cannot write the WAL; then it throws
    connection.run = async (sql: string) => {
      if (sql !== "COMMIT") return run(sql);
      await run("ROLLBACK");
      throw new Error(`IO Error: Could not write file "${path}.wal": No space left on device`);
    };
    try {
      const error = await engine.writePartition(table, "2026-11-01", day("2026-11-01", 7), "metrics").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WarehouseError);
      expect((error as WarehouseError).problem).toBe("disk-full");
      expect((error as Error).message).toMatch(
        new RegExp(`^cannot write ${path.replace(/\W/g, "\\$&")}: the disk is full .*No space left on device`),
      );
      expect((error as Error).message).not.toMatch(/cannot rollback/);
      connection.run = run;
      expect(await engine.query(digestSql)).toEqual(before);
      count("disk full at COMMIT (injected)");
    } finally {
      connection.run = run;
      await engine.close();
    }
    const reopened = await DuckDbEngine.open(path);
    expect(await reopened.query(digestSql)).toEqual(before);
    await reopened.close();
  });

  it("on a real full file system (a tiny tmpfs, where this may mount one) does the same for every statement that fails", async (context) => {
    const mount = tmpfs("3m");
    if (!mount) return context.skip();
    const path = join(mount, "w.duckdb");
    const engine = await DuckDbEngine.open(path);
    let before: unknown;
    try {
      await engine.writePartition(table, "2026-11-01", day("2026-11-01", 10), "metrics");
      before = await engine.query(digestSql);
      // too big for the disk: fails while writing blocks; then a smaller day fails at COMMIT (the WAL)
      const big = `SELECT DATE '2026-11-01' AS submission_date, md5(CAST(i AS VARCHAR)) || md5(CAST(-i AS VARCHAR)) AS client_id, random() AS value FROM range(200000) AS t(i)`;
      for (const select of [big, day("2026-11-01", 3_000)]) {
        // whatever the failed write freed, the disk is full again for the next one
        fill(mount);
        const error = await engine.writePartition(table, "2026-11-01", select, "metrics").catch((e: unknown) => e);
        expect((error as Error).message).toMatch(/^cannot write .*w\.duckdb: the disk is full/);
        expect((error as Error).message).not.toMatch(/cannot rollback/);
        expect(await engine.query(digestSql)).toEqual(before);
        count("disk full on a real tmpfs");
      }
    } finally {
      for (const name of readdirSync(mount).filter((f) => f.startsWith("filler-"))) rmSync(join(mount, name));
      await engine.close();
    }
    // space freed: the file on disk holds the day as it was
    const reopened = await DuckDbEngine.open(path);
    expect(await reopened.query(digestSql)).toEqual(before);
    await reopened.close();
  }, 60_000);
});

describe("a warehouse that cannot be used, through the CLI", () => {
  it("random bytes: not a DuckDB database, file untouched", () => {
    const path = join(dir, "random.duckdb");
    writeFileSync(path, Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919 + 13) % 251)));
    const hash = sha(path);
    expectUserError(run(path), path, /is not a DuckDB database, or it is corrupted/);
    expect(sha(path)).toBe(hash);
    count("corrupt warehouse (random bytes)");
  });

  it("a real warehouse cut short: corrupted, file untouched; cut later, reading it says so too", async () => {
    const path = join(dir, "truncated.duckdb");
    await warehouse(path, 50_000);
    const whole = join(dir, "whole.duckdb");
    copyFileSync(path, whole);
    truncateSync(path, 5_000);
    const hash = sha(path);
    expectUserError(run(path), path, /is not a DuckDB database, or it is corrupted/);
    expect(sha(path)).toBe(hash);
    count("corrupt warehouse (truncated header)");
    // cut after its header: it opens, and reading the lost blocks fails with the same message
    const late = join(dir, "truncated-late.duckdb");
    copyFileSync(whole, late);
    truncateSync(late, 300_000);
    const engine = await DuckDbEngine.open(late);
    try {
      const error = await engine.query(digestSql).catch((e: unknown) => e);
      expect((error as WarehouseError).problem).toBe("corrupt");
      expect((error as Error).message).toContain(late);
      count("corrupt warehouse (truncated data blocks)");
    } finally {
      await engine.close().catch(() => undefined);
    }
  }, 60_000);

  it("a damaged WAL (a run killed after a commit, then four bytes flipped): corrupted", async () => {
    const path = join(dir, "wal.duckdb");
    for (const file of ["wal-source.duckdb", "wal-source.duckdb.wal"]) rmSync(join(dir, file), { force: true });
    const instance = await DuckDBInstance.create(join(dir, "wal-source.duckdb"));
    const connection = await instance.connect();
    await connection.run("SET checkpoint_threshold = '1GB'");
    await connection.run(`CREATE SCHEMA s; CREATE TABLE s.t AS SELECT i FROM range(10) AS t(i)`);
    await connection.run("INSERT INTO s.t SELECT i FROM range(1000) AS t(i)");
    // the files as a run killed here leaves them: the rows live only in the WAL
    copyFileSync(join(dir, "wal-source.duckdb"), path);
    copyFileSync(join(dir, "wal-source.duckdb.wal"), `${path}.wal`);
    connection.closeSync();
    instance.closeSync();
    const wal = readFileSync(`${path}.wal`);
    wal.writeUInt32LE(~wal.readUInt32LE(200) >>> 0, 200);
    writeFileSync(`${path}.wal`, wal);
    expectUserError(run(path), path, /is not a DuckDB database, or it is corrupted .*WAL/);
    count("corrupt WAL");
  }, 60_000);

  it("a read-only warehouse file: cannot write, permission denied, file untouched", async (context) => {
    // root writes any file, so the CLI runs as nobody, who must be able to reach this checkout (a clone
    // inside a private folder is out of its reach: then there is no one to be denied)
    const root = process.getuid?.() === 0;
    const reach = `require("node:fs").accessSync(${JSON.stringify(join(ROOT, "node_modules", "tsx", "package.json"))})`;
    if (root && spawnSync(process.execPath, ["-e", reach], { uid: 65534, gid: 65534 }).status !== 0) return context.skip();
    const folder = join(dir, "ro-file");
    mkdirSync(folder, { recursive: true });
    chmodSync(folder, 0o777);
    const path = join(folder, "w.duckdb");
    await warehouse(path);
    chmodSync(path, 0o444);
    const hash = sha(path);
    expectUserError(run(path, root), path, /cannot write .*: permission denied/);
    expect(sha(path)).toBe(hash);
    expect(existsSync(`${path}.lock`)).toBe(false);
    count("read-only warehouse file");
  }, 60_000);

  it("a read-only file system: cannot write, read-only", async (context) => {
    const mount = tmpfs("8m");
    if (!mount) return context.skip();
    const path = join(mount, "w.duckdb");
    await warehouse(path);
    const hash = sha(path);
    expect(spawnSync("mount", ["-o", "remount,ro", mount]).status).toBe(0);
    expectUserError(run(path), path, /cannot write .*: the file system is read-only/);
    expect(sha(path)).toBe(hash);
    count("read-only file system");
  }, 60_000);

  it("a folder where the warehouse or its lock should be: named, left alone", () => {
    const path = join(dir, "folder.duckdb");
    mkdirSync(path, { recursive: true });
    expectUserError(run(path), path, /a folder is where a file should be/);
    expect(existsSync(path)).toBe(true);
    count("warehouse path is a folder");
    const locked = join(dir, "lock-folder.duckdb");
    mkdirSync(`${locked}.lock`, { recursive: true });
    expectUserError(run(locked), `${locked}.lock`, /a folder is where a file should be/);
    expect(existsSync(`${locked}.lock`)).toBe(true);
    count("lock path is a folder");
  });

  it("an empty --warehouse is a usage error (exit 2), and an empty path is refused by the engine too", async () => {
    const r = run("");
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.stderr).toMatch(/--warehouse/);
    expect(r.code).toBe(2);
    const error = await DuckDbEngine.open("").catch((e: unknown) => e);
    expect((error as WarehouseError).problem).toBe("usage");
    expect(existsSync(join(ROOT, ".lock"))).toBe(false);
    count("empty warehouse path");
  });

  it("a lock of garbage, or a live process's claim, never loses the warehouse's rows", async () => {
    const path = join(dir, "garbage-lock.duckdb");
    const before = await warehouse(path);
    writeFileSync(`${path}.lock`, "\u0000\u0001not json at all");
    utimesSync(`${path}.lock`, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const engine = await DuckDbEngine.open(path);
    expect(await engine.query(digestSql)).toEqual(before);
    await engine.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
    count("garbage lock file");
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: 1, start: processStart(1) ?? "x", token: "live", since: "2026-01-01T00:00:00Z" }));
    if (processStart(1) !== undefined) {
      expectUserError(run(path), path, /is in use by another opmon run \(pid 1/);
      expect(JSON.parse(readFileSync(`${path}.lock`, "utf8"))).toMatchObject({ token: "live" });
      count("live foreign lock kept");
    }
  }, 60_000);
});
