import { describe, expect, it } from "vitest";
import type { Engine } from "../../src/engines/engine.js";
import type { ProjectGraph } from "../../src/graph/project-graph.js";
import type { DayPlan, Step } from "../../src/run/day-plan.js";
import { runProjects, type SharedDay } from "../../src/run/run-projects.js";

/** An engine that records what it runs and fails the statements whose label is in `failing`. */
function recordingEngine(failing: ReadonlySet<string>) {
  const ran: string[] = [];
  const engine: Engine = {
    name: "duckdb",
    writePartition: async () => ({ rows: 1 }),
    execute: async (sql, label) => {
      if (failing.has(label)) throw new Error(`${label} failed`);
      ran.push(sql);
    },
    query: async () => [],
    estimate: async () => ({}),
    close: async () => undefined,
  };
  return { engine, ran };
}

// runProjects reads nothing of a graph but its slug
const graphs = ["a", "b", "c"].map((slug) => ({ slug }) as ProjectGraph);
const step = (label: string, sql = label): Step => ({ kind: "execute", label, sql });
const plan = (graph: ProjectGraph, date: string, how: string): DayPlan => ({
  slug: graph.slug,
  date,
  steps: [step("day", `${how} ${graph.slug} ${date}`)],
});

describe("runProjects with shared passes", () => {
  it("sends only the readers of a failed pass to their own plans, for the rest of the run", async () => {
    const { engine, ran } = recordingEngine(new Set(["pass_bad"]));
    const sharedWith: string[][] = [];
    const failures: string[] = [];
    const share = (gs: readonly ProjectGraph[], date: string): SharedDay => {
      sharedWith.push(gs.map((g) => g.slug));
      return {
        passes: [
          { step: step("pass_bad"), cleanup: step("drop_bad"), readers: ["a", "b"].filter((s) => gs.some((g) => g.slug === s)) },
          { step: step("pass_ok"), cleanup: step("drop_ok"), readers: ["b", "c"] },
        ],
        plan: (g) => plan(g, date, "shared"),
      };
    };
    const summary = await runProjects({
      engine,
      projects: graphs,
      dates: () => ["2026-11-26", "2026-11-27"],
      plan: (g, d) => plan(g, d, "own"),
      share,
      parallelism: 1,
      reporter: { sharedFailed: (date, label, error) => failures.push(`${date} ${label}: ${error}`) },
    });
    expect(summary.outcomes.map((o) => o.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(failures).toEqual(["2026-11-26 pass_bad: pass_bad failed"]);
    expect(ran.filter((s) => s.endsWith("2026-11-26"))).toEqual(["own a 2026-11-26", "own b 2026-11-26", "shared c 2026-11-26"]);
    // the next day, a and b are not offered to the passes again; c alone shares nothing
    expect(sharedWith).toEqual([["a", "b", "c"]]);
    expect(ran.filter((s) => s.endsWith("2026-11-27"))).toEqual(["own a 2026-11-27", "own b 2026-11-27", "own c 2026-11-27"]);
    expect(ran.filter((s) => s.startsWith("drop_"))).toEqual(["drop_bad", "drop_ok"]);
  });

  it("runs the passes of a stage side by side, each stage after the one before, skipping passes of readers left unfed", async () => {
    const events: string[] = [];
    const started = new Set<string>();
    const waiters: (() => void)[] = [];
    const engine: Engine = {
      ...recordingEngine(new Set()).engine,
      execute: async (_sql, label) => {
        events.push(`start ${label}`);
        started.add(label);
        for (const wake of waiters.splice(0)) wake();
        // each population waits for the other to start: this ends only if they run side by side
        const other = { population_a: "population_b", population_b: "population_a" }[label];
        while (other !== undefined && !started.has(other)) await new Promise<void>((wake) => waiters.push(wake));
        if (label === "population_b") throw new Error("population_b failed");
        events.push(`end ${label}`);
      },
    };
    const failures: string[] = [];
    await runProjects({
      engine,
      projects: graphs,
      dates: () => ["2026-11-27"],
      plan: (g, d) => plan(g, d, "own"),
      share: (_gs, date) => ({
        passes: [
          { step: step("spam"), cleanup: step("drop_spam"), readers: ["a", "b", "c"], feedsLater: true, stage: 0 },
          { step: step("population_a"), cleanup: step("drop_population_a"), readers: ["a"], feedsLater: true, stage: 1 },
          { step: step("population_b"), cleanup: step("drop_population_b"), readers: ["b", "c"], feedsLater: true, stage: 1 },
          { step: step("pass_ab"), cleanup: step("drop_ab"), readers: ["a", "b"], stage: 2 },
          { step: step("pass_a"), cleanup: step("drop_a"), readers: ["a"], stage: 2 },
        ],
        plan: (g) => plan(g, date, "shared"),
      }),
      reporter: { sharedFailed: (date, label, error) => failures.push(`${date} ${label}: ${error}`) },
    });
    const shared = events.filter((e) => !/ (own|shared|drop)/.test(e) && !e.includes("day"));
    expect(shared.slice(0, 4)).toEqual(["start spam", "end spam", "start population_a", "start population_b"]);
    expect(shared.slice(4)).toEqual(["end population_a", "start pass_a", "end pass_a"]);
    expect(failures).toEqual(["2026-11-27 population_b: population_b failed", "2026-11-27 pass_ab: skipped: the shared work of b failed before it"]);
  });

  it("runs every project on its own plan when the passes cannot even be planned", async () => {
    const { engine, ran } = recordingEngine(new Set());
    const failures: string[] = [];
    const summary = await runProjects({
      engine,
      projects: graphs,
      dates: () => ["2026-11-27"],
      plan: (g, d) => plan(g, d, "own"),
      share: () => {
        throw new Error("no plan today");
      },
      reporter: { sharedFailed: (date, label, error) => failures.push(`${date} ${label}: ${error}`) },
    });
    expect(summary.outcomes.every((o) => o.status === "succeeded")).toBe(true);
    expect(failures).toEqual(["2026-11-27 planning: no plan today"]);
    expect(ran.sort()).toEqual(["own a 2026-11-27", "own b 2026-11-27", "own c 2026-11-27"]);
  });
});

describe("runProjects and the projects_v1 metadata", () => {
  it("writes the metadata once per run, for every project, after all their days (not once per project-day)", async () => {
    const { engine, ran } = recordingEngine(new Set());
    const written: string[][] = [];
    const summary = await runProjects({
      engine,
      projects: graphs,
      dates: () => ["2026-11-26", "2026-11-27"],
      plan: (graph, date) => plan(graph, date, "own"),
      metadata: (gs) => {
        written.push(gs.map((g) => g.slug));
        return step("projects", "metadata");
      },
      parallelism: 3,
    });
    expect(summary.outcomes.every((o) => o.status === "succeeded")).toBe(true);
    expect(written).toEqual([["a", "b", "c"]]);
    expect(ran.filter((sql) => sql === "metadata")).toHaveLength(1);
    expect(ran.at(-1)).toBe("metadata");
  });

  it("reports a failed metadata write as the run's projects_v1 failure, leaving the projects' days succeeded", async () => {
    const { engine } = recordingEngine(new Set(["projects"]));
    const summary = await runProjects({
      engine,
      projects: graphs,
      dates: () => ["2026-11-27"],
      plan: (graph, date) => plan(graph, date, "own"),
      metadata: () => step("projects", "metadata"),
    });
    expect(summary.outcomes.map((o) => [o.slug, o.status])).toEqual([
      ["a", "succeeded"],
      ["b", "succeeded"],
      ["c", "succeeded"],
      ["projects_v1", "failed"],
    ]);
  });
});
