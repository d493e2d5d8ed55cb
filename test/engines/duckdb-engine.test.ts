import { DuckDBInstance } from "@duckdb/node-api";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";
import { duckdbMemoryLimit } from "../../src/engines/duckdb/memory-limit.js";
import { lockWarehouse, processStart, WarehouseBusyError } from "../../src/engines/duckdb/warehouse-lock.js";
import { WarehouseError } from "../../src/engines/engine.js";
import type { ProjectGraph } from "../../src/graph/project-graph.js";
import type { Step } from "../../src/run/day-plan.js";
import { runProjects } from "../../src/run/run-projects.js";

const dir = mkdtempSync(join(tmpdir(), "opmon-duckdb-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const table = { dataset: "operational_monitoring_derived", table: "demo_v1" };
const day = (date: string, rows: number, extra = "") =>
  `SELECT DATE '${date}' AS submission_date, 'c' || i AS client_id, i * 1.0 AS value${extra} FROM range(${rows}) AS t(i)`;

describe("DuckDB engine", () => {
  it("replaces a day's partition and leaves the other days alone", async () => {
    const engine = await DuckDbEngine.open(join(dir, "a.duckdb"));
    try {
      expect(await engine.writePartition(table, "2026-11-01", day("2026-11-01", 3), "metrics")).toEqual({ rows: 3 });
      await engine.writePartition(table, "2026-11-02", day("2026-11-02", 2), "metrics");
      await engine.writePartition(table, "2026-11-01", day("2026-11-01", 5), "metrics");
      const counts = await engine.query(
        `SELECT CAST(submission_date AS VARCHAR) AS d, count(*) AS n FROM ${table.dataset}.${table.table} GROUP BY 1 ORDER BY 1`,
      );
      expect(counts).toEqual([
        { d: "2026-11-01", n: "5" },
        { d: "2026-11-02", n: "2" },
      ]);
    } finally {
      await engine.close();
    }
  });

  it("adds a column for a new metric; older rows keep NULL", async () => {
    const engine = await DuckDbEngine.open(join(dir, "b.duckdb"));
    try {
      await engine.writePartition(table, "2026-11-01", day("2026-11-01", 2), "metrics");
      await engine.writePartition(table, "2026-11-02", day("2026-11-02", 2, ", 7 AS crashes"), "metrics");
      const rows = await engine.query(
        `SELECT CAST(submission_date AS VARCHAR) AS d, max(crashes) AS c FROM ${table.dataset}.${table.table} GROUP BY 1 ORDER BY 1`,
      );
      expect(rows).toEqual([
        { d: "2026-11-01", c: null },
        { d: "2026-11-02", c: 7 },
      ]);
    } finally {
      await engine.close();
    }
  });

  it("widens a struct column that gained fields (a statistics struct with clients), older rows reading NULL there", async () => {
    const engine = await DuckDbEngine.open(join(dir, "struct.duckdb"));
    const stats = (date: string, fields: string) => `SELECT DATE '${date}' AS submission_date, [{${fields}}] AS statistics`;
    try {
      await engine.writePartition(table, "2026-11-01", stats("2026-11-01", "'point': 1.5::DOUBLE"), "statistics");
      await engine.writePartition(table, "2026-11-02", stats("2026-11-02", "'point': 2.5::DOUBLE, 'clients': 40"), "statistics");
      const rows = await engine.query(
        `SELECT CAST(submission_date AS VARCHAR) AS d, statistics[1].point AS p, statistics[1].clients AS n FROM ${table.dataset}.${table.table} ORDER BY 1`,
      );
      expect(rows).toEqual([
        { d: "2026-11-01", p: 1.5, n: null },
        { d: "2026-11-02", p: 2.5, n: 40 },
      ]);
    } finally {
      await engine.close();
    }
  });

  it("keeps the old partition whole when the new day's query fails halfway", async () => {
    const engine = await DuckDbEngine.open(join(dir, "c.duckdb"));
    try {
      await engine.writePartition(table, "2026-11-01", day("2026-11-01", 4), "metrics");
      const failing = `SELECT DATE '2026-11-01' AS submission_date, 'c' AS client_id, CAST(CASE WHEN i < 3 THEN '1' ELSE 'x' END AS DOUBLE) AS value FROM range(5) AS t(i)`;
      await expect(engine.writePartition(table, "2026-11-01", failing, "metrics")).rejects.toThrow(/Conversion Error/);
      expect(await engine.query(`SELECT count(*) AS n FROM ${table.dataset}.${table.table}`)).toEqual([{ n: "4" }]);
    } finally {
      await engine.close();
    }
  });

  it("lands a project's day whole or not at all: a failing later step leaves the earlier step's partition as it was", async () => {
    const engine = await DuckDbEngine.open(join(dir, "whole-day.duckdb"));
    try {
      const statistics = { dataset: table.dataset, table: "demo_statistics_v1" };
      const steps = (metricsRows: number, statisticsSql: string): Step[] => [
        { kind: "write", label: "metrics", table: [table.dataset, table.table], select: day("2026-11-01", metricsRows) },
        { kind: "execute", label: "metrics_view", sql: `CREATE OR REPLACE VIEW ${table.dataset}.demo AS SELECT ${metricsRows} AS n` },
        { kind: "write", label: "statistics", table: [statistics.dataset, statistics.table], select: statisticsSql },
      ];
      const reported: string[] = [];
      const run = (plan: readonly Step[]) =>
        runProjects({
          engine,
          projects: [{ slug: "demo" } as ProjectGraph],
          dates: () => ["2026-11-01"],
          plan: (g, date) => ({ slug: g.slug, date, steps: plan }),
          reporter: { stepDone: (_slug, _date, step) => reported.push(step) },
        });
      expect((await run(steps(4, day("2026-11-01", 2)))).outcomes.map((o) => o.status)).toEqual(["succeeded"]);
      // the day's one commit is timed as a step of its own
      expect(reported).toEqual(["metrics", "metrics_view", "statistics", "commit"]);
      const failing = `SELECT DATE '2026-11-01' AS submission_date, 'c' AS client_id, CAST('x' AS DOUBLE) AS value`;
      const summary = await run(steps(7, failing));
      expect(summary.outcomes[0]?.failures).toEqual([
        { date: "2026-11-01", step: "statistics", error: expect.stringMatching(/Conversion Error/) },
      ]);
      // the day's metrics, its view and its statistics are the first run's, not a mix of the two
      expect(await engine.query(`SELECT count(*) AS n FROM ${table.dataset}.${table.table}`)).toEqual([{ n: "4" }]);
      expect(await engine.query(`SELECT n FROM ${table.dataset}.demo`)).toEqual([{ n: 4 }]);
      expect(await engine.query(`SELECT count(*) AS n FROM ${statistics.dataset}.${statistics.table}`)).toEqual([{ n: "2" }]);
    } finally {
      await engine.close();
    }
  });

  it("runs project days side by side once a day has committed, and a fresh warehouse's first days one at a time", async () => {
    const engine = await DuckDbEngine.open(join(dir, "side-by-side.duckdb"));
    try {
      // on a fresh warehouse both days create the schema: side by side, one would fail on DuckDB's catalog conflict
      const firstDay = (name: string) =>
        engine.atomically(async (steps) => {
          await steps.writePartition({ dataset: "fresh_schema", table: name }, "2026-11-01", day("2026-11-01", 2), "metrics");
          await steps.execute(
            `CREATE SCHEMA IF NOT EXISTS fresh_views; CREATE OR REPLACE VIEW fresh_views.${name} AS SELECT * FROM fresh_schema.${name}`,
            "view",
          );
        });
      await Promise.all([firstDay("a_v1"), firstDay("b_v1")]);
      expect(await engine.query("SELECT count(*) AS n FROM fresh_views.a_v1 UNION ALL SELECT count(*) FROM fresh_views.b_v1")).toEqual([
        { n: "2" },
        { n: "2" },
      ]);
      // now each day waits inside its transaction until the other has started: one at a time would never get there
      let arrived = 0;
      let bothIn: () => void = () => {};
      const together = new Promise<void>((resolve) => (bothIn = resolve));
      const meet = (name: string) =>
        engine.atomically(async (steps) => {
          await steps.writePartition({ dataset: "fresh_schema", table: name }, "2026-11-02", day("2026-11-02", 3), "metrics");
          if (++arrived === 2) bothIn();
          await together;
        });
      let timer: NodeJS.Timeout | undefined;
      const stuck = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("the second day never started while the first was open")), 10_000);
      });
      await Promise.race([Promise.all([meet("a_v1"), meet("b_v1")]), stuck]).finally(() => clearTimeout(timer));
      expect(await engine.query("SELECT count(*) AS n FROM fresh_schema.a_v1 UNION ALL SELECT count(*) FROM fresh_schema.b_v1")).toEqual([
        { n: "5" },
        { n: "5" },
      ]);
    } finally {
      await engine.close();
    }
  });

  it("binds a day's later writes ahead, but binds them again once the day has changed a table they read", async () => {
    const engine = await DuckDbEngine.open(join(dir, "ahead.duckdb"));
    const clients = { dataset: "ahead", table: "clients_v1" };
    const summary = { dataset: "ahead", table: "summary_v1" };
    const dayOf = (date: string, value: string) => {
      const writes = [`SELECT DATE '${date}' AS submission_date, ${value} AS x;`, `SELECT submission_date, x FROM ahead.clients_v1 WHERE submission_date = DATE '${date}';`];
      return engine.atomically(
        async (steps) => {
          await steps.writePartition(clients, date, writes[0] ?? "", "metrics");
          await steps.writePartition(summary, date, writes[1] ?? "", "statistics");
        },
        { writes },
      );
    };
    try {
      await dayOf("2026-11-01", "1");
      await dayOf("2026-11-02", "2");
      // x becomes a DOUBLE: bound ahead, the summary's query still read an INTEGER column, and 2.5 would land as 3
      await dayOf("2026-11-03", "CAST(2.5 AS DOUBLE)");
      expect(await engine.query("SELECT column_type AS t FROM (DESCRIBE ahead.summary_v1) WHERE column_name = 'x'")).toEqual([{ t: "DOUBLE" }]);
      expect(await engine.query("SELECT CAST(x AS VARCHAR) AS x FROM ahead.summary_v1 ORDER BY submission_date")).toEqual([
        { x: "1.0" },
        { x: "2.0" },
        { x: "2.5" },
      ]);
    } finally {
      await engine.close();
    }
  });

  it("refuses a second run on the same warehouse with a message, and frees it on close", async () => {
    const path = join(dir, "d.duckdb");
    const first = await DuckDbEngine.open(path);
    await expect(DuckDbEngine.open(path)).rejects.toThrow(WarehouseBusyError);
    await expect(DuckDbEngine.open(path)).rejects.toThrow(/is in use by another opmon run \(pid \d+ since/);
    await first.close();
    const second = await DuckDbEngine.open(path);
    await second.close();
  });

  it("installs the macro pack, estimates rows scanned, and writes a file any DuckDB client reads", async () => {
    const path = join(dir, "e.duckdb");
    const engine = await DuckDbEngine.open(path);
    await engine.execute("CREATE SCHEMA IF NOT EXISTS telemetry");
    await engine.execute(
      "CREATE TABLE telemetry.main AS SELECT i AS n, '{\"values\":{\"1\":2}}' AS h, [{'key': 'exp', 'value': {'branch': 'b'}}] AS experiments FROM range(1000) AS t(i)",
    );
    expect(
      await engine.query(
        "SELECT mozfun.map.get_key(experiments, 'exp').branch AS branch, mozfun.hist.extract(h).values[1].value AS v FROM mozdata.telemetry.main LIMIT 1",
      ),
    ).toEqual([{ branch: "b", v: "2" }]);
    expect(await engine.estimate("SELECT count(*) FROM mozdata.telemetry.main")).toEqual({ rows: 1000 });
    await engine.writePartition(table, "2026-11-01", day("2026-11-01", 1), "metrics");
    await engine.execute(`CREATE OR REPLACE VIEW ${table.dataset}.demo AS SELECT * FROM ${table.dataset}.${table.table}`);
    await engine.close();
    const plain = await (await DuckDBInstance.create(path)).connect();
    expect((await plain.runAndReadAll(`SELECT client_id FROM ${table.dataset}.demo`)).getRowObjectsJson()).toEqual([{ client_id: "c0" }]);
    plain.closeSync();
  });

  it("bounds DuckDB's memory to half the machine's or the container's, with a spill folder beside the warehouse", async () => {
    const gib = 2 ** 30;
    expect(duckdbMemoryLimit(16 * gib, 4 * gib)).toBe("2048MiB");
    // no constraint: Node says 0, or 2^64 outside a cgroup with a limit
    expect(duckdbMemoryLimit(16 * gib, 0)).toBe("8192MiB");
    expect(duckdbMemoryLimit(16 * gib, 2 ** 64)).toBe("8192MiB");
    const path = join(dir, "memory.duckdb");
    const engine = await DuckDbEngine.open(path);
    try {
      const [settings] = await engine.query("SELECT current_setting('memory_limit') AS memory, current_setting('temp_directory') AS spill");
      // DuckDB prints the limit rounded, as "11.7 GiB"
      const [, amount = "0", unit = ""] = /^([\d.]+) (\w+)$/.exec(String(settings?.["memory"])) ?? [];
      const bytes = Number(amount) * 2 ** (10 * ["B", "KiB", "MiB", "GiB", "TiB"].indexOf(unit));
      expect(bytes / (Number.parseInt(duckdbMemoryLimit(), 10) * 2 ** 20)).toBeCloseTo(1, 1);
      expect(settings?.["spill"]).toBe(`${path}.tmp`);
    } finally {
      await engine.close();
    }
  });
});

