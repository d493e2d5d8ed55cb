import pc from "picocolors";
import type { RunReporter, RunSummary } from "../../run/run-projects.js";
import { printable } from "../../util/printable.js";
import { err, out, printJson, table } from "../output.js";

/**
 * Progress for a terminal (one line rewritten in place) or for logs (a line per finished project-day,
 * failures always). `CI` or a non-terminal stderr gives the plain lines.
 */
export function progressReporter(): RunReporter {
  const live = process.stderr.isTTY && !process.env["CI"];
  return {
    dayDone: (slug, date, ok, done, total, error) => {
      const counter = `[${done}/${total}]`;
      if (!ok) {
        if (live) process.stderr.write("\r\x1b[2K");
        // an engine's message can quote data or SQL: no terminal control reaches the screen from it
        err(pc.red(`${counter} ✖ ${slug} ${date}: ${printable(error ?? "failed")}`));
      } else if (live) {
        process.stderr.write(`\r\x1b[2K${counter} ${slug} ${date}`);
        if (done === total) process.stderr.write("\r\x1b[2K");
      } else {
        err(`${counter} ✔ ${slug} ${date}`);
      }
    },
    // a pass over a big source can take a while on BigQuery: say when each is done
    stepDone: (slug, date, step, seconds) => {
      if (slug !== "shared" || !step.startsWith("pass_")) return;
      const line = `shared ${step} for ${date} done in ${seconds.toFixed(1)} s`;
      if (live) process.stderr.write(`\r\x1b[2K${line}`);
      else err(line);
    },
    sharedFailed: (date, step, error) => {
      if (live) process.stderr.write("\r\x1b[2K");
      err(pc.yellow(`${date}: shared ${step} failed (${printable(error)}); each project reads its sources on its own`));
    },
  };
}

/** Prints the end-of-run summary (or JSON) and returns the exit code: 1 if anything failed. */
export function printSummary(summary: RunSummary, json: boolean, notes: readonly string[] = []): number {
  const failed = summary.outcomes.filter((o) => o.status === "failed");
  if (json) {
    printJson({ ...summary, notes });
    return failed.length ? 1 : 0;
  }
  const rows = summary.outcomes.map((o) => [
    o.status === "failed" ? pc.red("failed") : pc.green("succeeded"),
    o.slug,
    o.dates.length <= 1 ? (o.dates[0] ?? "") : `${o.dates[0]}..${o.dates.at(-1)}`,
    `${o.rows} rows`,
    `${o.seconds.toFixed(1)} s`,
    printable(o.failures.map((f) => `${f.date ? `${f.date} ` : ""}${f.step}: ${f.error}`).join("; ")),
  ]);
  const skipped = summary.skipped.map((s) => [pc.yellow("skipped"), s.slug, "", "", "", s.reason]);
  if (rows.length + skipped.length) out(table([...rows, ...skipped]));
  for (const note of notes) out(pc.yellow(note));
  // a day without source data "succeeds" with nothing in it: most often the day is not loaded yet
  for (const o of summary.outcomes)
    if (o.status === "succeeded" && o.rows === 0)
      out(pc.yellow(`warning: ${o.slug} wrote no rows for ${o.dates.join(", ")}: its sources had no data there (is that day loaded?)`));
  const line = `${summary.outcomes.length - failed.length} succeeded, ${failed.length} failed, ${summary.skipped.length} skipped in ${summary.seconds.toFixed(1)} s`;
  out(failed.length ? pc.red(line) : line);
  return failed.length ? 1 : 0;
}
