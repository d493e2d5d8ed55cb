import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli as opmon, scratchConfigDir } from "../helpers/cli.js";

// Configs a user (or a bad merge) can put in a config directory, and command lines a script can get
// wrong: each is either run as asked or refused by name, never dropped or misread in silence.

const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), "opmon-hostile-config-"));
  scratch.push(dir);
  return dir;
};
const configDir = () => {
  const dir = scratchConfigDir();
  scratch.push(dir);
  return dir;
};
/** A run on a day before every demo project starts: the demo projects are skipped, no data is needed. */
const runEarly = (dir: string, ...extra: string[]) =>
  opmon(["run", "--date", "2020-01-01", "--config-dir", dir, "--warehouse", join(tmp(), "w.duckdb"), "--no-experimenter", ...extra]);
const copyProject = (dir: string, from: string, to: string) => copyFileSync(join(dir, "projects", `${from}.ts`), join(dir, "projects", `${to}.ts`));

describe("slugs that name the same tables", () => {
  for (const other of ["gc_tuning_experiment", "GC-TUNING-EXPERIMENT", "gc-tuning_experiment"]) {
    it(`refuses gc-tuning-experiment beside ${other}`, async () => {
      const dir = configDir();
      copyProject(dir, "gc-tuning-experiment", other);
      const validate = await opmon(["validate", "--config-dir", dir]);
      expect(validate.code).toBe(1);
      // the later file in name order is the one reported
      const [first, second] = [other, "gc-tuning-experiment"].sort();
      expect(validate.stderr).toContain(`projects/${second}.ts error at slug: slug "${second}" names the same tables as "${first}"`);
      const run = await runEarly(dir);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(new RegExp(`failed\\s+${second}\\s.*names the same tables`));
    });
  }
});

