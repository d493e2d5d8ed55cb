-- metrics_part_0
CREATE OR REPLACE TEMP TABLE gc_tuning_experiment_v1_part_0_20261020 AS
WITH
  spam_clients AS (
    SELECT
      CAST(client_id AS VARCHAR) AS spam_client_id,
      CAST(CAST(submission_timestamp AS DATE) AS DATE) AS spam_submission_date
    FROM
      mozdata.telemetry.main
    WHERE
      CAST(CAST(submission_timestamp AS DATE) AS DATE) = DATE '2026-10-20'
      AND client_id IS NOT NULL
    GROUP BY
      1,
      2
    HAVING
      COUNT(*) > 10000
  ),
  population AS (
    SELECT
      DATE '2026-10-20' AS submission_date,
      CAST(client_id AS VARCHAR) AS client_id,
      CAST(NULL AS BIGINT) AS build_id,
      CAST(environment.system.os.name AS VARCHAR) AS os,
      mozfun.map.get_key (environment.experiments, 'gc-tuning-experiment').branch AS branch
    FROM
      mozdata.telemetry.main
      LEFT JOIN spam_clients ON spam_clients.spam_client_id = CAST(client_id AS VARCHAR)
      AND spam_clients.spam_submission_date = CAST(CAST(submission_timestamp AS DATE) AS DATE)
    WHERE
      CAST(CAST(submission_timestamp AS DATE) AS DATE) = DATE '2026-10-20'
      AND spam_clients.spam_client_id IS NULL
    GROUP BY
      1,
      2,
      3,
      4,
      5
  ),
  metrics_main AS (
    SELECT
      CAST(client_id AS VARCHAR) AS client_id,
      SUM(
        payload.processes.parent.scalars.browser_engagement_active_ticks
      ) / 720 AS active_hours,
      list_filter(
        list(mozfun.hist.extract (payload.histograms.gc_ms)),
        lambda v: v IS NOT NULL
      ) AS gc_ms
    FROM
      mozdata.telemetry.main
    WHERE
      CAST(CAST(submission_timestamp AS DATE) AS DATE) = DATE '2026-10-20'
      AND CAST(client_id AS VARCHAR) IN (
        SELECT
          client_id
        FROM
          population
        WHERE
          population.branch IN ('control', 'treatment')
      )
    GROUP BY
      1
  )
SELECT
  population.submission_date AS submission_date,
  population.client_id AS client_id,
  population.build_id AS build_id,
  population.os AS os,
  population.branch AS branch,
  metrics_main.active_hours AS active_hours,
  metrics_main.gc_ms AS gc_ms
FROM
  population
  LEFT JOIN metrics_main ON metrics_main.client_id = population.client_id
WHERE
  population.branch IN ('control', 'treatment');

-- metrics_part_1
CREATE OR REPLACE TEMP TABLE gc_tuning_experiment_v1_part_1_20261020 AS
WITH
  spam_clients AS (
    SELECT
      CAST(client_id AS VARCHAR) AS spam_client_id,
      CAST(CAST(submission_timestamp AS DATE) AS DATE) AS spam_submission_date
    FROM
      mozdata.telemetry.main
    WHERE
      CAST(CAST(submission_timestamp AS DATE) AS DATE) = DATE '2026-10-20'
      AND client_id IS NOT NULL
    GROUP BY
      1,
      2
    HAVING
      COUNT(*) > 10000
  ),
  population AS (
    SELECT
      DATE '2026-10-20' AS submission_date,
      CAST(client_id AS VARCHAR) AS client_id,
      CAST(NULL AS BIGINT) AS build_id,
      CAST(environment.system.os.name AS VARCHAR) AS os,
      mozfun.map.get_key (environment.experiments, 'gc-tuning-experiment').branch AS branch
    FROM
      mozdata.telemetry.main
      LEFT JOIN spam_clients ON spam_clients.spam_client_id = CAST(client_id AS VARCHAR)
      AND spam_clients.spam_submission_date = CAST(CAST(submission_timestamp AS DATE) AS DATE)
    WHERE
      CAST(CAST(submission_timestamp AS DATE) AS DATE) = DATE '2026-10-20'
      AND spam_clients.spam_client_id IS NULL
    GROUP BY
      1,
      2,
      3,
      4,
      5
  ),
  metrics_main AS (
    SELECT
      CAST(client_id AS VARCHAR) AS client_id,
      list_filter(
        list(
          mozfun.hist.extract (payload.histograms.cycle_collector)
        ),
        lambda v: v IS NOT NULL
      ) AS cycle_collector,
      list_filter(
        list(
          mozfun.hist.extract (payload.histograms.memory_total)
        ),
        lambda v: v IS NOT NULL
      ) AS memory_total
    FROM
      mozdata.telemetry.main
    WHERE
      CAST(CAST(submission_timestamp AS DATE) AS DATE) = DATE '2026-10-20'
      AND CAST(client_id AS VARCHAR) IN (
        SELECT
          client_id
        FROM
          population
        WHERE
          population.branch IN ('control', 'treatment')
      )
    GROUP BY
      1
  )
SELECT
  population.submission_date AS submission_date,
  population.client_id AS client_id,
  population.build_id AS build_id,
  population.os AS os,
  population.branch AS branch,
  metrics_main.cycle_collector AS cycle_collector,
  metrics_main.memory_total AS memory_total
