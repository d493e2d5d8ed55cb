import { mkdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { expect, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { ROOT } from "./cli.js";

/**
 * The vendored metric-hub corpus imported (quietly, in this process) into a new folder under
 * test-artifacts/ named after `prefix`; the folder is inside the repository so the modules resolve
 * `import ... from "opmon"`. The caller removes it.
 *
 * @example const work = await importedCorpus("corpus-runs-");
 */
export async function importedCorpus(prefix: string): Promise<string> {
  mkdirSync(join(ROOT, "test-artifacts"), { recursive: true });
  const work = mkdtempSync(join(ROOT, "test-artifacts", prefix));
  vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    expect(await main(["import", join(ROOT, "test", "fixtures", "metric-hub"), "--out", work])).toBe(0);
  } finally {
    vi.restoreAllMocks();
  }
  return work;
}