describe("the warehouse lock", () => {
  it("takes over an empty lock left by a run killed while writing it", async () => {
    const path = join(dir, "f.duckdb");
    writeFileSync(`${path}.lock`, "");
    utimesSync(`${path}.lock`, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const engine = await DuckDbEngine.open(path);
    await engine.close();
    writeFileSync(`${path}.lock`, "");
    await expect(DuckDbEngine.open(path)).rejects.toThrow(WarehouseBusyError); // a fresh empty lock is being written
  });
});

/** The pid of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid;
const old = (path: string) => utimesSync(path, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
const lockOf = (path: string) => JSON.parse(readFileSync(`${path}.lock`, "utf8")) as { pid: number; start?: string; token: string };

describe("the warehouse lock, against stale and foreign lock files", () => {
  it("records the pid, the process's start time and a random token", () => {
    const path = join(dir, "g.duckdb");
    const release = lockWarehouse(path);
    const lock = lockOf(path);
    expect(lock.pid).toBe(process.pid);
    if (process.platform === "linux") expect(lock.start).toBe(processStart(process.pid));
    expect(lock.token).toMatch(/^[0-9a-f]{24}$/);
    release();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it.skipIf(process.platform === "win32")("takes over a lock naming a live pid (PID 1) that started at another time", async () => {
    const path = join(dir, "h.duckdb");
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: 1, start: "started-before-a-reboot", token: "t0", since: "2026-01-01T00:00:00Z" }));
    const engine = await DuckDbEngine.open(path);
    expect(lockOf(path).pid).toBe(process.pid);
    await engine.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it.runIf(processStart(1) !== undefined)("still refuses while the process a lock names runs with the recorded start time", async () => {
    const path = join(dir, "i.duckdb");
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: 1, start: processStart(1), token: "t1", since: "2026-01-01T00:00:00Z" }));
    await expect(DuckDbEngine.open(path)).rejects.toThrow(/in use by another opmon run \(pid 1 since/);
  });

  it("takes over a lock of a process that exited, and a lock without a token from a dead process", async () => {
    const path = join(dir, "j.duckdb");
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: deadPid(), start: "1", token: "t2", since: "2026-01-01T00:00:00Z" }));
    await (await DuckDbEngine.open(path)).close();
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: deadPid(), since: "2026-01-01T00:00:00Z" }));
    await (await DuckDbEngine.open(path)).close();
  });

  it("on release leaves a lock another run has taken over since", async () => {
    const path = join(dir, "k.duckdb");
    const engine = await DuckDbEngine.open(path);
    const theirs = JSON.stringify({ pid: process.pid, start: processStart(process.pid), token: "theirs", since: "2026-01-01T00:00:00Z" });
    writeFileSync(`${path}.lock`, theirs);
    await engine.close();
    expect(readFileSync(`${path}.lock`, "utf8")).toBe(theirs);
  });

  it("treats a lock of garbage JSON as one being written, then as stale once old", async () => {
    const path = join(dir, "l.duckdb");
    writeFileSync(`${path}.lock`, '{"pid": 12, "tok');
    await expect(DuckDbEngine.open(path)).rejects.toThrow(/is being locked by another opmon run/);
    old(`${path}.lock`);
    await (await DuckDbEngine.open(path)).close();
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: "12", token: 5 }));
    old(`${path}.lock`);
    await (await DuckDbEngine.open(path)).close();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it("names a folder standing where the lock file should be, and leaves it", async () => {
    const path = join(dir, "m.duckdb");
    mkdirSync(`${path}.lock`);
    old(`${path}.lock`);
    const error = await DuckDbEngine.open(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as WarehouseError).problem).toBe("not-a-file");
    expect((error as Error).message).toContain(`${path}.lock`);
    expect(existsSync(`${path}.lock`)).toBe(true);
  });

  it("goes on from a takeover killed midway (its claim left behind), and cleans the claims up", async () => {
    const path = join(dir, "n.duckdb");
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: deadPid(), token: "t3", since: "2026-01-01T00:00:00Z" }));
    // one takeover killed after writing its claim, the next killed before writing it
    writeFileSync(`${path}.lock.t3.0`, JSON.stringify({ pid: deadPid(), token: "c0", since: "2026-01-01T00:00:00Z" }));
    writeFileSync(`${path}.lock.t3.1`, "");
    old(`${path}.lock.t3.1`);
    await (await DuckDbEngine.open(path)).close();
    expect(readdirSync(dir).filter((f) => f.startsWith("n.duckdb.lock"))).toEqual([]);
  });

  it("refuses while a live process is taking a stale lock over", async () => {
    const path = join(dir, "o.duckdb");
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: deadPid(), token: "t4", since: "2026-01-01T00:00:00Z" }));
    writeFileSync(
      `${path}.lock.t4.0`,
      JSON.stringify({ pid: process.pid, start: processStart(process.pid), token: "c1", since: "2026-01-01T00:00:00Z" }),
    );
    await expect(DuckDbEngine.open(path)).rejects.toThrow(WarehouseBusyError);
    expect(lockOf(path).token).toBe("t4");
  });
});
