import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { ROOT, TEST_SCRATCH } from "../helpers/cli.js";

// prettier fails only on code that does not parse, which opmon should never generate; if it ever does,
// the user must learn which module and that it is opmon's bug, not see "internal error"
vi.mock("prettier", () => ({
  format: (source: string) => (source.includes("fission") ? Promise.reject(new Error("';' expected. (12:3)\n  11 | x")) : Promise.resolve(source)),
}));

describe("a generated module prettier cannot format", () => {
  it("names the module, says nothing was written, and exits 1 without a stack trace", async () => {
    let stderr = "";
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const out = join(TEST_SCRATCH, `format-failure-${process.pid}`);
    const code = await main(["import", join(ROOT, "test/toml/fixtures/seed-era"), "--out", out]);
    vi.restoreAllMocks();
    expect(code).toBe(1);
    expect(stderr).toMatch(/^opmon: projects\/fission\.ts: the module generated for it does not parse \(';' expected\. \(12:3\)\); nothing was written\. This is a bug in opmon import/m);
    expect(stderr).not.toContain("internal error");
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });
});