FROM
  population
  LEFT JOIN metrics_main ON metrics_main.client_id = population.client_id
WHERE
  population.branch IN ('control', 'treatment');

-- metrics_part_2
CREATE OR REPLACE TEMP TABLE gc_tuning_experiment_v1_part_2_20261020 AS
WITH
  spam_clients AS (
    SELECT
      CAST(client_id AS VARCHAR) AS spam_client_id,
      CAST(CAST(submission_timestamp AS DATE) AS DATE) AS spam_submission_date
    FROM
      mozdata.telemetry.main
    WHERE
      CAST(CAST(submission_timestamp AS DATE) AS DATE) = DATE '2026-10-20'
      AND client_id IS NOT NULL
    GROUP BY
      1,
      2
    HAVING
      COUNT(*) > 10000
  ),
  population AS (
    SELECT
      DATE '2026-10-20' AS submission_date,
      CAST(client_id AS VARCHAR) AS client_id,
      CAST(NULL AS BIGINT) AS build_id,
      CAST(environment.system.os.name AS VARCHAR) AS os,
      mozfun.map.get_key (environment.experiments, 'gc-tuning-experiment').branch AS branch
    FROM
      mozdata.telemetry.main
      LEFT JOIN spam_clients ON spam_clients.spam_client_id = CAST(client_id AS VARCHAR)
      AND spam_clients.spam_submission_date = CAST(CAST(submission_timestamp AS DATE) AS DATE)
    WHERE
      CAST(CAST(submission_timestamp AS DATE) AS DATE) = DATE '2026-10-20'
      AND spam_clients.spam_client_id IS NULL
    GROUP BY
      1,
      2,
      3,
      4,
      5
  ),
  metrics_crash AS (
    SELECT
      CAST(client_id AS VARCHAR) AS client_id,
      count_if(
        payload.process_type = 'main'
        OR payload.process_type IS NULL
      ) AS main_crashes
    FROM
      mozdata.telemetry.crash
    WHERE
      CAST(CAST(submission_timestamp AS DATE) AS DATE) = DATE '2026-10-20'
      AND CAST(client_id AS VARCHAR) IN (
        SELECT
          client_id
        FROM
          population
        WHERE
          population.branch IN ('control', 'treatment')
      )
    GROUP BY
      1
  )
SELECT
  population.submission_date AS submission_date,
  population.client_id AS client_id,
  population.build_id AS build_id,
  population.os AS os,
  population.branch AS branch,
  metrics_crash.main_crashes AS main_crashes
FROM
  population
  LEFT JOIN metrics_crash ON metrics_crash.client_id = population.client_id
WHERE
  population.branch IN ('control', 'treatment');

-- metrics -> operational_monitoring_derived.gc_tuning_experiment_v1 (2026-10-20)
CREATE SCHEMA IF NOT EXISTS operational_monitoring_derived;

BEGIN TRANSACTION;

CREATE OR REPLACE TEMP TABLE opmon_staging_gc_tuning_experiment_v1 AS
SELECT
  _0. *,
  _1. * EXCLUDE (submission_date, client_id, build_id, os, branch),
  _2. * EXCLUDE (submission_date, client_id, build_id, os, branch)
FROM
  gc_tuning_experiment_v1_part_0_20261020 AS _0
  INNER JOIN gc_tuning_experiment_v1_part_1_20261020 AS _1 ON _0.submission_date IS NOT DISTINCT FROM _1.submission_date
  AND _0.client_id IS NOT DISTINCT FROM _1.client_id
  AND _0.build_id IS NOT DISTINCT FROM _1.build_id
  AND _0.os IS NOT DISTINCT FROM _1.os
  AND _0.branch IS NOT DISTINCT FROM _1.branch
  INNER JOIN gc_tuning_experiment_v1_part_2_20261020 AS _2 ON _0.submission_date IS NOT DISTINCT FROM _2.submission_date
  AND _0.client_id IS NOT DISTINCT FROM _2.client_id
  AND _0.build_id IS NOT DISTINCT FROM _2.build_id
  AND _0.os IS NOT DISTINCT FROM _2.os
  AND _0.branch IS NOT DISTINCT FROM _2.branch;

CREATE TABLE IF NOT EXISTS operational_monitoring_derived.gc_tuning_experiment_v1 AS
SELECT
  *
FROM
  opmon_staging_gc_tuning_experiment_v1
LIMIT
  0;

DELETE FROM operational_monitoring_derived.gc_tuning_experiment_v1
WHERE
  submission_date = DATE '2026-10-20';

INSERT INTO
  operational_monitoring_derived.gc_tuning_experiment_v1 BY NAME
SELECT
  *
FROM
  opmon_staging_gc_tuning_experiment_v1;

DROP TABLE opmon_staging_gc_tuning_experiment_v1;

COMMIT;

-- metrics_parts_cleanup
DROP TABLE IF EXISTS gc_tuning_experiment_v1_part_0_20261020;

DROP TABLE IF EXISTS gc_tuning_experiment_v1_part_1_20261020;

DROP TABLE IF EXISTS gc_tuning_experiment_v1_part_2_20261020;
