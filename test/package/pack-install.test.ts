import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";

// What a user gets from `npm install opmon`: the tarball `npm pack` makes, installed where this checkout
// is not. `npm test` builds dist/ first; packages come from npm's cache (`--prefer-offline`). One install
// serves every check: the scaffold `opmon init` writes inside it resolves opmon and tsc from there, as
// npm resolves them from a parent folder, so its own install (the same tarball) is not repeated.
const work = mkdtempSync(join(tmpdir(), "opmon-package-"));
const app = join(work, "app");
const env = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", npm_config_update_notifier: "false" };
let tarball = "";
let packed: readonly string[] = [];

function run(command: string, args: readonly string[], cwd: string) {
  const r = spawnSync(command, args, { cwd, encoding: "utf8", env });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, all: `${r.stdout}\n${r.stderr}` };
}
/** The TypeScript the scaffold pins (checked below against what it writes). */
const SCAFFOLD_TYPESCRIPT = "6.0.3";
const npm = (args: readonly string[], cwd: string) => run("npm", args, cwd);
const installed = (args: readonly string[], cwd = app) =>
  run(process.execPath, [join(app, "node_modules/opmon/bin/opmon.js"), ...args], cwd);

beforeAll(() => {
  if (!existsSync(join(ROOT, "dist/cli/main.js"))) throw new Error("dist/ is missing: run `npm run build` (npm test does)");
  // prepare already ran (npm test builds first): packing again must not rebuild
  const pack = npm(["pack", "--ignore-scripts", "--json", "--pack-destination", work], ROOT);
  expect(pack.code, pack.stderr).toBe(0);
  const [result] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  tarball = join(work, result?.filename ?? "");
  packed = result?.files.map((f) => f.path) ?? [];
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), `${JSON.stringify({ name: "app", private: true, type: "module" })}\n`);
  const install = npm(["install", "--prefer-offline", "--no-audit", "--no-fund", tarball, `typescript@${SCAFFOLD_TYPESCRIPT}`], app);
  expect(install.code, install.all).toBe(0);
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the npm package", () => {
  it("holds the built output, the demo config and no sources or tests", () => {
    const files = packed;
    expect(files).toContain("bin/opmon.js");
    expect(files).toContain("dist/index.js");
    expect(files).toContain("dist/index.d.ts");
    expect(files).toContain("projects/gc-tuning-experiment.ts");
    expect(files.filter((f) => f.startsWith("src/") || f.startsWith("test/"))).toEqual([]);
  });

  it("answers --help from the installed bin", () => {
    const help = installed(["--help"]);
    expect(help.code, help.all).toBe(0);
    expect(help.stdout).toContain("$ opmon <command> [options]");
    const bin = run(join(app, "node_modules/.bin/opmon"), ["validate", "--help"], app);
    expect(bin.code, bin.all).toBe(0);
    expect(bin.stdout).toContain("$ opmon validate");
  });

  it("lets a plain node script import defineProject", () => {
    writeFileSync(
      join(app, "check.mjs"),
      `import { defineProject, defineProbe } from "opmon";\nconsole.log(typeof defineProject, typeof defineProbe);\n`,
    );
    const r = run(process.execPath, ["check.mjs"], app);
    expect(r.code, r.all).toBe(0);
    expect(r.stdout.trim()).toBe("function function");
  });

  it("scaffolds a config repository, depending on the tarball, that passes its own npm test", () => {
    const r = installed(["init", "monitoring", "--from-tarball", tarball]);
    expect(r.code, r.all).toBe(0);
    const scaffold = join(app, "monitoring");
    const manifest = JSON.parse(readFileSync(join(scaffold, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    // relative: the repository and the tarball can move together
    expect(manifest.dependencies["opmon"]).toBe(`file:../../${tarball.split(/[\\/]/).pop()}`);
    expect(manifest.devDependencies).toEqual({ typescript: SCAFFOLD_TYPESCRIPT });
    const test = npm(["test"], scaffold);
    expect(test.code, test.all).toBe(0);
    expect(test.stdout).toContain("1 project(s) checked: 0 error(s), 0 warning(s)");
  }, 300_000);

  it("scaffolds a repository that depends on this release's version range, without links to missing pages", () => {
    const r = installed(["init", "registry"]);
    expect(r.code, r.all).toBe(0);
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    const manifest = JSON.parse(readFileSync(join(app, "registry/package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(manifest.dependencies["opmon"]).toBe(`^${version}`);
    expect(readFileSync(join(app, "registry/README.md"), "utf8")).not.toMatch(/https?:\/\//);
  });
});
