import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatIssue } from "../../src/config/issue.js";
import { importToml } from "../../src/toml/import-toml.js";
import { TomlSyntaxError } from "../../src/toml/read-toml.js";
import { cli, ROOT } from "../helpers/cli.js";

const BASE = `[project]
name = "Hostile base"
platform = "firefox_desktop"
xaxis = "submission_date"
start_date = "2026-01-01"
end_date = "2026-02-01"
metrics = ["gc_ms"]
alerts = ["gc_shift"]
skip = false

[project.population]
data_source = "main"
channel = "release"
branches = ["control", "treatment"]
dimensions = ["os"]

[metrics.gc_ms.statistics]
percentile = { percentiles = [50, 95] }

[alerts.gc_shift]
type = "ci_overlap"
metrics = ["gc_ms"]
`;

/** A small deterministic generator, so a failing input can be found again. */
function rng(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}
const INJECTIONS = [
  "x'; DROP TABLE t; --",
  'a"b',
  "a`b",
  "semi;colon",
  "new\\nline",
  "dollar$(id)",
  "ünïcödé",
  " spaced ",
  `${"a".repeat(300)};`,
  "%s%n",
  "<script>",
];

interface Hostile {
  readonly kind: string;
  readonly slug: string;
  readonly text: string;
}

function hostileInputs(): Hostile[] {
  const next = rng(7);
  const out: Hostile[] = [];
  const lines = BASE.split("\n");
  // truncated inside a value: always a syntax error
  const cuts = [...BASE.matchAll(/= ["[{]/g)].map((m) => (m.index ?? 0) + 3);
  for (let i = 0; i < 120; i++) {
    const at = (cuts[i % cuts.length] ?? 0) + Math.floor(next() * 3);
    out.push({ kind: "truncated", slug: `truncated_${i}`, text: BASE.slice(0, at) });
  }
  // mistyped syntax
  const breakers: ((line: string) => string)[] = [
    (l) => l.replace("=", ":"),
    (l) => l.replace("]", ""),
    (l) => l.replace(/"$/, ""),
    (l) => `${l} extra`,
    (l) => l.replace("[", "[["),
  ];
  for (let i = 0; i < 130; i++) {
    const candidates = lines.map((l, j) => [l, j] as const).filter(([l]) => l.includes("=") || l.startsWith("["));
    const [line, j] = candidates[Math.floor(next() * candidates.length)] ?? ["", 0];
    const broken = breakers[i % breakers.length]!(line);
    if (broken === line) continue;
    out.push({ kind: "mistyped", slug: `mistyped_${i}`, text: lines.map((l, k) => (k === j ? broken : l)).join("\n") });
  }
  // duplicate keys
  for (let i = 0; i < 20; i++)
    out.push({ kind: "duplicate key", slug: `dup_${i}`, text: BASE.replace("skip = false", `skip = false\nskip = ${i % 2 === 0}`) });
  // wrong value types
  const keys: [string, string][] = [
    ["start_date", "project"],
    ["end_date", "project"],
    ["metrics", "project"],
    ["alerts", "project"],
    ["skip", "project"],
    ["is_rollout", "project"],
    ["compact_visualization", "project"],
    ["name", "project"],
    ["channel", "project.population"],
    ["branches", "project.population"],
    ["monitor_entire_population", "project.population"],
    ["dimensions", "project.population"],
  ];
  const values = ["42", "true", '"x"', "[1, 2]", "{ a = 1 }", "1.5", '["a", 3]'];
  for (const [key, section] of keys) {
    for (const value of values) {
      const wrong =
        (["start_date", "end_date", "name", "channel"].includes(key) && value !== '"x"') ||
        (["metrics", "alerts", "branches", "dimensions"].includes(key) && !value.startsWith('["a"')) ||
        (["skip", "is_rollout", "compact_visualization", "monitor_entire_population"].includes(key) && value !== "true") ||
        (key === "channel" && value === '"x"') ||
        ((key === "start_date" || key === "end_date") && value === '"x"');
      if (!wrong) continue;
      const header = `[${section}]`;
      const text = BASE.replace(new RegExp(`^${key} = .*$`, "m"), "").replace(header, `${header}\n${key} = ${value}`);
      out.push({ kind: "wrong type", slug: `type_${key}_${out.length}`, text });
    }
  }
  // unknown references, each with a near name
  const typo = (name: string) => {
    const i = Math.floor(next() * name.length);
    return name.slice(0, i) + name.slice(i + 1);
  };
  for (let i = 0; i < 120; i++) {
    const where = i % 4;
    const text =
      where === 0
        ? BASE.replace('metrics = ["gc_ms"]\nalerts', `metrics = ["${typo("gc_ms")}x"]\nalerts`)
        : where === 1
          ? BASE.replace('data_source = "main"', `data_source = "${typo("main")}q"`)
          : where === 2
            ? BASE.replace('dimensions = ["os"]', `dimensions = ["${typo("os")}zz"]`)
            : BASE.replace('alerts = ["gc_shift"]', `alerts = ["${typo("gc_shift")}_"]`);
    out.push({ kind: "unknown reference", slug: `ref_${i}`, text });
  }
  // huge arrays
  for (let i = 0; i < 10; i++) {
    const many = Array.from({ length: 2000 + i * 500 }, (_, k) => `"m${k}"`).join(", ");
    out.push({ kind: "huge array", slug: `huge_${i}`, text: BASE.replace('metrics = ["gc_ms"]', `metrics = [${many}]`) });
  }
  // injection strings in slugs, branch names and reference branches
  for (const [i, bad] of INJECTIONS.entries()) {
    const quoted = JSON.stringify(bad);
    out.push({
      kind: "injection (branch)",
      slug: `branch_${i}`,
      text: BASE.replace('branches = ["control", "treatment"]', `branches = ["control", ${quoted}]`),
    });
    out.push({
      kind: "injection (reference)",
      slug: `reference_${i}`,
      text: BASE.replace("[project]\n", `[project]\nreference_branch = ${quoted}\n`),
    });
    out.push({ kind: "injection (channel)", slug: `channel_${i}`, text: BASE.replace('channel = "release"', `channel = ${quoted}`) });
    if (!/[\\/\n]/.test(bad) && bad.length < 200) out.push({ kind: "injection (slug)", slug: `slug${bad}`, text: BASE });
  }
  // invalid dates
  const dates = [
    "2026-02-30",
    "2026-13-01",
    "26-01-01",
    "2026/01/01",
    "",
    "2026-1-1",
    "tomorrow",
    "2026-01-01T00:00:00",
    "0000-00-00",
    "2026-04-31",
  ];
  for (const [i, d] of dates.entries()) {
    for (const key of ["start_date", "end_date"])
      out.push({ kind: "invalid date", slug: `date_${key}_${i}`, text: BASE.replace(new RegExp(`${key} = ".*"`), `${key} = "${d}"`) });
  }
  for (let i = 0; i < 30; i++)
    out.push({
      kind: "dates reversed",
      slug: `order_${i}`,
      text: BASE.replace('end_date = "2026-02-01"', `end_date = "2025-12-${String((i % 28) + 1).padStart(2, "0")}"`),
    });
  return out;
}

const work = mkdtempSync(join(tmpdir(), "opmon-hostile-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A config repository holding the fixture platform and one hostile project file. */
function repoWith(input: Hostile, i: number): string {
  const dir = join(work, String(i));
  mkdirSync(dir, { recursive: true });
  cpSync(join(ROOT, "test/toml/fixtures/unknown-refs/definitions"), join(dir, "definitions"), { recursive: true });
  writeFileSync(join(dir, `${input.slug}.toml`), input.text);
  return dir;
}

describe("hostile inputs", () => {
  const inputs = hostileInputs();

  it("the base file imports cleanly, so every problem below is the input's", async () => {
    const result = await importToml(repoWith({ kind: "base", slug: "base", text: BASE }, -1));
    expect(result.issues.filter((i) => i.severity === "error")).toEqual([]);
  });

  it("each gets a clear one-line error per problem and never an unexpected exception", async () => {
    expect(inputs.length).toBeGreaterThanOrEqual(500);
    const byKind = new Map<string, number>();
    let clean = 0;
    for (const [i, input] of inputs.entries()) {
      let lines: string[];
      try {
        const result = await importToml(repoWith(input, i));
        lines = result.issues.filter((x) => x.severity === "error").map(formatIssue);
      } catch (error) {
        expect(error, `${input.kind} ${input.slug}: ${String(error)}`).toBeInstanceOf(TomlSyntaxError);
        const e = error as TomlSyntaxError;
        lines = [`${e.file}:${e.line}:${e.column}: ${e.reason}`];
      }
      expect(lines.length, `${input.kind} ${input.slug} gave no error`).toBeGreaterThan(0);
      for (const line of lines) {
        expect(line, input.slug).not.toMatch(/\n|\s+at \S+ \(/);
        expect(line.length).toBeLessThan(800);
      }
      clean++;
      byKind.set(input.kind, (byKind.get(input.kind) ?? 0) + 1);
    }
    console.log(`hostile inputs tried: ${inputs.length}, clean errors: ${clean} (${[...byKind].map(([k, n]) => `${k} ${n}`).join(", ")})`);
  }, 240_000);

  it("through the CLI: exit code 1, no stack trace, nothing written", async () => {
    const sample = inputs.filter((_, i) => i % 50 === 0);
    for (const [i, input] of sample.entries()) {
      const out = join(work, `out-${i}`);
      const r = await cli(["import", repoWith(input, 10_000 + i), "--out", out]);
      expect(r.code, `${input.kind}: ${r.stderr}`).toBe(1);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(existsSync(out), input.slug).toBe(false);
    }
  }, 240_000);
});
