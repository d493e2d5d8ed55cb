import { afterAll, describe, expect, it } from "vitest";
import { alertRecord, type AlertRecord } from "../../src/alerts/alert-record.js";
import { consoleSummary } from "../../src/alerts/console-sink.js";
import { deliverAlerts } from "../../src/alerts/deliver-alerts.js";
import { slackPayload } from "../../src/alerts/webhook-sink.js";
import { printable } from "../../src/util/printable.js";
import { demo, demoGraphs } from "../sql/demo-graphs.js";

/** Hostile inputs tried and handled, by category; printed at the end for the closing note. */
const tally = new Map<string, { tried: number; handled: number }>();
function count(category: string, handled: boolean): void {
  const t = tally.get(category) ?? { tried: 0, handled: 0 };
  tally.set(category, { tried: t.tried + 1, handled: t.handled + (handled ? 1 : 0) });
}
afterAll(() => {
  const lines = [...tally].map(([category, t]) => `  ${category}: ${t.handled}/${t.tried} handled`);
  console.log(`hostile outputs:\n${lines.join("\n")}`);
});

/** Client strings as telemetry may carry them: each one an attempt on some output format. */
const VALUES: readonly string[] = [
  "<!channel>",
  "<!here|here>",
  "<@U024BE7LH>",
  "<http://evil.example|click here>",
  "<mailto:a@evil.example|mail>",
  "http://evil.example/phish",
  "*bold*",
  "_italic_",
  "~strike~",
  "`code`",
  "```block```",
  "> quoted line",
  "&amp; &lt;",
  ":skull: :rotating_light:",
  "a|b||c",
  "🔥 👨‍👩‍👧 ✅",
  "\u001b[31mred\u001b[0m",
  "\u001b]8;;http://evil.example\u0007link\u001b]8;;\u0007",
  "\u001b]0;window title\u0007",
  "\u001b[2J\u001b[H",
  "\u009b31m",
  "\u202eevil\u202c",
  "\u2066isolate\u2069",
  "line\n  [critical] forged alert",
  "cr\roverwrite",
  "nul\u0000byte",
  "bell\u0007",
  "del\u007f",
  "sep\u2028arator\u2029",
  "x".repeat(10_000),
  "<script>alert(1)</script>",
  `"quo'tes"`,
  "back\\slash",
  "",
];

/** Anything a terminal or a Slack client would act on rather than show. */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

const hostileAlert = (value: string, i: number): AlertRecord =>
  alertRecord(
    "hostile",
    {
      submission_date: "2026-11-27",
      build_id: value,
      metric: "gc_ms",
      statistic: "mean",
      branch: "treatment",
      os: value,
      message: "Value above threshold",
      alert: `a${i}`,
      severity: "warning",
    },
    ["os"],
  );

describe("dimension values in the Slack message", () => {
  it("can neither mention, link nor format: & < > escaped, values in inline code", () => {
    for (const [i, value] of VALUES.entries()) {
      const payload = slackPayload([hostileAlert(value, i)], ["2026-11-27"]);
      const blocks = payload.blocks as { type: string; text: { type: string; text: string } }[];
      const sections = blocks.filter((b) => b.type === "section").map((b) => b.text.text);
      const all = [payload.text, ...sections].join("\n");
      // no raw angle bracket at all: Slack reads every <...> as a link, mention or command
      const ok =
        !/[<>]/.test(all) &&
        !/&(?!amp;|lt;|gt;)/.test(all) &&
        !CONTROL.test(sections.join("")) &&
        sections.length === 1 &&
        // outside the code spans only our own formatting is left: the severity in bold
        (sections[0] ?? "")
          .replace(/`[^`]*`/g, "")
          .replace("*warning*", "")
          .match(/[*~`]/) === null &&
        (sections[0] ?? "").length < 800;
      expect(ok, JSON.stringify({ value: value.slice(0, 40), sections })).toBe(true);
      count("Slack mrkdwn (dimension values and build ids)", ok);
    }
  });

  it("escapes the count line's placeholder too", () => {
    const many = Array.from({ length: 31 }, (_, i) => hostileAlert("Linux", i));
    const blocks = slackPayload(many, ["2026-11-27"]).blocks as { text: { text: string } }[];
    expect(blocks.at(-1)?.text.text).toContain("&lt;slug&gt;_alerts");
    count("Slack mrkdwn (dimension values and build ids)", true);
  });
});

describe("dimension values in the console summary", () => {
  it("reach the terminal as visible escapes: no ESC, C1, bidi or forged line", () => {
    for (const [i, value] of VALUES.entries()) {
      const lines = consoleSummary([hostileAlert(value, i)], ["2026-11-27"]);
      const ok = lines.length === 2 && lines.every((l) => !CONTROL.test(l)) && (lines[1] ?? "").length < 800;
      expect(ok, JSON.stringify({ value: value.slice(0, 40), lines })).toBe(true);
      count("console summary (terminal controls)", ok);
    }
  });

  it("keeps emoji and plain text as they are, and makes escapes readable", () => {
    expect(printable("🔥 👨‍👩‍👧 ✅ Linux")).toBe("🔥 👨‍👩‍👧 ✅ Linux");
    expect(printable("\u001b[31mred\n\u202e")).toBe("\\x1b[31mred\\n\\u202e");
    expect(consoleSummary([hostileAlert("x".repeat(10_000), 0)], ["2026-11-27"])[1]).toContain(`os=${"x".repeat(119)}…`);
    count("console summary (terminal controls)", true);
  });
});

describe("errors quoted in alert warnings", () => {
  it("are printed with their control characters visible", async () => {
    const graph = demo(await demoGraphs(), "gc-tuning-experiment");
    for (const value of VALUES.filter((v) => CONTROL.test(v))) {
      const warnings: string[] = [];
      const broken = { query: async () => Promise.reject(new Error(`Conversion Error: ${value}`)) };
      const delivery = await deliverAlerts(
        broken,
        [graph],
        ["2026-11-27"],
        { dialect: "duckdb" },
        { console: true },
        {
          info: (l) => warnings.push(l),
          warn: (l) => warnings.push(l),
        },
      );
      const ok = warnings.length > 0 && warnings.every((l) => !CONTROL.test(l)) && delivery.failures.every((l) => !CONTROL.test(l));
      expect(ok, JSON.stringify(warnings)).toBe(true);
      count("console summary (terminal controls)", ok);
    }
  });
});
