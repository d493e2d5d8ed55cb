CREATE OR REPLACE TEMP TABLE opmon_shared_main_20261127_0d91d1d668 AS
SELECT
  CAST(client_id AS VARCHAR) AS client_id,
  SUM(
    payload.processes.parent.scalars.browser_engagement_active_ticks
  ) / 720 AS probe_0,
  list_filter(
    list(mozfun.hist.extract (payload.histograms.gc_ms)),
    lambda v: v IS NOT NULL
  ) AS probe_1,
  list_filter(
    list(
      mozfun.hist.extract (payload.histograms.cycle_collector)
    ),
    lambda v: v IS NOT NULL
  ) AS probe_2,
  list_filter(
    list(
      mozfun.hist.extract (payload.histograms.memory_total)
    ),
    lambda v: v IS NOT NULL
  ) AS probe_3,
  SUM(
    payload.processes.parent.scalars.shutdown_hang_count
  ) AS probe_4
FROM
  mozdata.telemetry.main
WHERE
  CAST(CAST(submission_timestamp AS DATE) AS DATE) = DATE '2026-11-27'
GROUP BY
  1;

CREATE OR REPLACE TEMP TABLE opmon_shared_crash_20261127_833c2e076a AS
SELECT
  CAST(client_id AS VARCHAR) AS client_id,
  count_if(
    payload.process_type = 'main'
    OR payload.process_type IS NULL
  ) AS probe_0,
  count_if(payload.process_type = 'content') AS probe_1
FROM
  mozdata.telemetry.crash
WHERE
  CAST(CAST(submission_timestamp AS DATE) AS DATE) = DATE '2026-11-27'
GROUP BY
  1;
