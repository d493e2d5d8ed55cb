/**
 * Synthetic desktop telemetry for the demo platform (`definitions/firefox_desktop.ts`): a main ping
 * table and a crash ping table shaped like BigQuery's (`mozdata.telemetry.main`, `mozdata.telemetry.crash`),
 * with histograms as JSON strings and experiments as key/value structs. Deterministic for a seed.
 *
 * Injected effects, so the demo has something to find:
 * - `gc-tuning-experiment`: the treatment branch's GC pauses are 50% longer;
 * - `tab-unloading-rollout`: clients with the pref on use 15% less memory;
 * - Nightly builds from `regressionDate` on: first paint 30% slower, and the build of that day crashes
 *   ten times as often.
 */
export interface TelemetryOptions {
  readonly clients: number;
  /** First and last submission dates, `YYYY-MM-DD`, inclusive. */
  readonly startDate: string;
  readonly endDate: string;
  readonly seed?: number;
  /** Defaults to 7 days before `endDate`. */
  readonly regressionDate?: string;
}

/** Histograms of the demo main ping: log-normal samples (median, spread), or uniform integers. */
const HISTOGRAMS: readonly { readonly name: string; readonly median: number; readonly sigma: number }[] = [
  { name: "gc_ms", median: 20, sigma: 0.8 },
  { name: "gc_slice_during_idle", median: 40, sigma: 0.5 },
  { name: "cycle_collector", median: 8, sigma: 0.7 },
  { name: "memory_total", median: 1_500_000, sigma: 0.35 },
  { name: "content_process_count", median: 6, sigma: 0.25 },
  { name: "input_event_response_ms", median: 12, sigma: 0.9 },
];
const SAMPLES_PER_HISTOGRAM = 4;

const days = (start: string, end: string) => Math.round((Date.parse(end) - Date.parse(start)) / 86_400_000) + 1;
const shift = (date: string, by: number) => new Date(Date.parse(date) + by * 86_400_000).toISOString().slice(0, 10);

/**
 * The statements that (re)create the demo's source tables in the current catalog's `telemetry` schema.
 * @example for (const sql of syntheticTelemetrySql({ clients: 2000, startDate: "2026-11-01", endDate: "2026-11-27" })) await connection.run(sql);
 */
