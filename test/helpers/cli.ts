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

/**
 * Runs `opmon ARGS` in this process (no node startup, modules already loaded stay loaded), in `cwd`,
 * capturing what it prints. Tests in one file run one at a time, so borrowing the process's cwd and
 * output streams is safe; use `opmon` where a real process is the point (exit, signals, warnings).
 * A config module is imported once per path: give a changed config a new directory.
 */
export async function cli(args: readonly string[], cwd = ROOT): Promise<CliResult> {
  const { main } = await import("../../src/cli/main.js");
  const captured = { stdout: "", stderr: "" };
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  const capture = (stream: "stdout" | "stderr") =>
    ((chunk: string | Uint8Array) => (
      (captured[stream] += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString()),
      true
    )) as typeof process.stdout.write;
  // cac prints help with console.info, which the test runner takes over
  const consoles = { log: console.log, info: console.info, error: console.error };
  const before = process.cwd();
  // progress is written as for a log (a line each), as a child process with piped output would
  const tty = process.stderr.isTTY;
  process.stderr.isTTY = false;
  process.chdir(cwd);
  process.stdout.write = capture("stdout");
  process.stderr.write = capture("stderr");
  console.log = console.info = (...parts: unknown[]) => void (captured.stdout += `${parts.join(" ")}\n`);
  console.error = (...parts: unknown[]) => void (captured.stderr += `${parts.join(" ")}\n`);
  try {
    const code = await main(args);
    return { code, stdout: plain(captured.stdout), stderr: plain(captured.stderr) };
  } finally {
    Object.assign(process.stdout, { write: writes.stdout });
    Object.assign(process.stderr, { write: writes.stderr });
    Object.assign(console, consoles);
    process.stderr.isTTY = tty;
    process.chdir(before);
  }
}

/** Without ANSI colours: in-process output is coloured wherever the test runner's environment says so (CI). */
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "");

/** Runs `opmon ARGS` as a user would, in a child process in `cwd`, without colours. */
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
