-- metrics_part_0
CREATE OR REPLACE TABLE `moz-fx-data-shared-prod.operational_monitoring_derived.gc_tuning_experiment_v1_part_0_20261020` OPTIONS(
  expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 1 DAY)
) AS
WITH
  spam_clients AS (
    SELECT
      CAST(client_id AS STRING) AS spam_client_id,
      DATE(DATE(submission_timestamp)) AS spam_submission_date
    FROM
      mozdata.telemetry.main
    WHERE
      DATE(DATE(submission_timestamp)) = DATE '2026-10-20'
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
      CAST(client_id AS STRING) AS client_id,
      CAST(NULL AS INT64) AS build_id,
      CAST(environment.system.os.name AS STRING) AS os,
      mozfun.map.get_key (environment.experiments, 'gc-tuning-experiment').branch AS branch
    FROM
      mozdata.telemetry.main
      LEFT JOIN spam_clients ON spam_clients.spam_client_id = CAST(client_id AS STRING)
      AND spam_clients.spam_submission_date = DATE(DATE(submission_timestamp))
    WHERE
      DATE(DATE(submission_timestamp)) = DATE '2026-10-20'
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
      CAST(client_id AS STRING) AS client_id,
      SUM(
        payload.processes.parent.scalars.browser_engagement_active_ticks
      ) / 720 AS active_hours,
      ARRAY_AGG(
        mozfun.hist.extract (payload.histograms.gc_ms) IGNORE NULLS
      ) AS gc_ms
    FROM
      mozdata.telemetry.main
    WHERE
      DATE(DATE(submission_timestamp)) = DATE '2026-10-20'
      AND CAST(client_id AS STRING) IN (
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
CREATE OR REPLACE TABLE `moz-fx-data-shared-prod.operational_monitoring_derived.gc_tuning_experiment_v1_part_1_20261020` OPTIONS(
  expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 1 DAY)
) AS
WITH
  spam_clients AS (
    SELECT
      CAST(client_id AS STRING) AS spam_client_id,
      DATE(DATE(submission_timestamp)) AS spam_submission_date
    FROM
      mozdata.telemetry.main
    WHERE
      DATE(DATE(submission_timestamp)) = DATE '2026-10-20'
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
      CAST(client_id AS STRING) AS client_id,
      CAST(NULL AS INT64) AS build_id,
      CAST(environment.system.os.name AS STRING) AS os,
      mozfun.map.get_key (environment.experiments, 'gc-tuning-experiment').branch AS branch
    FROM
      mozdata.telemetry.main
      LEFT JOIN spam_clients ON spam_clients.spam_client_id = CAST(client_id AS STRING)
      AND spam_clients.spam_submission_date = DATE(DATE(submission_timestamp))
    WHERE
      DATE(DATE(submission_timestamp)) = DATE '2026-10-20'
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
      CAST(client_id AS STRING) AS client_id,
      ARRAY_AGG(
        mozfun.hist.extract (payload.histograms.cycle_collector) IGNORE NULLS
      ) AS cycle_collector,
      ARRAY_AGG(
        mozfun.hist.extract (payload.histograms.memory_total) IGNORE NULLS
      ) AS memory_total
    FROM
      mozdata.telemetry.main
    WHERE
      DATE(DATE(submission_timestamp)) = DATE '2026-10-20'
      AND CAST(client_id AS STRING) IN (
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
CREATE OR REPLACE TABLE `moz-fx-data-shared-prod.operational_monitoring_derived.gc_tuning_experiment_v1_part_2_20261020` OPTIONS(
  expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 1 DAY)
) AS
WITH
  spam_clients AS (
    SELECT
      CAST(client_id AS STRING) AS spam_client_id,
      DATE(DATE(submission_timestamp)) AS spam_submission_date
    FROM
      mozdata.telemetry.main
    WHERE
      DATE(DATE(submission_timestamp)) = DATE '2026-10-20'
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
      CAST(client_id AS STRING) AS client_id,
      CAST(NULL AS INT64) AS build_id,
      CAST(environment.system.os.name AS STRING) AS os,
      mozfun.map.get_key (environment.experiments, 'gc-tuning-experiment').branch AS branch
    FROM
      mozdata.telemetry.main
      LEFT JOIN spam_clients ON spam_clients.spam_client_id = CAST(client_id AS STRING)
      AND spam_clients.spam_submission_date = DATE(DATE(submission_timestamp))
    WHERE
      DATE(DATE(submission_timestamp)) = DATE '2026-10-20'
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
      CAST(client_id AS STRING) AS client_id,
      COUNTIF(
        payload.process_type = 'main'
        OR payload.process_type IS NULL
      ) AS main_crashes
    FROM
      mozdata.telemetry.crash
    WHERE
      DATE(DATE(submission_timestamp)) = DATE '2026-10-20'
      AND CAST(client_id AS STRING) IN (
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

-- metrics -> `moz-fx-data-shared-prod.operational_monitoring_derived.gc_tuning_experiment_v1` (2026-10-20)
SELECT
  _0.*,
  _1.* EXCEPT (submission_date, client_id, build_id, os, branch),
  _2.* EXCEPT (submission_date, client_id, build_id, os, branch)
FROM
  `moz-fx-data-shared-prod.operational_monitoring_derived.gc_tuning_experiment_v1_part_0_20261020` AS _0
  INNER JOIN `moz-fx-data-shared-prod.operational_monitoring_derived.gc_tuning_experiment_v1_part_1_20261020` AS _1 ON _0.submission_date IS NOT DISTINCT FROM _1.submission_date
  AND _0.client_id IS NOT DISTINCT FROM _1.client_id
  AND _0.build_id IS NOT DISTINCT FROM _1.build_id
  AND _0.os IS NOT DISTINCT FROM _1.os
  AND _0.branch IS NOT DISTINCT FROM _1.branch
  INNER JOIN `moz-fx-data-shared-prod.operational_monitoring_derived.gc_tuning_experiment_v1_part_2_20261020` AS _2 ON _0.submission_date IS NOT DISTINCT FROM _2.submission_date
  AND _0.client_id IS NOT DISTINCT FROM _2.client_id
  AND _0.build_id IS NOT DISTINCT FROM _2.build_id
  AND _0.os IS NOT DISTINCT FROM _2.os
  AND _0.branch IS NOT DISTINCT FROM _2.branch;

-- metrics_parts_cleanup
DROP TABLE IF EXISTS `moz-fx-data-shared-prod.operational_monitoring_derived.gc_tuning_experiment_v1_part_0_20261020`;

DROP TABLE IF EXISTS `moz-fx-data-shared-prod.operational_monitoring_derived.gc_tuning_experiment_v1_part_1_20261020`;

DROP TABLE IF EXISTS `moz-fx-data-shared-prod.operational_monitoring_derived.gc_tuning_experiment_v1_part_2_20261020`;