export function syntheticTelemetrySql(options: TelemetryOptions): string[] {
  const { clients, startDate, endDate, seed = 1 } = options;
  const regression = options.regressionDate ?? shift(endDate, -7);
  for (const [name, value] of [
    ["startDate", startDate],
    ["endDate", endDate],
    ["regressionDate", regression],
  ] as const) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))
      throw new RangeError(`${name} must be a YYYY-MM-DD date, got "${value}"`);
  }
  if (!Number.isInteger(clients) || clients < 1) throw new RangeError(`clients must be a whole number above 0, got ${clients}`);
  const n = days(startDate, endDate);
  if (n < 1) throw new RangeError(`endDate ${endDate} is before startDate ${startDate}`);
  // a uniform number in (0, 1) from the arguments: hashing keeps the data reproducible for a seed
  const u = (...parts: string[]) => `((hash(${seed}, ${parts.join(", ")}) % 1000000) + 0.5) / 1000000.0`;
  const normal = (...parts: string[]) => `(sqrt(-2 * ln(${u(...parts, "'a'")})) * cos(2 * pi() * ${u(...parts, "'b'")}))`;
  const histogram = ({ name, median, sigma }: (typeof HISTOGRAMS)[number]) => {
    const shiftBy =
      name === "gc_ms"
        ? "CASE WHEN p.gc_branch = 'treatment' THEN ln(1.5) ELSE 0 END"
        : name === "memory_total"
          ? "CASE WHEN p.unload_pref THEN ln(0.85) ELSE 0 END"
          : "0";
    const sample = `exp(ln(${median}) + ${shiftBy} + ${sigma} * ${normal("p.ping_id", `'${name}'`, "k")})`;
    // exponential buckets, eight per doubling as telemetry's finer histograms (0 below 1)
    const bucket = `CASE WHEN s < 1 THEN 0 ELSE CAST(round(pow(2, floor(8 * log2(s)) / 8)) AS BIGINT) END`;
    return `(SELECT '{"bucket_count":50,"histogram_type":0,"sum":' || CAST(round(sum(s)) AS BIGINT) || ',"range":[1,${Math.round(median * 100)}],"values":{' ||
        string_agg('"' || b || '":' || c, ',' ORDER BY b) || '}}'
      FROM (SELECT b, count(*) AS c, sum(s) AS s FROM (SELECT s, ${bucket} AS b FROM (SELECT ${sample} AS s FROM range(${SAMPLES_PER_HISTOGRAM}) AS ks(k))) GROUP BY b)) AS ${name}`;
  };
  const nightlyBuild = `strftime(p.day - CAST(floor(${u("p.ping_id", "'lag'")} * 3) AS INT), '%Y%m%d')`;
  return [
    "CREATE SCHEMA IF NOT EXISTS telemetry",
    `CREATE OR REPLACE TEMP TABLE opmon_demo_clients AS
      SELECT
        printf('%08x-demo-%06d', hash(${seed}, i) % 4294967296, i) AS client_id,
        CASE WHEN ${u("i", "'os'")} < 0.7 THEN 'Windows_NT' WHEN ${u("i", "'os'")} < 0.9 THEN 'Darwin' ELSE 'Linux' END AS os,
        CASE WHEN ${u("i", "'arch'")} < 0.8 THEN 'x86-64' ELSE 'aarch64' END AS arch,
        CAST(pow(2, 1 + floor(${u("i", "'cores'")} * 4)) AS INTEGER) AS cores,
        CASE WHEN ${u("i", "'channel'")} < 0.6 THEN 'release' WHEN ${u("i", "'channel'")} < 0.75 THEN 'beta' ELSE 'nightly' END AS channel,
        CASE WHEN ${u("i", "'gc'")} < 0.25 THEN 'control' WHEN ${u("i", "'gc'")} < 0.5 THEN 'treatment' END AS gc_branch,
        ${u("i", "'unload'")} < 0.5 AS unload_pref,
        ${u("i", "'active'")} AS activity
      FROM range(${clients}) AS c(i)`,
    `CREATE OR REPLACE TEMP TABLE opmon_demo_pings AS
      SELECT c.*, d.day, k.ping,
        hash(${seed}, c.client_id, d.day, k.ping) AS ping_id
      FROM opmon_demo_clients AS c
      CROSS JOIN (SELECT CAST(DATE '${startDate}' + CAST(i AS INTEGER) AS DATE) AS day FROM range(${n}) AS r(i)) AS d
      CROSS JOIN range(3) AS k(ping)
      WHERE ${u("c.client_id", "d.day", "'seen'")} < 0.5 + c.activity * 0.45
        AND k.ping < 1 + floor(${u("c.client_id", "d.day", "'pings'")} * 3)`,
    `CREATE OR REPLACE TEMP TABLE opmon_demo_builds AS
      SELECT p.ping_id,
        CASE p.channel
          WHEN 'nightly' THEN ${nightlyBuild} || '094512'
          WHEN 'beta' THEN '20261103120000'
          ELSE '20261020150000' END AS build_id
      FROM opmon_demo_pings AS p`,
    `CREATE OR REPLACE TABLE telemetry.main AS
      SELECT
        CAST(p.day AS TIMESTAMP) + to_seconds(CAST(floor(${u("p.ping_id", "'t'")} * 86399) AS BIGINT)) AS submission_timestamp,
        printf('%016x', p.ping_id) AS document_id,
        p.client_id,
        p.channel AS normalized_channel,
        p.os AS normalized_os,
        struct_pack(build_id := b.build_id, channel := p.channel, version := '146.0') AS application,
        struct_pack(
          system := struct_pack(os := struct_pack(name := p.os), cpu := struct_pack(cores := p.cores)),
          build := struct_pack(architecture := p.arch),
          settings := struct_pack(user_prefs := struct_pack(browser_tabs_unload_on_low_memory := CASE WHEN p.channel = 'release' THEN p.unload_pref END)),
          experiments := CASE WHEN p.gc_branch IS NULL THEN []
            ELSE [struct_pack(key := 'gc-tuning-experiment', value := struct_pack(branch := p.gc_branch))] END
        ) AS environment,
        struct_pack(
          histograms := struct_pack(${HISTOGRAMS.map((h) => `${h.name} := h.${h.name}`).join(", ")}),
          processes := struct_pack(parent := struct_pack(scalars := struct_pack(
            timestamps_first_paint := CAST(exp(ln(900) + 0.3 * ${normal("p.ping_id", "'paint'")}) *
              CASE WHEN p.channel = 'nightly' AND b.build_id >= '${regression.replaceAll("-", "")}' THEN 1.3 ELSE 1 END AS BIGINT),
            shutdown_hang_count := CAST(${u("p.ping_id", "'hang'")} < 0.01 AS BIGINT),
            browser_engagement_active_ticks := CAST(floor(${u("p.ping_id", "'ticks'")} * 4 * 720) AS BIGINT)
          )))
        ) AS payload
      FROM opmon_demo_pings AS p
      JOIN opmon_demo_builds AS b USING (ping_id)
      CROSS JOIN LATERAL (SELECT ${HISTOGRAMS.map(histogram).join(",\n        ")}) AS h
      ORDER BY submission_timestamp`,
    `CREATE OR REPLACE TABLE telemetry.crash AS
      SELECT
        m.submission_timestamp + INTERVAL 1 MINUTE AS submission_timestamp,
        m.client_id, m.normalized_channel, m.normalized_os, m.application, m.environment,
        struct_pack(process_type := t.process_type) AS payload
      FROM telemetry.main AS m
      CROSS JOIN (VALUES ('main', 0.004), ('content', 0.012), ('gpu', 0.002)) AS t(process_type, rate)
      WHERE ${u("m.document_id", "t.process_type")} <
        t.rate * CASE WHEN t.process_type = 'main' AND m.normalized_channel = 'nightly'
          AND m.application.build_id LIKE '${regression.replaceAll("-", "")}%' THEN 10 ELSE 1 END
      ORDER BY submission_timestamp`,
    "DROP TABLE opmon_demo_builds",
    "DROP TABLE opmon_demo_pings",
    "DROP TABLE opmon_demo_clients",
  ];
}
