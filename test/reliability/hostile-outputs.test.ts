import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { alertRecord, type AlertRecord } from "../../src/alerts/alert-record.js";
import { consoleSummary } from "../../src/alerts/console-sink.js";
import { deliverAlerts, webhookUrl } from "../../src/alerts/deliver-alerts.js";
import { postWebhook, redactUrl, safeUrl, slackPayload } from "../../src/alerts/webhook-sink.js";
import type { ProjectGraph } from "../../src/graph/project-graph.js";
import { escapeHtml, inlineScript, scriptJson } from "../../src/report/html.js";
import { indexPage } from "../../src/report/index-page.js";
import { lookmlFiles } from "../../src/report/lookml/lookml-files.js";
import { LookmlNameError } from "../../src/report/lookml/lookml-names.js";
import { lookmlString, yamlQuoted, yamlString } from "../../src/report/lookml/lookml-quote.js";
import { projectPage } from "../../src/report/project-page.js";
import type { ProjectResults } from "../../src/report/report-data.js";
import { SiteFolderError, writeSite } from "../../src/report/write-site.js";
import { printable } from "../../src/util/printable.js";
import { opmon } from "../helpers/cli.js";
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

/** A loopback webhook answering `status` with a body of `total` bytes made on demand, counting what it could send. */
async function floodingServer(status: number, total: number) {
  const sent: number[] = [];
  const closed: Promise<void>[] = [];
  const chunk = Buffer.alloc(64 * 1024, "x");
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      let bytes = 0;
      const index = sent.push(0) - 1;
      closed.push(new Promise((done) => res.on("close", () => done())));
      res.writeHead(status, { "content-type": "text/plain" });
      // writes only as fast as the client reads: what was sent is what the client took, plus buffers
      const pump = () => {
        while (bytes < total && !res.destroyed) {
          bytes += chunk.length;
          sent[index] = bytes;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        if (!res.destroyed) res.end();
      };
      pump();
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/services/T000/B000/FAKESECRETflood`,
    sent,
    closed: () => Promise.all(closed),
    close: () => new Promise<void>((done) => (server.closeAllConnections(), server.close(() => done()))),
  };
}

describe("webhook responses and URLs", () => {
  const TOTAL = 256 * 1024 * 1024;
  const fast = { attempts: 2, timeoutMs: 60_000, backoffMs: 1 };

  it("reads at most 64 KiB of an answer and drops the connection, whatever the server would send", async () => {
    for (const status of [200, 500]) {
      const server = await floodingServer(status, TOTAL);
      const result = await postWebhook(server.url, slackPayload([hostileAlert("Linux", 0)], ["2026-11-27"]), fast);
      await server.closed();
      await server.close();
      // loopback socket buffers hold a few MiB at most; reading it all would be the whole 256 MiB
      const ok = server.sent.length === (status === 200 ? 1 : 2) && server.sent.every((n) => n < 32 * 1024 * 1024);
      expect(ok, JSON.stringify({ status, sent: server.sent, result })).toBe(true);
      expect(result.ok).toBe(status === 200);
      if (status === 500) expect(result.error).toMatch(/^HTTP 500 Internal Server Error: x{199}…$/);
      count("webhook responses (oversized bodies)", ok);
    }
  }, 60_000);

  it("never prints a webhook URL's path, query or password", async () => {
    const secret = "FAKESECRETxyz123";
    const mistyped = [
      `https//hooks.slack.com/services/T000/B000/${secret}`,
      `https://hooks.slack.com /services/T000/B000/${secret}`,
      `hooks.slack.com/services/T000/B000/${secret}`,
      `${secret}`,
      `http://[::1/services/${secret}`,
    ];
    for (const url of mistyped) {
      let message = "";
      try {
        webhookUrl(url, {});
      } catch (error) {
        message = String(error);
      }
      const ok = message.includes("not a URL") && !message.includes(secret);
      expect(ok, message).toBe(true);
      count("webhook URLs (secrets in messages)", ok);
    }
    // fetch refuses credentials in a URL and quotes the URL in its error; a dead port gives a network error
    const dead = await deadPort();
    for (const url of [
      `http://user:${secret}@127.0.0.1:${dead}/services/${secret}`,
      `http://127.0.0.1:${dead}/services/T0/B0/${secret}?token=${secret}`,
    ]) {
      const warnings: string[] = [];
      const graph = demo(await demoGraphs(), "gc-tuning-experiment");
      const rows = [{ submission_date: "2026-11-27", metric: "gc_ms", message: "Value above threshold", severity: "warning" }];
      await deliverAlerts(
        { query: async () => rows },
        [graph],
        ["2026-11-27"],
        { dialect: "duckdb" },
        { console: false, webhookUrl: url, webhook: fast },
        {
          info: (l) => warnings.push(l),
          warn: (l) => warnings.push(l),
        },
      );
      const ok = warnings.length === 1 && !warnings.join("\n").includes(secret) && warnings[0]!.startsWith("alerts webhook failed");
      expect(ok, warnings.join("\n")).toBe(true);
      count("webhook URLs (secrets in messages)", ok);
    }
    expect(redactUrl(`could not reach https://h.example/T0/${secret}`, `https://h.example/T0/${secret}`)).toBe(
      "could not reach https://h.example",
    );
    expect(safeUrl(`https://u:${secret}@hooks.slack.com/services/${secret}?t=${secret}`)).toBe("https://hooks.slack.com");
  });

  it("through the CLI: a mistyped webhook URL is a usage error that does not show it", () => {
    const secret = "FAKESECRETcli456";
    const dir = mkdtempSync(join(tmpdir(), "opmon-hostile-url-"));
    const r = opmon([
      "run",
      "--date",
      "2026-11-27",
      "--warehouse",
      join(dir, "none.duckdb"),
      "--no-experimenter",
      "--alerts-webhook",
      `https//hooks.slack.com/services/T0/B0/${secret}`,
    ]);
    rmSync(dir, { recursive: true, force: true });
    const ok = r.code === 1 && r.stderr.includes("not a URL") && !`${r.stdout}${r.stderr}`.includes(secret);
    expect(ok, r.stderr).toBe(true);
    count("webhook URLs (secrets in messages)", ok);
  }, 60_000);
});

