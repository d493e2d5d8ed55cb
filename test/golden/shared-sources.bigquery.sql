CREATE OR REPLACE TABLE `moz-fx-data-shared-prod.operational_monitoring_derived.opmon_shared_main_20261127_f336e5232e` OPTIONS(
  expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 1 DAY)
) AS
SELECT
  CAST(client_id AS STRING) AS client_id,
  SUM(
    payload.processes.parent.scalars.browser_engagement_active_ticks
  ) / 720 AS probe_0,
  ARRAY_AGG(
    mozfun.hist.extract (payload.histograms.gc_ms) IGNORE NULLS
  ) AS probe_1,
  ARRAY_AGG(
    mozfun.hist.extract (payload.histograms.cycle_collector) IGNORE NULLS
  ) AS probe_2,
  ARRAY_AGG(
    mozfun.hist.extract (payload.histograms.memory_total) IGNORE NULLS
  ) AS probe_3,
  SUM(
    payload.processes.parent.scalars.shutdown_hang_count
  ) AS probe_4
FROM
  mozdata.telemetry.main
WHERE
  DATE(DATE(submission_timestamp)) = DATE '2026-11-27'
GROUP BY
  1;

CREATE OR REPLACE TABLE `moz-fx-data-shared-prod.operational_monitoring_derived.opmon_shared_crash_20261127_8f44d14ae3` OPTIONS(
  expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 1 DAY)
) AS
SELECT
  CAST(client_id AS STRING) AS client_id,
  COUNTIF(
    payload.process_type = 'main'
    OR payload.process_type IS NULL
  ) AS probe_0,
  COUNTIF(payload.process_type = 'content') AS probe_1
FROM
  mozdata.telemetry.crash
WHERE
  DATE(DATE(submission_timestamp)) = DATE '2026-11-27'
GROUP BY
  1;
