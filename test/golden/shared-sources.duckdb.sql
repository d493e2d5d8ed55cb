CREATE OR REPLACE TABLE opmon_scratch.opmon_shared_spam_clients_main_20261127_2fd22548a6 AS
SELECT
  CAST(client_id AS VARCHAR) AS spam_client_id,
  CAST(CAST(submission_timestamp AS DATE) AS DATE) AS spam_submission_date
FROM
  mozdata.telemetry.main
WHERE
  CAST(CAST(submission_timestamp AS DATE) AS DATE) = DATE '2026-11-27'
  AND client_id IS NOT NULL
GROUP BY
  1,
  2
HAVING
  COUNT(*) > 10000;

CREATE OR REPLACE TABLE opmon_scratch.opmon_shared_population_main_20261127_10a3109c0f AS
SELECT
  DATE '2026-11-27' AS submission_date,
  CAST(client_id AS VARCHAR) AS client_id,
  CAST(NULL AS BIGINT) AS build_id,
  CAST(environment.system.os.name AS VARCHAR) AS os,
  mozfun.map.get_key (environment.experiments, 'gc-tuning-experiment').branch AS branch
FROM
  mozdata.telemetry.main
  LEFT JOIN opmon_scratch.opmon_shared_spam_clients_main_20261127_2fd22548a6 AS spam_clients ON spam_clients.spam_client_id = CAST(client_id AS VARCHAR)
  AND spam_clients.spam_submission_date = CAST(CAST(submission_timestamp AS DATE) AS DATE)
WHERE
  CAST(CAST(submission_timestamp AS DATE) AS DATE) = DATE '2026-11-27'
  AND spam_clients.spam_client_id IS NULL
GROUP BY
  1,
  2,
  3,
  4,
  5;

CREATE OR REPLACE TABLE opmon_scratch.opmon_shared_population_main_20261127_f17f3208c5 AS
SELECT
  DATE '2026-11-27' AS submission_date,
  CAST(client_id AS VARCHAR) AS client_id,
  CAST(NULL AS BIGINT) AS build_id,
  CAST(environment.system.os.name AS VARCHAR) AS os,
  CAST(environment.system.cpu.cores AS VARCHAR) AS cores,
  CASE
    WHEN TRY_CAST (
      environment.settings.user_prefs.browser_tabs_unload_on_low_memory AS BOOLEAN
    ) THEN 'enabled'
    WHEN NOT TRY_CAST (
      environment.settings.user_prefs.browser_tabs_unload_on_low_memory AS BOOLEAN
    ) THEN 'disabled'
  END AS branch
FROM
  mozdata.telemetry.main
  LEFT JOIN opmon_scratch.opmon_shared_spam_clients_main_20261127_2fd22548a6 AS spam_clients ON spam_clients.spam_client_id = CAST(client_id AS VARCHAR)
  AND spam_clients.spam_submission_date = CAST(CAST(submission_timestamp AS DATE) AS DATE)
WHERE
  CAST(CAST(submission_timestamp AS DATE) AS DATE) = DATE '2026-11-27'
  AND spam_clients.spam_client_id IS NULL
  AND normalized_channel = 'release'
GROUP BY
  1,
  2,
  3,
  4,
  5,
  6;

CREATE OR REPLACE TABLE opmon_scratch.opmon_shared_main_20261127_0d91d1d668 AS
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
  AND CAST(client_id AS VARCHAR) IN (
    SELECT
      client_id
    FROM
      (
        WITH
          population AS (
            SELECT
              *
            FROM
              opmon_scratch.opmon_shared_population_main_20261127_10a3109c0f
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
              opmon_scratch.opmon_shared_population_main_20261127_f17f3208c5
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

CREATE OR REPLACE TABLE opmon_scratch.opmon_shared_crash_20261127_833c2e076a AS
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
  AND CAST(client_id AS VARCHAR) IN (
    SELECT
      client_id
    FROM
      (
        WITH
          population AS (
            SELECT
              *
            FROM
              opmon_scratch.opmon_shared_population_main_20261127_10a3109c0f
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
              opmon_scratch.opmon_shared_population_main_20261127_f17f3208c5
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