/** A port nothing listens on: bound, then released. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** A scalar of the generated YAML read back: single-quoted ('' for '), or double-quoted (JSON escapes). */
const yamlValue = (scalar: string): string =>
  scalar.startsWith("'") ? scalar.slice(1, -1).replaceAll("''", "'") : scalar.startsWith('"') ? (JSON.parse(scalar) as string) : scalar;

describe("names and values in LookML", () => {
  /** Names that would end a LookML field (`;;`, `}`), its SQL, or a YAML line. */
  const BAD_NAMES = [
    "os ;;\n  }\n  dimension: evil {\n    sql: (SELECT secret FROM vault) ;;",
    "a;;}",
    "os}",
    "os-name",
    "os name",
    "1os",
    "ös",
    "os\u2028x",
    "${TABLE}",
    "os`",
    'os"',
    "",
  ];

  it("refuses a dimension, probe or statistic name that is not an identifier, naming project and name", async () => {
    const base = demo(await demoGraphs(), "gc-tuning-experiment");
    const dim = base.population.dimensions[0]!;
    const probe = base.probes[0]!;
    const statistic = probe.statistics[0]!;
    const variants: [string, ProjectGraph][] = BAD_NAMES.flatMap((name): [string, ProjectGraph][] => [
      [name, { ...base, population: { ...base.population, dimensions: [{ ...dim, name }] } }],
      [name, { ...base, probes: [{ ...probe, name }, ...base.probes.slice(1)] }],
      // statistic names are typed; a graph built by hand (or a future custom statistic) can still hold any
      [
        name,
        { ...base, probes: [{ ...probe, statistics: [{ ...statistic, name } as unknown as typeof statistic] }, ...base.probes.slice(1)] },
      ],
    ]);
    for (const [name, graph] of variants) {
      let message = "";
      try {
        lookmlFiles(graph, []);
      } catch (error) {
        message = error instanceof LookmlNameError ? error.message : `unexpected ${String(error)}`;
      }
      const ok = message.startsWith('project "gc-tuning-experiment": ') && message.includes(JSON.stringify(name));
      expect(ok, `${JSON.stringify(name)}: ${message}`).toBe(true);
      count("LookML names (dimensions, probes, statistics)", ok);
    }
    for (const options of [{ model: "m;; }" }, { dataset: "d` ;; evil" }, { project: "p`.x ;; explore: y {" }]) {
      let refused = false;
      try {
        lookmlFiles(base, [], options);
      } catch (error) {
        refused = error instanceof LookmlNameError;
      }
      expect(refused, JSON.stringify(options)).toBe(true);
      count("LookML names (dimensions, probes, statistics)", refused);
    }
    // every name of the demo projects (as metric-hub's) still passes
    for (const graph of Object.values(await demoGraphs())) expect(() => lookmlFiles(graph, [])).not.toThrow();
  });

  it("quotes dimension values and titles in the dashboard YAML so each reads back as itself", async () => {
    const graph = demo(await demoGraphs(), "gc-tuning-experiment");
    const dashboard = (option: string) =>
      Object.values(lookmlFiles(graph, [{ name: "os", title: "OS", default: option, options: [option, "Linux"] }])).at(-1) ?? "";
    const shape = (text: string) => text.split("\n").map((line) => line.replace(/^(\s*(- )?[^:'"]*:?).*$/, "$1"));
    const baseline = shape(dashboard("Windows"));
    for (const value of VALUES) {
      const text = dashboard(value);
      const defaultValue = /^ {4}default_value: (.*)$/m.exec(text.split("  - title: OS\n")[1] ?? "")?.[1] ?? "";
      const ok =
        JSON.stringify(shape(text)) === JSON.stringify(baseline) &&
        yamlValue(defaultValue) === value &&
        !/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/.test(text);
      expect(ok, JSON.stringify({ value: value.slice(0, 40), defaultValue: defaultValue.slice(0, 80) })).toBe(true);
      count("LookML dashboard YAML (dimension values)", ok);
    }
  });

  it("quotes titles YAML would read as something else", async () => {
    const graph = demo(await demoGraphs(), "gc-tuning-experiment");
    for (const [name, title] of [
      ["yes", '"Yes"'],
      ["null", '"Null"'],
      ["!!!", '""'],
      ["Off", '"Off"'],
      ["GC: tuning #1 <b>", "GC Tuning 1 B"],
    ] as const) {
      const dashboard = Object.values(lookmlFiles({ ...graph, name }, [])).at(-1) ?? "";
      const ok = dashboard.includes(`\n  title: ${title}\n`);
      expect(ok, dashboard.slice(0, 300)).toBe(true);
      count("LookML dashboard YAML (titles)", ok);
    }
    expect(yamlString("Gc Ms - By os")).toBe("Gc Ms - By os");
    expect(yamlString("a: b #c")).toBe('"a: b #c"');
    expect(yamlQuoted("a\u2028b\u0085c\ud800")).toBe('"a\\u2028b\\u0085c\ufffd"');
    expect(lookmlString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\u000ad"');
  });
});

describe("names and values in the HTML site", () => {
  const libraries = { vega: "", vegaLite: "", vegaEmbed: "" };
  const HTML_NAMES = ['<img src=x onerror="alert(1)">', "</script><script>alert(1)</script>", "<!-- open", "a & b 'c' \"d\"", "\u202eevil"];

  it("escapes every value and name: nothing adds an element, the embedded JSON reads back whole", async () => {
    const graph = demo(await demoGraphs(), "gc-tuning-experiment");
    for (const [i, value] of [...VALUES, ...HTML_NAMES].entries()) {
      const results: ProjectResults = {
        graph: { ...graph, name: value, description: value },
        rows: [
          {
            submission_date: "2026-11-27",
            build_id: value,
            dims: { os: value },
            branch: "control",
            metric: "gc_ms",
            statistic: "mean",
            parameter: null,
            point: 1,
            lower: 0,
            upper: 2,
          },
        ],
        alerts: [
          {
            submission_date: "2026-11-27",
            build_id: value,
            dims: { os: value },
            metric: "gc_ms",
            statistic: "mean",
            parameter: null,
            branch: "control",
            message: value,
          },
        ],
        dimensions: [{ name: "os", title: value, default: value, options: [value] }],
        missing: value,
        queries: { [value]: value },
      };
      const html = projectPage(results, libraries);
      const json = /<script type="application\/json" id="opmon-data">(.*?)<\/script>/s.exec(html)?.[1] ?? "";
      const data = JSON.parse(json) as { rows: unknown[][]; alerts: { os: string; message: string }[] };
      const ok =
        (html.match(/<script/gi) ?? []).length === 5 &&
        (html.match(/<\/script/gi) ?? []).length === 5 &&
        !/<img|<!--/i.test(html) &&
        !/[<>\u2028\u2029]/.test(json) &&
        data.rows[0]?.at(-1) === value &&
        data.alerts[0]?.message === value &&
        html.includes(`<td>${escapeHtml(value)}</td>`);
      expect(ok, `${i}: ${JSON.stringify(value.slice(0, 40))}`).toBe(true);
      count("HTML site (names, titles, descriptions, dimension values)", ok);
    }
    const index = indexPage([{ graph: { ...graph, name: HTML_NAMES[0]! }, rows: [], alerts: [], dimensions: [] }]);
    expect(index).not.toContain("<img");
    expect(scriptJson({ a: "\u2028</script>" })).toBe('{"a":"\\u2028\\u003c/script\\u003e"}');
    expect(inlineScript('x="</SCRIPT>"')).toBe('x="<\\/SCRIPT>"');
    count("HTML site (names, titles, descriptions, dimension values)", true);
  });
});

describe("the site replaces the previous one whole", () => {
  const work = mkdtempSync(join(tmpdir(), "opmon-hostile-site-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const noRows = async () => [];
  const snapshot = (dir: string) => Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), "utf8")]));

  it("a write that fails part way leaves the previous site as it was, and nothing beside it", async () => {
    const graphs = await demoGraphs();
    const good = demo(graphs, "gc-tuning-experiment");
    const out = join(work, "site");
    await writeSite(noRows, [good], { out, generatedAt: "first" });
    const before = snapshot(out);
    // a page that cannot be written (its name holds a folder that does not exist) fails the write after the first page
    const broken = { ...demo(graphs, "desktop-nightly-health"), tableSlug: "no/such/folder" };
    const renamed = { ...good, name: "Renamed since" };
    await expect(writeSite(noRows, [renamed, broken], { out, generatedAt: "second" })).rejects.toThrow(/ENOENT/);
    const ok = JSON.stringify(snapshot(out)) === JSON.stringify(before) && readdirSync(work).length === 1;
    expect(ok, readdirSync(work).join(", ")).toBe(true);
    count("site writes (interrupted, replaced)", ok);
  });

  it("a new site drops the pages of projects gone, and never replaces a folder of other files", async () => {
    const graphs = await demoGraphs();
    const out = join(work, "site2");
    await writeSite(noRows, [demo(graphs, "gc-tuning-experiment"), demo(graphs, "desktop-nightly-health")], { out });
    const site = await writeSite(noRows, [demo(graphs, "gc-tuning-experiment")], { out });
    const replaced = readdirSync(out).sort().join(",") === ".opmon-site,gc_tuning_experiment.html,index.html" && existsSync(site.index);
    expect(replaced, readdirSync(out).join(",")).toBe(true);
    count("site writes (interrupted, replaced)", replaced);
    const mine = join(work, "mine");
    mkdirSync(mine);
    writeFileSync(join(mine, "notes.txt"), "keep me");
    await expect(writeSite(noRows, [demo(graphs, "gc-tuning-experiment")], { out: mine })).rejects.toThrow(SiteFolderError);
    const kept = readFileSync(join(mine, "notes.txt"), "utf8") === "keep me" && readdirSync(mine).length === 1;
    expect(kept).toBe(true);
    count("site writes (interrupted, replaced)", kept);
  });
});

describe("long and broken Unicode", () => {
  const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
  const INPUTS = ["🔥".repeat(500), `${"x".repeat(118)}🔥🔥🔥`, "\ud800lone high", "lone low\udc00", "👨‍👩‍👧".repeat(100)];

  it("is clipped on whole code points and never leaves half a surrogate pair in any output", async () => {
    const graph = demo(await demoGraphs(), "gc-tuning-experiment");
    for (const [i, value] of INPUTS.entries()) {
      const consoleLines = consoleSummary([hostileAlert(value, i)], ["2026-11-27"]);
      const blocks = slackPayload([hostileAlert(value, i)], ["2026-11-27"]).blocks as { text: { text: string } }[];
      const slack = blocks.map((b) => b.text.text).join("\n");
      const lookml = Object.values(lookmlFiles(graph, [{ name: "os", title: "OS", default: value, options: [value] }])).join("\n");
      // the input's own lone surrogates stay visible where text is copied (console, Slack); YAML replaces them
      const clipped = !LONE.test(value) ? !LONE.test(consoleLines.join("\n")) && !LONE.test(slack) : true;
      const ok = clipped && !LONE.test(lookml) && (consoleLines[1] ?? "").length < 800;
      expect(ok, `${i}`).toBe(true);
      count("long and broken Unicode (console, Slack, YAML)", ok);
    }
  });
});