describe("project and definitions modules that do not load", () => {
  const broken: Record<string, string> = {
    throws: 'throw new Error("config server unreachable");\n',
    "syntax-error": "export default defineProject({ name: \n",
    "not-a-project": "export default { name: 42 };\n",
    "no-default-export": 'export const name = "x";\n',
  };
  for (const [slug, text] of Object.entries(broken)) {
    it(`fails the run naming projects/${slug}.ts`, async () => {
      const dir = configDir();
      writeFileSync(join(dir, "projects", `${slug}.ts`), text);
      const r = await runEarly(dir, "--json");
      expect(r.code).toBe(1);
      const summary = JSON.parse(r.stdout) as { outcomes: { slug: string; status: string; failures: { error: string }[] }[] };
      const outcome = summary.outcomes.find((o) => o.slug === slug);
      expect(outcome?.status).toBe("failed");
      expect(outcome?.failures[0]?.error).toContain(`projects/${slug}.ts`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it("fails every project and names the definitions module that throws", async () => {
    const dir = configDir();
    appendFileSync(join(dir, "definitions", "firefox_desktop.ts"), '\nthrow new Error("definitions exploded");\n');
    const r = await runEarly(dir);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain("0 succeeded, 0 failed, 0 skipped");
    expect(r.stdout).toMatch(/failed\s+definitions\/firefox_desktop\.ts\s.*definitions exploded/);
    expect(r.stdout).toMatch(/failed\s+defaults\/firefox_desktop\.ts\s/);
    expect(r.stdout).toMatch(/failed\s+gc-tuning-experiment\s/);
    expect(r.stdout).toMatch(/0 succeeded, 5 failed, 0 skipped/);
  });

  it("plan exits 1 on a project that cannot run, and says why", async () => {
    const dir = configDir();
    writeFileSync(join(dir, "projects", "throws.ts"), broken["throws"] ?? "");
    const r = await opmon(["plan", "--date", "2020-01-01", "--config-dir", dir, "--no-experimenter", "--warehouse", join(tmp(), "w.duckdb")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/cannot run throws: projects\/throws\.ts .*config server unreachable/);
  });

  it("backfill of a project that does not load names the file and the reason", async () => {
    const dir = configDir();
    writeFileSync(join(dir, "projects", "throws.ts"), broken["throws"] ?? "");
    const r = await opmon(["backfill", "--slug", "throws", "--start-date", "2026-11-01", "--end-date", "2026-11-02", "--config-dir", dir, "--no-experimenter"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/project "throws" cannot run: projects\/throws\.ts .*config server unreachable/);
  });
});

describe("names that are not identifiers", () => {
  // each adds an entry under a hostile name beside the demo's own, so the projects still type-check
  const cases: Record<string, [string, string]> = {
    "a probe name with LookML syntax": ["  probes: ({ main, crash }) => ({\n", 'x: defineProbe({ type: "scalar", dataSource: main, select: "1" }),'],
    "a dimension name with a quote": ["  dimensions: ({ main }) => ({\n", 'x: defineDimension({ dataSource: main, select: "1" }),'],
    "a data source name with a space": ["  dataSources: {\n", 'x: defineDataSource({ from: "t" }),'],
  };
  const names = ["gc_ms;; } dimension: x { sql: 1", 'os"x', "crash pings"];
  Object.entries(cases).forEach(([what, [after, entry]], i) => {
    it(`refuses ${what} with its config path`, async () => {
      const dir = configDir();
      const file = join(dir, "definitions", "firefox_desktop.ts");
      const text = readFileSync(file, "utf8");
      expect(text).toContain(after);
      const name = names[i] ?? "";
      writeFileSync(file, text.replace(after, `${after}    ${JSON.stringify(name)}: ${entry.slice(3)}\n`));
      const r = await opmon(["validate", "--config-dir", dir, "--json"]);
      expect(r.code, r.stderr).toBe(1);
      const issues = (JSON.parse(r.stdout) as { issues: { code: string; path: string }[] }).issues;
      expect(issues.map((i) => `${i.code} ${i.path}`)).toContainEqual(expect.stringMatching(/^invalid_name platform\./));
      expect(issues.some((i) => i.code === "invalid_name" && i.path.endsWith(`[${JSON.stringify(name)}]`))).toBe(true);
    });
  });
});

describe("command lines a script gets wrong", () => {
  it("refuses a config directory that does not exist", async () => {
    for (const command of ["validate", "run", "list", "plan"]) {
      const r = await opmon([command, "--config-dir", join(tmp(), "nonexistent"), "--date", "2026-11-01", "--no-experimenter"]);
      expect(r.code, command).toBe(1);
      expect(r.stderr, command).toMatch(/--config-dir .*nonexistent: no such directory/);
    }
  });

  it("refuses a directory that holds no config folders", async () => {
    const r = await opmon(["validate", "--config-dir", tmp()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("holds none of definitions/, defaults/, projects/");
  });

  for (const args of [
    ["dashboard", "--out", ""],
    ["dashboard", "--out="],
    ["run", "--warehouse", "", "--date", "2026-11-01"],
    ["sql", "gc-tuning-experiment", "--date", ""],
    ["validate", "--config-dir", ""],
  ]) {
    it(`refuses an empty value: opmon ${args.map((a) => a || "''").join(" ")}`, async () => {
      const r = await opmon(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--[\w-]+ needs a value, got ""/);
      expect(r.stderr).not.toContain("internal error");
    });
  }
});

describe("exit codes: 2 for bad usage, 1 for problems in configs or data", () => {
  const dir = () => configDir();
  it.each([
    [["run", "--date", "2026-13-01", "--no-experimenter"], '--date must be a date as YYYY-MM-DD, not "2026-13-01"'],
    [["run", "--date", "2026-11-01", "--engine", "sqlite", "--no-experimenter"], '--engine must be duckdb or bigquery, not "sqlite"'],
    [["run", "--date", "2026-11-01", "--parallelism", "0", "--no-experimenter"], "--parallelism must be a whole number above 0"],
    [["backfill", "--slug", "gc-tuning-experiment", "--start-date", "2026-11-01", "--no-experimenter"], "--end-date is required (YYYY-MM-DD)"],
    [["backfill", "--start-date", "2026-11-01", "--end-date", "2026-11-02", "--no-experimenter"], "--slug is required"],
    [["backfill", "--slug", "x", "--start-date", "2026-11-03", "--end-date", "2026-11-02", "--no-experimenter"], "--start-date 2026-11-03 is after --end-date 2026-11-02"],
    [["sql", "gc-tuning-experiment", "--date", "2026-11-01", "--dialect", "postgres"], '--dialect "postgres" is not one of bigquery, duckdb'],
  ])("opmon %j exits 2", async (args, message) => {
    const r = await opmon([...args, "--config-dir", dir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toMatch(/\(see opmon \w+ --help\)\n$/);
  });
});
