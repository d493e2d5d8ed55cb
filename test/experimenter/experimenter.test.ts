import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { convertExperiments } from "../../src/experimenter/convert.js";
import { ExperimenterUnavailable, fetchExperiments } from "../../src/experimenter/fetch-experiments.js";
import { resolveConfigDir } from "../../src/graph/resolve-config-dir.js";
import { cli, ROOT, scratchConfigDir } from "../helpers/cli.js";

const FIXTURE = readFileSync(join(ROOT, "test/fixtures/experimenter/v8.json"), "utf8");
const NOW = new Date("2026-11-28T12:00:00Z");

/** A loopback Experimenter: answers each request with the next planned response. */
function experimenter(plan: (request: number) => { status?: number; body?: string; hang?: boolean }) {
  const seen: { userAgent: string | undefined; url: string | undefined }[] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ userAgent: req.headers["user-agent"], url: req.url });
    const answer = plan(seen.length);
    if (answer.hang) return; // never answers
    res.writeHead(answer.status ?? 200, { "content-type": "application/json" }).end(answer.body ?? FIXTURE);
  });
  return {
    seen,
    start: () =>
      new Promise<string>((resolve) =>
        server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v8/experiments/`)),
      ),
    stop: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe("converting v8 entries", () => {
  const { experiments, dropped } = convertExperiments(JSON.parse(FIXTURE), NOW);
  const bySlug = new Map(experiments.map((e) => [e.slug, e]));

  it("keeps branches and channel, and derives status and rollout-ness as upstream", () => {
    expect(bySlug.get("gc-tuning-experiment")).toEqual({
      slug: "gc-tuning-experiment",
      name: "GC tuning",
      appName: "firefox_desktop",
      appId: "firefox-desktop",
      status: "Live",
      isRollout: false,
      branches: ["control", "treatment", "treatment-b"],
      startDate: "2026-09-20",
      endDate: "2027-01-31",
      referenceBranch: "control",
      channel: "beta",
    });
    expect(bySlug.get("old-experiment")?.status).toBe("Complete");
    expect(bySlug.get("paused-rollout")?.isRollout).toBe(true); // one branch
    expect(bySlug.get("paused-rollout")?.channel).toBeUndefined(); // esr is not a monitored channel
    expect(bySlug.get("fenix-toolbar-rollout")?.appId).toBe("org.mozilla.firefox");
  });

  it("drops entries that do not parse and says why", () => {
    expect(experiments).toHaveLength(7);
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatch(/^#7: slug .*; branches /);
    expect(convertExperiments({ error: "maintenance" }, NOW).dropped).toEqual(["the answer is not a JSON array of experiments"]);
  });
});

describe("fetching from the API", () => {
  it("retries with backoff and sends opmon's user agent", async () => {
    const api = experimenter((n) => (n < 3 ? { status: 503, body: "busy" } : {}));
    const url = await api.start();
    const retries: string[] = [];
    const started = Date.now();
    const { experiments } = await fetchExperiments({
      url,
      backoffMs: 50,
      now: NOW,
      onRetry: (a, reason) => retries.push(`${a}: ${reason}`),
    });
    await api.stop();
    expect(experiments.map((e) => e.slug)).toContain("https-first-rollout");
    expect(retries).toEqual(["2: HTTP 503 Service Unavailable", "3: HTTP 503 Service Unavailable"]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150); // 50 ms, then 100 ms
    expect(api.seen.map((s) => s.userAgent)).toEqual(["opmon", "opmon", "opmon"]);
  });

  it("gives up after three tries that time out", async () => {
    const api = experimenter(() => ({ hang: true }));
    const url = await api.start();
    const failure = fetchExperiments({ url, timeoutMs: 100, backoffMs: 10 });
    await expect(failure).rejects.toThrow(ExperimenterUnavailable);
    await expect(failure).rejects.toThrow(/failed 3 times, last: no answer within 100 ms/);
    await api.stop();
    expect(api.seen).toHaveLength(3);
  });

  it("refuses an answer that is not JSON without retrying", async () => {
    const api = experimenter(() => ({ body: "<html>maintenance</html>" }));
    const url = await api.start();
    await expect(fetchExperiments({ url, backoffMs: 10 })).rejects.toThrow(/answered with something that is not JSON/);
    await api.stop();
    expect(api.seen).toHaveLength(1);
  });
});

describe("resolving with Experimenter", () => {
  const { experiments } = convertExperiments(JSON.parse(FIXTURE), NOW);

  it("lets project values win and fills the rest from Experimenter", async () => {
    const { projects } = await resolveConfigDir(ROOT, { experiments });
    const gc = projects.find((p) => p.slug === "gc-tuning-experiment")?.graph;
    expect(gc?.name).toBe("GC tuning experiment"); // the project's own
    expect(gc?.startDate).toBe("2026-10-01");
    expect(gc?.population.branches).toEqual(["control", "treatment"]); // configured branches win
    expect(gc?.population.channel).toBe("beta"); // unset in the project
    expect(gc?.provenance).toMatchObject({
      name: "project",
      startDate: "project",
      endDate: "project",
      branches: "project",
      channel: "experimenter",
    });
    const tab = projects.find((p) => p.slug === "tab-unloading-rollout")?.graph;
    expect(tab?.population.branching.mode).toBe("boolean_pref"); // a pref rollout keeps enabled/disabled
    expect(tab?.referenceBranch).toBe("disabled");
  });

  it("monitors rollouts without a config with the platform defaults, only for known platforms", async () => {
    const { projects } = await resolveConfigDir(ROOT, { experiments });
    const auto = projects.filter((p) => p.origin === "experimenter");
    expect(auto.map((p) => p.slug)).toEqual(["https-first-rollout", "paused-rollout"]);
    const https = auto[0]?.graph;
    expect(https).toMatchObject({
      name: "HTTPS-First rollout",
      startDate: "2026-11-01",
      isRollout: true,
      population: { dataSource: "main", branching: { mode: "enrollment", slug: "https-first-rollout" }, channel: "release" },
      referenceBranch: "treatment",
    });
    expect(https?.probes.map((p) => p.name)).toEqual(["active_hours"]);
    expect(https?.provenance).toMatchObject({ name: "experimenter", startDate: "experimenter", xaxis: "defaults" });
  });

  it("suppresses automatic monitoring with a skip stub, and reports configs Experimenter does not know", async () => {
    const dir = scratchConfigDir();
    try {
      writeFileSync(
        join(dir, "projects/https-first-rollout.ts"),
        'import { defineProject } from "opmon";\nimport { desktop } from "../definitions/firefox_desktop.js";\n\nexport default defineProject({ platform: desktop, skip: true, probes: () => [], statistics: {} });\n',
      );
      const { projects, issues } = await resolveConfigDir(dir, {
        experiments: experiments.filter((e) => e.slug !== "tab-unloading-rollout"),
        requireExperiment: true,
      });
      const stub = projects.find((p) => p.slug === "https-first-rollout");
      expect(stub?.origin).toBe("config");
      expect(stub?.graph?.skip).toBe(true);
      expect(issues.filter((i) => i.severity === "error").map((i) => `${i.file}: ${i.message}`)).toEqual([
        'projects/tab-unloading-rollout.ts: no experiment or rollout "tab-unloading-rollout" in Experimenter (set population.monitorEntirePopulation to monitor without one)',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the command line with Experimenter", () => {
  let api: ReturnType<typeof experimenter>;
  let url = "";
  beforeAll(async () => {
    api = experimenter(() => ({}));
    url = await api.start();
  });
  afterAll(() => api.stop());

  it("shows per project which values came from Experimenter", async () => {
    const r = await cli(["list", "--json", "--experimenter-url", url]);
    expect(r.code).toBe(0);
    const { projects } = JSON.parse(r.stdout) as { projects: { slug: string; origin: string; provenance: Record<string, string> }[] };
    const https = projects.find((p) => p.slug === "https-first-rollout");
    expect(https?.origin).toBe("experimenter");
    expect(https?.provenance["startDate"]).toBe("experimenter");
    expect(projects.find((p) => p.slug === "gc-tuning-experiment")?.provenance["channel"]).toBe("experimenter");
  });

  it("keeps going with one warning when Experimenter is down", async () => {
    const r = await cli(["list", "--json", "--experimenter-url", "http://127.0.0.1:9/api/v8/experiments/"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: Experimenter unavailable .*failed 3 times.*rollouts without one are skipped/);
    const { projects } = JSON.parse(r.stdout) as { projects: { slug: string }[] };
    expect(projects.map((p) => p.slug)).toEqual(["desktop-nightly-health", "gc-tuning-experiment", "tab-unloading-rollout"]);
  });

  it("reads a saved file for offline use", async () => {
    const r = await cli(["graph", "https-first-rollout", "--json", "--experiments-file", join(ROOT, "test/fixtures/experimenter/v8.json")]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).name).toBe("HTTPS-First rollout");
  });
});
