// How fast the installed CLI answers: `opmon --help`, `opmon validate --help` and `opmon validate` of the
// demo config, each a fresh process as a user starts it, against a bare `node -e 0` on the same machine.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { BenchRow } from "./bench-table.js";
import { median as middle } from "./measure.js";

const ROOT = resolve(import.meta.dirname, "../..");

/** Seconds of one process run to its end; a failing run fails the bench. */
function seconds(args: readonly string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  const elapsed = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status}: ${r.stderr.trim()}`);
  return elapsed;
}

/** Median seconds of `runs` runs after a warm-up (which fills the OS file cache). */
function median(args: readonly string[], runs: number): number {
  seconds(args);
  return middle(Array.from({ length: runs }, () => seconds(args)));
}

/**
 * Start-up times of the built CLI (dist/, from `npm run build`) as seconds and as ratios to `node -e 0`.
 *
 * @example const { rows, results } = cliStart(5); // rows for the bench table, results for its JSON
 */
export function cliStart(runs: number): { rows: BenchRow[]; results: Record<string, number> } {
  if (!existsSync(join(ROOT, "dist/cli/main.js"))) throw new Error("dist/ is missing: run `npm run build` before the bench");
  const bin = join(ROOT, "bin/opmon.js");
  const node = median(["-e", "0"], runs);
  const help = median([bin, "--help"], runs);
  const commandHelp = median([bin, "validate", "--help"], runs);
  const validate = median([bin, "validate"], runs);
  const row = (measure: string, value: number, target: string): BenchRow => ({
    measure,
    value: `${value.toFixed(2)} s`,
    target,
    detail: `${(value / node).toFixed(1)}x node -e 0 (${node.toFixed(2)} s)`,
  });
  return {
    rows: [
      row("opmon --help", help, "< 0.30 s"),
      row("opmon validate --help", commandHelp, "< 0.30 s"),
      row("opmon validate (demo config)", validate, "< 3.00 s"),
    ],
    results: { node, help, commandHelp, validate },
  };
}
