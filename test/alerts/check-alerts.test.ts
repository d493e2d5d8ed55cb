import { describe, expect, it } from "vitest";
import { desktop } from "../../definitions/firefox_desktop.js";
import { defineProject } from "../../src/index.js";
import { checkBody } from "../../src/graph/check-body.js";

/** A project whose alerts (and confidence level) come from plain data, as a JavaScript config or an ignored type error would give them. */
const project = (alerts: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  defineProject({
    platform: desktop,
    probes: (p) => [p.gc_ms],
    statistics: { gc_ms: { percentile: {} } },
    alerts: Object.fromEntries(
      Object.entries(alerts).map(([name, a]) => [name, { probes: (p: typeof desktop.probes) => [p.gc_ms], ...(a as object) }]),
    ) as never,
    ...extra,
  });

const problems = (alerts: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  checkBody(project(alerts, extra)).map((i) => `${i.path}: ${i.code}`);

describe("run-time checks of alerts (what tsc cannot see in plain JavaScript configs)", () => {
  it("accepts change_point with Perfherder's options, for and severity", () => {
    expect(
      problems({
        step: {
          type: "change_point",
          backWindow: 12,
          foreWindow: 12,
          tThreshold: 7,
          minRelativeChange: 0.02,
          for: 2,
          severity: "critical",
        },
      }),
    ).toEqual([]);
  });

  it("refuses other types' fields on change_point and change_point's on others", () => {
    expect(problems({ step: { type: "change_point", windowSize: 3, min: [1] } })).toEqual([
      "alerts.step.min: alert_field_not_allowed",
      "alerts.step.windowSize: alert_field_not_allowed",
    ]);
    expect(problems({ ceiling: { type: "threshold", max: [1], tThreshold: 3 } })).toEqual([
      "alerts.ceiling.tThreshold: alert_field_not_allowed",
    ]);
    expect(problems({ drift: { type: "avg_diff", windowSize: 3, maxRelativeChange: 0.1, foreWindow: 3 } })).toEqual([
      "alerts.drift.foreWindow: alert_field_not_allowed",
    ]);
  });

  it("refuses windows below two points, a t threshold of 0, a negative change, a `for` of 0 and an unknown severity", () => {
    expect(
      problems({
        step: { type: "change_point", backWindow: 1, foreWindow: 2.5, tThreshold: 0, minRelativeChange: -0.1, for: 0, severity: "loud" },
      }),
    ).toEqual([
      "alerts.step.for: invalid_value",
      "alerts.step.severity: invalid_value",
      "alerts.step.backWindow: invalid_value",
      "alerts.step.foreWindow: invalid_value",
      "alerts.step.tThreshold: invalid_value",
      "alerts.step.minRelativeChange: invalid_value",
    ]);
  });

  it("accepts branch_difference with its options, and refuses other types' fields and out-of-range values", () => {
    expect(
      problems({ worse: { type: "branch_difference", minRelativeChange: 0.05, direction: "both", windowSize: 3, falseDiscoveryRate: 0.1, for: 2 } }),
    ).toEqual([]);
    expect(problems({ worse: { type: "branch_difference", tThreshold: 3, maxRelativeChange: 0.1 } })).toEqual([
      "alerts.worse.maxRelativeChange: alert_field_not_allowed",
      "alerts.worse.tThreshold: alert_field_not_allowed",
    ]);
    expect(
      problems({ worse: { type: "branch_difference", windowSize: 0, minRelativeChange: -1, falseDiscoveryRate: 5, direction: "up" } }),
    ).toEqual([
      "alerts.worse.windowSize: invalid_value",
      "alerts.worse.minRelativeChange: invalid_value",
      "alerts.worse.falseDiscoveryRate: invalid_value",
      "alerts.worse.direction: invalid_value",
    ]);
    expect(problems({ step: { type: "change_point", direction: "both" } })).toEqual(["alerts.step.direction: alert_field_not_allowed"]);
  });

  it("noiseThreshold: change_point's above 0 and never with tThreshold, avg_diff's 0 or more, refused elsewhere", () => {
    expect(problems({ step: { type: "change_point", noiseThreshold: 5, backWindow: 21 } })).toEqual([]);
    expect(problems({ step: { type: "change_point", noiseThreshold: 5, tThreshold: 7 } })).toEqual(["alerts.step.noiseThreshold: invalid_value"]);
    expect(problems({ step: { type: "change_point", noiseThreshold: 0 } })).toEqual(["alerts.step.noiseThreshold: invalid_value"]);
    expect(problems({ drift: { type: "avg_diff", windowSize: 7, maxRelativeChange: 0.25, noiseThreshold: 0 } })).toEqual([]);
    expect(problems({ drift: { type: "avg_diff", windowSize: 7, maxRelativeChange: 0.25, noiseThreshold: -1 } })).toEqual([
      "alerts.drift.noiseThreshold: invalid_value",
    ]);
    expect(problems({ worse: { type: "branch_difference", noiseThreshold: 3 } })).toEqual(["alerts.worse.noiseThreshold: alert_field_not_allowed"]);
    expect(problems({ big: { type: "threshold", max: [1], noiseThreshold: 3 } })).toEqual(["alerts.big.noiseThreshold: alert_field_not_allowed"]);
  });

  it("refuses a confidence level outside (0, 1)", () => {
    expect(problems({}, { confidenceLevel: 95 })).toEqual(["confidenceLevel: invalid_value"]);
    expect(problems({}, { confidenceLevel: 0.9 })).toEqual([]);
  });
});
