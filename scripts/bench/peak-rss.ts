// The memory a nightly run needs: `opmon run` alone in a child process on a copy of a bench warehouse
// (generation and the bench's own work excluded), as a user runs it.
import { spawn } from "node:child_process";
import { copyFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { BENCH_DAY } from "./bench-warehouse.js";

const ROOT = resolve(import.meta.dirname, "../..");

/** A child run's peak RSS and seconds. */
export interface ChildRun {
  readonly peakMb: number;
  readonly seconds: number;
}

/**
 * Runs `opmon run --date <bench day> --slug <slug>` on a copy of `warehouse` in a child process
 * (config from the repository's projects) and reads its peak RSS; throws with the child's output when
 * the run fails.
 *
 * @example const { peakMb } = await peakRssOfRun(".opmon/bench/L.duckdb", "tab-unloading-rollout");
 */
export async function peakRssOfRun(warehouse: string, slug: string, extraArgs: readonly string[] = []): Promise<ChildRun> {
  const copy = `${warehouse}.rss-copy.duckdb`;
  copyFileSync(warehouse, copy);
  try {
    const args = ["--import", join(ROOT, "scripts/bench/report-rss.mjs"), join(ROOT, "bin/opmon.js")];
    args.push("run", "--date", BENCH_DAY, "--slug", slug, "--warehouse", copy, "--no-experimenter", ...extraArgs);
    const started = performance.now();
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: "1" } });
      let [out, err] = ["", ""];
      child.stdout.on("data", (d: Buffer) => (out += d));
      child.stderr.on("data", (d: Buffer) => (err += d));
      child.on("close", (c) => done({ code: c ?? -1, stdout: out, stderr: err }));
    });
    const seconds = (performance.now() - started) / 1000;
    const kb = /opmon-bench-peak-rss-kb=(\d+)/.exec(stderr)?.[1];
    if (code !== 0 || !kb) throw new Error(`opmon run in a child process failed (exit ${code}):\n${stdout}\n${stderr}`);
    return { peakMb: Number(kb) / 1024, seconds };
  } finally {
    rmSync(copy, { force: true });
    rmSync(`${copy}.tmp`, { recursive: true, force: true });
    rmSync(`${copy}.wal`, { force: true });
  }
}
