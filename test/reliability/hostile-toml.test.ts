import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { afterAll, describe, expect, it, vi } from "vitest";
import { importToml } from "../../src/toml/import-toml.js";
import { TomlLimitError, TomlSyntaxError } from "../../src/toml/read-toml.js";
import { cli, ROOT } from "../helpers/cli.js";

// Hostile TOML for `opmon import`: text that must never become code, sizes that must stay linear,
// nesting and names that must be refused by file. Generated modules are validated (which loads them)
// to show nothing runs: the payloads write PWNED to stdout if they ever do. Cases share a repository
// and one CLI run where they can.

// every source given to prettier, to count the comments it had to place
const formatted = vi.hoisted(() => [] as string[]);
vi.mock("prettier", async (original) => {
  const prettier = await original<typeof import("prettier")>();
  return { ...prettier, format: (source: string, options: object) => (formatted.push(source), prettier.format(source, options)) };
});

const PAYLOAD = `Reflect.get(globalThis, "process").stdout.write("PWNED")`;
const LS = "\u2028";
const PS = "\u2029";

/** A project that imports and validates cleanly against the fixture platform. */
const base = (before = "", inProject = "", after = "") => `${before}[project]
${inProject}name = "Hostile TOML"
platform = "firefox_desktop"
start_date = "2026-01-01"
end_date = "2026-02-01"
metrics = ["gc_ms"]

[project.population]
data_source = "main"
branches = ["control", "treatment"]
dimensions = ["os"]

[metrics.gc_ms.statistics]
percentile = { percentiles = [50, 95] }
${after}`;

