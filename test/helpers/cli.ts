import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** What a CLI run printed and returned. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `opmon ARGS` as a user would, in `cwd`, without colours. */
export function opmon(args: readonly string[], cwd = ROOT): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, "bin/opmon.js"), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `opmon ARGS` in a child process without blocking this one (so a loopback server here can answer). */
export function opmonAsync(args: readonly string[], cwd = ROOT): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, "bin/opmon.js"), ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * Where tests put scratch folders that must sit inside the repository (so `import "opmon"` resolves to
 * this package): git ignores it, and it is not `.opmon/`, which holds the user's own warehouse and site.
 */
export const TEST_SCRATCH = join(ROOT, "test-artifacts", "scratch");

/**
 * A scratch config directory inside the repository (see {@link TEST_SCRATCH}), holding a copy of the
 * demo definitions, defaults and projects.
 */
export function scratchConfigDir(): string {
  mkdirSync(TEST_SCRATCH, { recursive: true });
  const dir = mkdtempSync(join(TEST_SCRATCH, "config-"));
  for (const folder of ["definitions", "defaults", "projects"]) cpSync(join(ROOT, folder), join(dir, folder), { recursive: true });
  return dir;
}
