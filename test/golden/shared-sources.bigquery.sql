CREATE OR REPLACE TABLE `moz-fx-data-shared-prod.operational_monitoring_derived.opmon_shared_spam_clients_main_20261127_a1ac7dcdf5` OPTIONS(
  expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 1 DAY)
) AS
SELECT
  CAST(client_id AS STRING) AS spam_client_id,
  DATE(DATE(submission_timestamp)) AS spam_submission_date
FROM
  mozdata.telemetry.main
WHERE
  DATE(DATE(submission_timestamp)) = DATE '2026-11-27'
  AND client_id IS NOT NULL
GROUP BY
  1,
  2
HAVING
  COUNT(*) > 10000;

CREATE OR REPLACE TABLE `moz-fx-data-shared-prod.operational_monitoring_derived.opmon_shared_population_main_20261127_771f30d577` OPTIONS(
  expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 1 DAY)
) AS
SELECT
  DATE '2026-11-27' AS submission_date,
  CAST(client_id AS STRING) AS client_id,
  CAST(NULL AS INT64) AS build_id,
  CAST(environment.system.os.name AS STRING) AS os,
  mozfun.map.get_key (environment.experiments, 'gc-tuning-experiment').branch AS branch
FROM
  mozdata.telemetry.main
  LEFT JOIN `moz-fx-data-shared-prod.operational_monitoring_derived.opmon_shared_spam_clients_main_20261127_a1ac7dcdf5` AS spam_clients ON spam_clients.spam_client_id = CAST(client_id AS STRING)
  AND spam_clients.spam_submission_date = DATE(DATE(submission_timestamp))
WHERE
  DATE(DATE(submission_timestamp)) = DATE '2026-11-27'
  AND spam_clients.spam_client_id IS NULL
GROUP BY
  1,
  2,
  3,
  4,
  5;

CREATE OR REPLACE TABLE `moz-fx-data-shared-prod.operational_monitoring_derived.opmon_shared_population_main_20261127_9d9cdd725d` OPTIONS(
  expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 1 DAY)
) AS
SELECT
  DATE '2026-11-27' AS submission_date,
  CAST(client_id AS STRING) AS client_id,
  CAST(NULL AS INT64) AS build_id,
  CAST(environment.system.os.name AS STRING) AS os,
  CAST(environment.system.cpu.cores AS STRING) AS cores,
  CASE
    WHEN SAFE_CAST(
      environment.settings.user_prefs.browser_tabs_unload_on_low_memory AS BOOL
    ) THEN 'enabled'
    WHEN NOT SAFE_CAST(
      environment.settings.user_prefs.browser_tabs_unload_on_low_memory AS BOOL
    ) THEN 'disabled'
  END AS branch
FROM
  mozdata.telemetry.main
  LEFT JOIN `moz-fx-data-shared-prod.operational_monitoring_derived.opmon_shared_spam_clients_main_20261127_a1ac7dcdf5` AS spam_clients ON spam_clients.spam_client_id = CAST(client_id AS STRING)
  AND spam_clients.spam_submission_date = DATE(DATE(submission_timestamp))
WHERE
  DATE(DATE(submission_timestamp)) = DATE '2026-11-27'
  AND spam_clients.spam_client_id IS NULL
  AND normalized_channel = 'release'
GROUP BY
  1,
  2,
  3,
  4,
  5,
  6;

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
  AND CAST(client_id AS STRING) IN (
    SELECT
      client_id
    FROM
      (
        WITH
          population AS (
            SELECT
              *
            FROM
              `moz-fx-data-shared-prod.operational_monitoring_derived.opmon_shared_population_main_20261127_771f30d577`
          )
        SELECT
          client_id
        FROM
          population
        WHERE
          population.branch IN ('control', 'treatment')
      ) AS population_0
    UNION ALL
    SELECT
      client_id
    FROM
      (
        WITH
          population AS (
            SELECT
              *
            FROM
              `moz-fx-data-shared-prod.operational_monitoring_derived.opmon_shared_population_main_20261127_9d9cdd725d`
          )
        SELECT
          client_id
        FROM
          population
        WHERE
          population.branch IN ('enabled', 'disabled')
      ) AS population_1
  )
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
  AND CAST(client_id AS STRING) IN (
    SELECT
      client_id
    FROM
      (
        WITH
          population AS (
            SELECT
              *
            FROM
              `moz-fx-data-shared-prod.operational_monitoring_derived.opmon_shared_population_main_20261127_771f30d577`
          )
        SELECT
          client_id
        FROM
          population
        WHERE
          population.branch IN ('control', 'treatment')
      ) AS population_0
    UNION ALL
    SELECT
      client_id
    FROM
      (
        WITH
          population AS (
            SELECT
              *
            FROM
              `moz-fx-data-shared-prod.operational_monitoring_derived.opmon_shared_population_main_20261127_9d9cdd725d`
          )
        SELECT
          client_id
        FROM
          population
        WHERE
          population.branch IN ('enabled', 'disabled')
      ) AS population_1
  )
GROUP BY
  1;