mkdirSync(join(ROOT, "test-artifacts"), { recursive: true });
// inside the repository, so generated modules resolve `import ... from "opmon"`
const work = mkdtempSync(join(ROOT, "test-artifacts", "hostile-toml-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let made = 0;
const fresh = (what: string) => join(work, `${what}-${made++}`);

/** A config repository with the fixture platform and the given TOML files (name to text). */
function repo(files: { readonly [name: string]: string | Buffer }): string {
  const dir = fresh("repo");
  mkdirSync(dir, { recursive: true });
  cpSync(join(ROOT, "test/toml/fixtures/unknown-refs/definitions"), join(dir, "definitions"), { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** Imports `source` and validates the result (which loads every module); returns generated text by path. */
async function importAndValidate(source: string): Promise<{ out: string; texts: Map<string, string> }> {
  const out = fresh("out");
  const imported = await cli(["import", source, "--out", out]);
  expect(imported.code, imported.stderr).toBe(0);
  const texts = new Map(
    readdirSync(out, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .map((f) => [f, readFileSync(join(out, f), "utf8")] as const),
  );
  for (const [path, text] of texts) {
    expect(text, path).not.toMatch(/[\r\u2028\u2029]/);
    // no control or invisible character but \n and \t anywhere in generated code
    expect(text, path).not.toMatch(/[^\P{Cc}\n\t]|\p{Cf}/u);
  }
  const validated = await cli(["validate", "--config-dir", out]);
  expect(`${validated.stdout}${validated.stderr}`).not.toContain("PWNED");
  expect(validated.code, validated.stdout + validated.stderr).toBe(0);
  return { out, texts };
}

/** Runs an in-process import that must throw; returns the error. */
async function refusal(source: string): Promise<TomlSyntaxError> {
  const error = await importToml(source).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TomlSyntaxError);
  return error as TomlSyntaxError;
}

describe("a comment never becomes code", () => {
  const cases: [string, string][] = [
    ["U+2028 in a key's comment", base("", `# Owner: perf team${LS}description: String(${PAYLOAD}), //\n`)],
    ["U+2029 in a key's comment", base("", `# Owner${PS}description: String(${PAYLOAD}), //\n`)],
    ["U+2028 in a trailing comment", base("", `skip = false # off${LS}description: String(${PAYLOAD}), //\n`)],
    ["U+2028 in the file's first comment", base(`# header${LS}${PAYLOAD};\n`)],
    ["U+2028 in the last comment of the file", base("", "", `# end${LS}${PAYLOAD};\n`)],
    [
      "U+2028 in a table header's comment",
      base("", "", `[dimensions.os2] # note${LS}${PAYLOAD};\ndata_source = "main"\nselect_expression = "os"\n`),
    ],
    ["U+2028 in a comment inside a multi-line array", base("", `alerts = [ # a${LS}${PAYLOAD};\n]\n`)],
    ["bidi override and zero-width space in a comment", base("", `# access \u202e{} nimda\u200b\n`)],
    ["a comment that is a TypeScript directive", base("", `# @ts-ignore\n#  @ts-expect-error\n`)],
    ["`*/` and `/*` in comments", base("# /* open\n", "# close */ x\n")],
  ];
  let result: Awaited<ReturnType<typeof importAndValidate>>;
  it("imports and validates every case without running its payload", async () => {
    result = await importAndValidate(repo(Object.fromEntries(cases.map(([, text], i) => [`case-${i}.toml`, text]))));
  }, 120_000);

  it.each(cases.map(([name], i) => [name, i] as const))("%s", async (_, i) => {
    const project = result.texts.get(`projects/case-${i}.ts`)!;
    for (const line of project.split("\n")) if (/PWNED|nimda/.test(line)) expect(line.trimStart()).toMatch(/^\/\/ /);
    expect(project).not.toMatch(/^\s*\/\/\/?\s*@ts-/m);
  });

  it("shows the line terminator as an escape, so a reviewer sees it", async () => {
    expect(result.texts.get("projects/case-0.ts")).toContain(`// Owner: perf team\\u2028description: String(${PAYLOAD}), //`);
    expect(result.texts.get("projects/case-7.ts")).toContain("// access \\u202e{} nimda\\u200b");
  });

  it("keeps the comment above [project] (it was dropped)", async () => {
    expect(result.texts.get("projects/case-9.ts")).toContain("// /* open");
  });

  it("a definitions file name with U+2028 is refused by name, not written into a header comment", async () => {
    const name = `fx${LS}({} as any)`;
    const dir = repo({ "hostile.toml": base().replace('platform = "firefox_desktop"', `platform = ${JSON.stringify(name)}`) });
    cpSync(join(dir, "definitions/firefox_desktop.toml"), join(dir, `definitions/${name}.toml`));
    const out = fresh("named");
    const r = await cli(["import", dir, "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("definitions/fx\\u2028({} as any).toml error: file name");
    expect(r.stderr).not.toMatch(/[\u2028\u2029]/);
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});

describe("strings and keys keep their text and stay strings", () => {
  const long = "x".repeat(1_000_000);
  const values: [string, string][] = [
    ["U+2028 and U+2029 in a one-line string", `"a${LS}b${PS}c"`],
    ["a multi-line string with CRLF, U+2028, backticks and ${", `"""\nline one\r\nline ${LS}two \`${"${"}${PAYLOAD}}\`\n"""`],
    ["a multi-line literal string with backslashes, backticks and ${", `'''\nC:\\temp\\\${x} \` \\\`\n'''`],
    ["NUL, ESC, DEL, C1 and bidi controls in a string", `"a\\u0000b\\u001b[31mc\\u007fd\\u0085e\\u202ef"`],
    ["a string that closes a comment and a template", `'*/ \`; ${PAYLOAD}; /* \${0}'`],
    ["a 1 MB string", `"${long}"`],
  ];
  // keys with a line separator, an escaped newline, quotes, and `__proto__` (a plain key would set the prototype)
  const keys = `"key${LS}with\\nbreaks \\"quoted\\"" = 1\n'"' = 2\n__proto__ = { polluted = true }\n`;
  const files = Object.fromEntries(values.map(([, value], i) => [`case-${i}.toml`, base("", "", `\n[kept]\nvalue = ${value}\n${keys}`)]));
  // a byte order mark and a 1 MB comment line
  files["bom.toml"] = `\ufeff${base("", `# ${long}\n`)}`;
  // metrics named like Object.prototype members, referenced from the project
  files["names.toml"] = base()
    .replace('metrics = ["gc_ms"]', 'metrics = ["__proto__", "constructor"]')
    .replace(
      "[metrics.gc_ms.statistics]",
      '[metrics.__proto__]\ndata_source = "main"\nselect_expression = "1"\n[metrics.__proto__.statistics]\nmean = {}\n[metrics.constructor]\ndata_source = "main"\nselect_expression = "2"\n[metrics.constructor.statistics]\nmean = {}\n[metrics.gc_ms.statistics]',
    );
  let exported: string;
  it("imports, validates and exports every case", async () => {
    const { out } = await importAndValidate(repo(files));
    exported = fresh("exported");
    const r = await cli(["export", "--config-dir", out, "--out", exported]);
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);

  it.each(values.map(([name], i) => [name, i] as const))("%s: exported data equals the source's", async (_, i) => {
    const back = parse(readFileSync(join(exported, `opmon/case-${i}.toml`), "utf8"));
    expect(back["kept"]).toEqual(parse(files[`case-${i}.toml`]!)["kept"]);
    expect(Object.keys(back["kept"] as object)).toContain("__proto__");
  });
  it("metrics named __proto__ and constructor come back as metrics", async () => {
    const back = parse(readFileSync(join(exported, "opmon/names.toml"), "utf8"));
    const metrics = back["metrics"] as Record<string, { select_expression?: string }>;
    expect(Object.keys(metrics)).toEqual(expect.arrayContaining(["__proto__", "constructor"]));
    expect(metrics["__proto__"]?.select_expression).toBe("1");
    expect((back["project"] as { metrics: string[] }).metrics).toEqual(["__proto__", "constructor"]);
  });
});

describe("import stays linear in comments", () => {
  // prettier's comment placement is quadratic in a run of comments (20,000 lines: 9 s here, 16,000:
  // 28 s on the attacker's machine), so 60,000 would take over a minute, far past this test's 20 s;
  // with one short placeholder per comment group prettier sees three comments, and this takes a second.
  const lines = Array.from({ length: 60_000 }, (_, i) => `# note ${i}`).join("\n");
  it.each([
    ["trailing the file", base("", "", `${lines}\n`), /^\/\/ note \d+$/gm],
    ["above one key", base("", `${lines}\n`), /^ {2}\/\/ note \d+$/gm],
  ])(
    "imports 60,000 comment lines %s and keeps every one",
    async (_, text, line) => {
      formatted.length = 0;
      const result = await importToml(repo({ "many.toml": text }));
      expect(result.issues.filter((i) => i.severity === "error")).toEqual([]);
      expect(result.modules.find((m) => m.path === "projects/many.ts")!.source.match(line)).toHaveLength(60_000);
      // the work: what prettier was given holds a few comment lines, not 60,000
      const project = formatted.find((source) => source.includes("defineProject"))!;
      expect(project.split("\n").filter((l) => l.trimStart().startsWith("//")).length).toBeLessThan(5);
    },
    20_000,
  );
});

describe("nesting is refused by name, never a stack overflow", () => {
  const deep = (n: number, open: string, close: string) => `${open.repeat(n)}1${close.repeat(n)}`;
  const dotted = (n: number) => Array<string>(n).fill("k").join(".");

  it.each([
    ["arrays 900 deep", `[kept]\na = ${deep(900, "[", "]")}\n`],
    ["inline tables 900 deep", `[kept]\na = ${deep(900, "{ b = ", " }")}\n`],
  ])(
    "%s through the CLI: exit 1, the file named, no stack trace",
    async (_, after) => {
      const out = fresh("deep");
      const r = await cli(["import", repo({ "deep.toml": base("", "", after) }), "--out", out]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^opmon: deep\.toml:\d+:\d+: unsupported TOML: nested more than 32 levels deep/m);
      expect(r.stderr).not.toMatch(/Maximum call stack|internal error|^\s+at /m);
      expect(existsSync(out)).toBe(false);
    },
    60_000,
  );

  it.each([
    ["arrays 100,000 deep", `[kept]\na = ${deep(100_000, "[", "]")}\n`, undefined],
    ["a dotted key of 900 parts", `[kept]\n${dotted(900)} = 1\n`, "kept.k.k...k.k is nested"],
    ["a dotted key of 50,000 parts", `[kept]\n${dotted(50_000)} = 1\n`, undefined],
    ["a table header of 900 parts", `[${dotted(900)}]\nv = 1\n`, "k.k.k...k.k is nested"],
    ["an array of tables 900 deep", `[[${dotted(900)}]]\nv = 1\n`, undefined],
    ["arrays 33 deep, one past the limit", `[kept]\na = ${deep(33, "[", "]")}\n`, undefined],
  ])("%s: a limit error naming the file", async (_, after, path) => {
    const error = await refusal(repo({ "deep.toml": base("", "", after) }));
    expect(error).toBeInstanceOf(TomlLimitError);
    expect(error.file).toBe("deep.toml");
    expect(error.reason).toMatch(/nested more than 32 levels deep|too deeply nested/);
    if (path) expect(error.reason).toContain(path);
  });

  it("nesting at the limit imports and validates", async () => {
    await importAndValidate(repo({ "deep.toml": base("", "", `[kept]\na = ${deep(30, "[", "]")}\nb = ${deep(30, "{ c = ", " }")}\n`) }));
  }, 120_000);
});

describe("other hostile files", () => {
  it.each([
    ["invalid UTF-8", Buffer.concat([Buffer.from(base()), Buffer.from([0x23, 0xff, 0xfe, 0x0a])]), /^not valid UTF-8$/],
    ["NUL in a comment", base("", "# a\u0000b\n"), /control characters/],
    ["a bare CR in a comment", base("", "# a\rb = 1\n"), /control characters/],
    ["ESC in a comment", base("", "# \u001b]8;;http://x\u0007link\n"), /control characters/],
  ])("%s is refused with the file named", async (_, text, reason) => {
    const error = await refusal(repo({ "bad.toml": text }));
    expect(error.file).toBe("bad.toml");
    expect(error.reason).toMatch(reason);
  });

  it("through the CLI a refusal is one line naming the file", async () => {
    const out = fresh("bad");
    const r = await cli(["import", repo({ "bad.toml": Buffer.from([0x23, 0xff, 0x0a]) }), "--out", out]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe("opmon: bad.toml:1:1: malformed TOML: not valid UTF-8");
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  const names = ["with space", 'with"quote', "with\nnewline", `with${LS}separator`, "with\u001b[31mescape", "with#hash"];
  it(`project files with ${names.length} hostile names are refused, each shown escaped on one line`, async () => {
    const out = fresh("names");
    const r = await cli(["import", repo(Object.fromEntries(names.map((n) => [`${n}.toml`, base()]))), "--out", out]);
    expect(r.code).toBe(1);
    const slugErrors = r.stderr.split("\n").filter((l) => / error: slug ".*" may only hold letters/.test(l));
    expect(slugErrors).toHaveLength(names.length);
    expect(r.stderr).toContain("with\\u000anewline.toml error");
    expect(r.stderr).toContain("with\\u2028separator.toml error");
    expect(r.stderr).toContain("with\\u001b[31mescape.toml error");
    expect(r.stderr).not.toMatch(/[\u001b\u2028]/);
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  const moduleNames = ['x"y', "x#y", "x y", "x'y"];
  it(`definitions and defaults files with ${moduleNames.length} hostile names are refused by name`, async () => {
    const files = Object.fromEntries(moduleNames.map((n) => [`defaults/${n}.toml`, ""]));
    const dir = repo({ "ok.toml": base(), ...files, [`definitions/fx'y.toml`]: "" });
    const r = await cli(["import", dir, "--out", fresh("modules")]);
    expect(r.code).toBe(1);
    for (const name of moduleNames)
      expect(r.stderr).toContain(`defaults/${name}.toml error: file name ${JSON.stringify(name)} may only hold letters`);
    expect(r.stderr).toContain(`definitions/fx'y.toml error: file name "fx'y" may only hold letters`);
  }, 60_000);

  it("a missing source is a user error", async () => {
    const r = await cli(["import", join(work, "nothing-here")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nothing-here: no such file or directory/);
    expect(r.stderr).not.toMatch(/internal error/);
  }, 60_000);
});
