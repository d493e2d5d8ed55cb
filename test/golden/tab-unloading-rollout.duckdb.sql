-- metrics -> operational_monitoring_derived.tab_unloading_rollout_v1 (2026-10-20)
CREATE SCHEMA IF NOT EXISTS operational_monitoring_derived;

BEGIN TRANSACTION;

CREATE OR REPLACE TEMP TABLE opmon_staging_tab_unloading_rollout_v1 AS
WITH
  population AS (
    SELECT
      DATE '2026-10-20' AS submission_date,
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
    WHERE
      CAST(CAST(submission_timestamp AS DATE) AS DATE) = DATE '2026-10-20'
      AND normalized_channel = 'release'
    GROUP BY
      1,
      2,
      3,
      4,
      5,
      6
  ),
  metrics_main AS (
    SELECT
      opmon_population.opmon_submission_date AS submission_date,
      opmon_population.opmon_client_id AS client_id,
      opmon_population.opmon_build_id AS build_id,
      opmon_population.opmon_os AS os,
      opmon_population.opmon_cores AS cores,
      opmon_population.opmon_branch AS branch,
      SUM(
        payload.processes.parent.scalars.browser_engagement_active_ticks
      ) / 720 AS active_hours,
      list_filter(
        list(
          mozfun.hist.extract (payload.histograms.memory_total)
        ),
        lambda v: v IS NOT NULL
      ) AS memory_total,
      SUM(
        payload.processes.parent.scalars.shutdown_hang_count
      ) AS shutdown_hangs,
      COUNT(*) AS opmon_pings
    FROM
      mozdata.telemetry.main
      INNER JOIN (
        SELECT
          population.submission_date AS opmon_submission_date,
          population.client_id AS opmon_client_id,
          population.build_id AS opmon_build_id,
          population.os AS opmon_os,
          population.cores AS opmon_cores,
          population.branch AS opmon_branch
        FROM
          population
        WHERE
          population.branch IN ('enabled', 'disabled')
          AND population.client_id IS NOT NULL
      ) AS opmon_population ON opmon_population.opmon_client_id = CAST(client_id AS VARCHAR)
    WHERE
      CAST(CAST(submission_timestamp AS DATE) AS DATE) = DATE '2026-10-20'
    GROUP BY
      1,
      2,
      3,
      4,
      5,
      6
  ),
  metrics_crash AS (
    SELECT
      CAST(client_id AS VARCHAR) AS client_id,
      count_if(payload.process_type = 'content') AS content_crashes,
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
          population.branch IN ('enabled', 'disabled')
      )
    GROUP BY
      1
  )
SELECT
  metrics_main.submission_date AS submission_date,
  metrics_main.client_id AS client_id,
  metrics_main.build_id AS build_id,
  metrics_main.os AS os,
  metrics_main.cores AS cores,
  metrics_main.branch AS branch,
  metrics_main.active_hours AS active_hours,
  metrics_main.memory_total AS memory_total,
  metrics_crash.content_crashes AS content_crashes,
  metrics_crash.main_crashes AS main_crashes,
  metrics_main.shutdown_hangs AS shutdown_hangs
FROM
  metrics_main
  LEFT JOIN metrics_crash ON metrics_crash.client_id = metrics_main.client_id
WHERE
  metrics_main.opmon_pings <= 10000
UNION ALL
SELECT
  population.submission_date AS submission_date,
  population.client_id AS client_id,
  population.build_id AS build_id,
  population.os AS os,
  population.cores AS cores,
  population.branch AS branch,
  NULL AS active_hours,
  NULL AS memory_total,
  NULL AS content_crashes,
  NULL AS main_crashes,
  NULL AS shutdown_hangs
FROM
  population
WHERE
  population.branch IN ('enabled', 'disabled')
  AND population.client_id IS NULL;

CREATE TABLE IF NOT EXISTS operational_monitoring_derived.tab_unloading_rollout_v1 AS
SELECT
  *
FROM
  opmon_staging_tab_unloading_rollout_v1
LIMIT
  0;

DELETE FROM operational_monitoring_derived.tab_unloading_rollout_v1
WHERE
  submission_date = DATE '2026-10-20';

INSERT INTO
  operational_monitoring_derived.tab_unloading_rollout_v1 BY NAME
SELECT
  *
FROM
  opmon_staging_tab_unloading_rollout_v1;

DROP TABLE opmon_staging_tab_unloading_rollout_v1;

COMMIT;

-- metrics_view
CREATE SCHEMA IF NOT EXISTS operational_monitoring;

CREATE OR REPLACE VIEW operational_monitoring.tab_unloading_rollout AS
SELECT
  *
FROM
  operational_monitoring_derived.tab_unloading_rollout_v1;

-- statistics -> operational_monitoring_derived.tab_unloading_rollout_statistics_v2 (2026-10-20)
CREATE SCHEMA IF NOT EXISTS operational_monitoring_derived;

BEGIN TRANSACTION;

CREATE OR REPLACE TEMP TABLE opmon_staging_tab_unloading_rollout_statistics_v2 AS
WITH
  moments AS (
    SELECT
      submission_date,
      build_id,
      os,
      cores,
      branch,
      COUNT(CAST(metrics.active_hours AS DOUBLE)) AS n_active_hours,
      SUM(CAST(metrics.active_hours AS DOUBLE)) AS s_active_hours,
      SUM(
        CAST(metrics.active_hours AS DOUBLE) * CAST(metrics.active_hours AS DOUBLE)
      ) AS ss_active_hours,
      SUM(
        CAST(metrics.active_hours AS DOUBLE) * CAST(metrics.active_hours AS DOUBLE) * CAST(metrics.active_hours AS DOUBLE)
      ) AS s3_active_hours,
      SUM(
        CAST(metrics.active_hours AS DOUBLE) * CAST(metrics.active_hours AS DOUBLE) * CAST(metrics.active_hours AS DOUBLE) * CAST(metrics.active_hours AS DOUBLE)
      ) AS s4_active_hours,
      MIN(CAST(metrics.active_hours AS DOUBLE)) AS lo_active_hours,
      SUM(
        CASE
          WHEN CAST(metrics.active_hours AS DOUBLE) <> ROUND(CAST(metrics.active_hours AS DOUBLE)) THEN 1
          ELSE 0
        END
      ) AS fr_active_hours,
      COUNT(CAST(metrics.content_crashes AS DOUBLE)) AS n_content_crashes,
      SUM(CAST(metrics.content_crashes AS DOUBLE)) AS s_content_crashes,
      SUM(
        CAST(metrics.content_crashes AS DOUBLE) * CAST(metrics.content_crashes AS DOUBLE)
      ) AS ss_content_crashes,
      SUM(
        CAST(metrics.content_crashes AS DOUBLE) * CAST(metrics.content_crashes AS DOUBLE) * CAST(metrics.content_crashes AS DOUBLE)
      ) AS s3_content_crashes,
      SUM(
        CAST(metrics.content_crashes AS DOUBLE) * CAST(metrics.content_crashes AS DOUBLE) * CAST(metrics.content_crashes AS DOUBLE) * CAST(metrics.content_crashes AS DOUBLE)
      ) AS s4_content_crashes,
      MIN(CAST(metrics.content_crashes AS DOUBLE)) AS lo_content_crashes,
      SUM(
        CASE
          WHEN CAST(metrics.content_crashes AS DOUBLE) <> ROUND(CAST(metrics.content_crashes AS DOUBLE)) THEN 1
          ELSE 0
        END
      ) AS fr_content_crashes,
      COUNT(CAST(metrics.main_crashes AS DOUBLE)) AS n_main_crashes,
      SUM(CAST(metrics.main_crashes AS DOUBLE)) AS s_main_crashes,
      SUM(
        CAST(metrics.main_crashes AS DOUBLE) * CAST(metrics.main_crashes AS DOUBLE)
      ) AS ss_main_crashes,
      SUM(
        CAST(metrics.main_crashes AS DOUBLE) * CAST(metrics.main_crashes AS DOUBLE) * CAST(metrics.main_crashes AS DOUBLE)
      ) AS s3_main_crashes,
      SUM(
        CAST(metrics.main_crashes AS DOUBLE) * CAST(metrics.main_crashes AS DOUBLE) * CAST(metrics.main_crashes AS DOUBLE) * CAST(metrics.main_crashes AS DOUBLE)
      ) AS s4_main_crashes,
      MIN(CAST(metrics.main_crashes AS DOUBLE)) AS lo_main_crashes,
      SUM(
        CASE
          WHEN CAST(metrics.main_crashes AS DOUBLE) <> ROUND(CAST(metrics.main_crashes AS DOUBLE)) THEN 1
          ELSE 0
        END
      ) AS fr_main_crashes,
      COUNT(CAST(metrics.shutdown_hangs AS DOUBLE)) AS n_shutdown_hangs,
      SUM(CAST(metrics.shutdown_hangs AS DOUBLE)) AS s_shutdown_hangs,
      SUM(
        CAST(metrics.shutdown_hangs AS DOUBLE) * CAST(metrics.shutdown_hangs AS DOUBLE)
      ) AS ss_shutdown_hangs,
      SUM(
        CAST(metrics.shutdown_hangs AS DOUBLE) * CAST(metrics.shutdown_hangs AS DOUBLE) * CAST(metrics.shutdown_hangs AS DOUBLE)
      ) AS s3_shutdown_hangs,
      SUM(
        CAST(metrics.shutdown_hangs AS DOUBLE) * CAST(metrics.shutdown_hangs AS DOUBLE) * CAST(metrics.shutdown_hangs AS DOUBLE) * CAST(metrics.shutdown_hangs AS DOUBLE)
      ) AS s4_shutdown_hangs,
      MIN(CAST(metrics.shutdown_hangs AS DOUBLE)) AS lo_shutdown_hangs,
      SUM(
        CASE
          WHEN CAST(metrics.shutdown_hangs AS DOUBLE) <> ROUND(CAST(metrics.shutdown_hangs AS DOUBLE)) THEN 1
          ELSE 0
        END
      ) AS fr_shutdown_hangs
    FROM
      (
        SELECT
          *
        FROM
          operational_monitoring_derived.tab_unloading_rollout_v1
        WHERE
          submission_date = DATE '2026-10-20'
      ) AS metrics
    GROUP BY
      submission_date,
      build_id,
      os,
      cores,
      branch
  ),
  moments_long AS (
    SELECT
      submission_date,
      build_id,
      os,
      cores,
      branch,
      'active_hours' AS metric,
      n_active_hours AS n,
      s_active_hours AS s,
      ss_active_hours AS ss,
      s3_active_hours AS s3,
      s4_active_hours AS s4,
      lo_active_hours AS lo,
      fr_active_hours AS fr
    FROM
      moments
    UNION ALL
    SELECT
      submission_date,
      build_id,
      os,
      cores,
      branch,
      'content_crashes' AS metric,
      n_content_crashes AS n,
      s_content_crashes AS s,
      ss_content_crashes AS ss,
      s3_content_crashes AS s3,
      s4_content_crashes AS s4,
      lo_content_crashes AS lo,
      fr_content_crashes AS fr
    FROM
      moments
    UNION ALL
    SELECT
      submission_date,
      build_id,
      os,
      cores,
      branch,
      'main_crashes' AS metric,
      n_main_crashes AS n,
      s_main_crashes AS s,
      ss_main_crashes AS ss,
      s3_main_crashes AS s3,
      s4_main_crashes AS s4,
      lo_main_crashes AS lo,
      fr_main_crashes AS fr
    FROM
      moments
    UNION ALL
    SELECT
      submission_date,
      build_id,
      os,
      cores,
      branch,
      'shutdown_hangs' AS metric,
      n_shutdown_hangs AS n,
      s_shutdown_hangs AS s,
      ss_shutdown_hangs AS ss,
      s3_shutdown_hangs AS s3,
      s4_shutdown_hangs AS s4,
      lo_shutdown_hangs AS lo,
      fr_shutdown_hangs AS fr
    FROM
      moments
  ),
  memory_total_percentile_clients AS (
    SELECT
      submission_date,
      build_id,
      os,
      cores,
      branch,
      opmon_buckets,
      list_sum(
        list_transform(opmon_buckets, lambda item: item.value)
      ) AS opmon_total,
      ROW_NUMBER() OVER () AS opmon_client
    FROM
      (
        SELECT
          submission_date,
          build_id,
          os,
          cores,
          branch,
          flatten(
            list_transform(metrics.memory_total, lambda item: item.values)
          ) AS opmon_buckets
        FROM
          (
            SELECT
              *
            FROM
              operational_monitoring_derived.tab_unloading_rollout_v1
            WHERE
              submission_date = DATE '2026-10-20'
          ) AS metrics
      ) AS flattened
  ),
  memory_total_percentile_client_buckets AS (
    SELECT
      submission_date,
      build_id,
      os,
      cores,
      branch,
      opmon_client,
      opmon_bucket.key AS opmon_key,
      CAST(opmon_bucket.key AS DOUBLE) AS bucket,
      (opmon_bucket.value) / NULLIF(opmon_total, 0) AS weight,
      (opmon_bucket.value) / NULLIF(opmon_total * opmon_total, 0) AS opmon_share_var
    FROM
      (
        SELECT
          *,
          unnest(memory_total_percentile_clients.opmon_buckets) AS opmon_bucket
        FROM
          memory_total_percentile_clients
      ) AS unnested
    WHERE
      opmon_total > 0
      AND opmon_bucket.value IS NOT NULL
  ),
  memory_total_percentile_merged AS (
    SELECT
      submission_date,
      build_id,
      os,
      cores,
      branch,
      bucket,
      SUM(weight) AS weight
    FROM
      memory_total_percentile_client_buckets
    GROUP BY
      submission_date,
      build_id,
      os,
      cores,
      branch,
      opmon_key,
      bucket
  ),
  memory_total_percentile_cdf AS (
    SELECT
      submission_date,
      build_id,
      os,
      cores,
      branch,
      bucket,
      weight,
      SUM(weight) OVER (
        PARTITION BY
          submission_date,
          build_id,
          os,
          cores,
          branch
        ORDER BY
          bucket ROWS BETWEEN UNBOUNDED PRECEDING
          AND CURRENT ROW
      ) / SUM(weight) OVER (
        PARTITION BY
          submission_date,
          build_id,
          os,
          cores,
          branch
      ) AS cdf,
      weight / SUM(weight) OVER (
        PARTITION BY
          submission_date,
          build_id,
          os,
          cores,
          branch
      ) AS share,
      COALESCE(
        LEAD (bucket) OVER (
          PARTITION BY
            submission_date,
            build_id,
            os,
            cores,
            branch
          ORDER BY
            bucket
        ),
        bucket
      ) AS next_bucket,
      SUM(weight) OVER (
        PARTITION BY
          submission_date,
          build_id,
          os,
          cores,
          branch
      ) AS n
    FROM
      memory_total_percentile_merged
  ),
  memory_total_percentile_quantiles AS (
    SELECT
      submission_date,
      build_id,
      os,
      cores,
      branch,
      MIN(
        CASE
          WHEN weight > 0
          AND cdf >= 0.5 - 1e-9 THEN bucket
        END
      ) AS opmon_q0,
      MIN(
        CASE
          WHEN weight > 0
          AND cdf >= 0.5 - 1e-9
          AND cdf - share < 0.5 - 1e-9 THEN CASE
            WHEN (0.5 - (cdf - share)) / share < 0 THEN 0
            WHEN (0.5 - (cdf - share)) / share > 1 THEN 1
            ELSE (0.5 - (cdf - share)) / share
          END
        END
      ) AS opmon_t0,
      MIN(
        CASE
          WHEN weight > 0
          AND cdf >= 0.95 - 1e-9 THEN bucket
        END
      ) AS opmon_q1,
      MIN(
        CASE
          WHEN weight > 0
          AND cdf >= 0.95 - 1e-9
          AND cdf - share < 0.95 - 1e-9 THEN CASE
            WHEN (0.95 - (cdf - share)) / share < 0 THEN 0
            WHEN (0.95 - (cdf - share)) / share > 1 THEN 1
            ELSE (0.95 - (cdf - share)) / share
          END
        END
      ) AS opmon_t1
    FROM
      memory_total_percentile_cdf
    GROUP BY
      submission_date,
      build_id,
      os,
      cores,
      branch
  ),
  memory_total_percentile_per_client AS (
    SELECT
      b.submission_date AS submission_date,
      b.build_id AS build_id,
      b.os AS os,
      b.cores AS cores,
      b.branch AS branch,
      SUM(
        b.weight * CASE
          WHEN b.bucket < q.opmon_q0 THEN 1
          WHEN b.bucket = q.opmon_q0 THEN q.opmon_t0
          ELSE 0
        END
      ) AS opmon_f0,
      SUM(
        CASE
          WHEN b.bucket = q.opmon_q0 THEN b.opmon_share_var * q.opmon_t0 * (1 - q.opmon_t0)
          ELSE 0
        END
      ) AS opmon_v0,
      SUM(
        b.weight * CASE
          WHEN b.bucket < q.opmon_q1 THEN 1
          WHEN b.bucket = q.opmon_q1 THEN q.opmon_t1
          ELSE 0
        END
      ) AS opmon_f1,
      SUM(
        CASE
          WHEN b.bucket = q.opmon_q1 THEN b.opmon_share_var * q.opmon_t1 * (1 - q.opmon_t1)
          ELSE 0
        END
      ) AS opmon_v1
    FROM
      memory_total_percentile_client_buckets AS b
      INNER JOIN memory_total_percentile_quantiles AS q ON b.submission_date IS NOT DISTINCT FROM q.submission_date
      AND b.build_id IS NOT DISTINCT FROM q.build_id
      AND b.os IS NOT DISTINCT FROM q.os
      AND b.cores IS NOT DISTINCT FROM q.cores
      AND b.branch IS NOT DISTINCT FROM q.branch
    GROUP BY
      b.submission_date,
      b.build_id,
      b.os,
      b.cores,
      b.branch,
      b.opmon_client
  ),
  memory_total_percentile_half_width AS (
    SELECT
      submission_date,
      build_id,
      os,
      cores,
      branch,
      CASE
        WHEN COUNT(*) > 1 THEN (
          CASE
            WHEN (COUNT(*) - 1) = 1 THEN 12.70620473617134
            WHEN (COUNT(*) - 1) = 2 THEN 4.3026527297488535
            ELSE 1.9599639861205356 + 2.3722712352471986 / POWER((COUNT(*) - 1), 1) + 2.8224986248983392 / POWER((COUNT(*) - 1), 2) + 2.5558496909219754 / POWER((COUNT(*) - 1), 3) + 1.5895340628093702 / POWER((COUNT(*) - 1), 4)
          END
        ) * CASE
          WHEN (
            SUM(opmon_f0 * opmon_f0) - SUM(opmon_f0) * SUM(opmon_f0) / COUNT(*)
          ) / (COUNT(*) - 1) / COUNT(*) + SUM(opmon_v0) / COUNT(*) / COUNT(*) > 0 THEN SQRT(
            (
              SUM(opmon_f0 * opmon_f0) - SUM(opmon_f0) * SUM(opmon_f0) / COUNT(*)
            ) / (COUNT(*) - 1) / COUNT(*) + SUM(opmon_v0) / COUNT(*) / COUNT(*)
          )
          ELSE 0
        END
      END AS opmon_half0,
      CASE
        WHEN COUNT(*) > 1 THEN 0.25 / NULLIF(
          (
            SUM(opmon_f0 * opmon_f0) - SUM(opmon_f0) * SUM(opmon_f0) / COUNT(*)
          ) / (COUNT(*) - 1) / COUNT(*) + SUM(opmon_v0) / COUNT(*) / COUNT(*),
          0
        )
      END AS opmon_effective0,
      CASE
        WHEN COUNT(*) > 1 THEN (
          CASE
            WHEN (COUNT(*) - 1) = 1 THEN 12.70620473617134
            WHEN (COUNT(*) - 1) = 2 THEN 4.3026527297488535
            ELSE 1.9599639861205356 + 2.3722712352471986 / POWER((COUNT(*) - 1), 1) + 2.8224986248983392 / POWER((COUNT(*) - 1), 2) + 2.5558496909219754 / POWER((COUNT(*) - 1), 3) + 1.5895340628093702 / POWER((COUNT(*) - 1), 4)
          END
        ) * CASE
          WHEN (
            SUM(opmon_f1 * opmon_f1) - SUM(opmon_f1) * SUM(opmon_f1) / COUNT(*)
          ) / (COUNT(*) - 1) / COUNT(*) + SUM(opmon_v1) / COUNT(*) / COUNT(*) > 0 THEN SQRT(
            (
              SUM(opmon_f1 * opmon_f1) - SUM(opmon_f1) * SUM(opmon_f1) / COUNT(*)
            ) / (COUNT(*) - 1) / COUNT(*) + SUM(opmon_v1) / COUNT(*) / COUNT(*)
          )
          ELSE 0
        END
      END AS opmon_half1,
      CASE
        WHEN COUNT(*) > 1 THEN 0.04750000000000004 / NULLIF(
          (
            SUM(opmon_f1 * opmon_f1) - SUM(opmon_f1) * SUM(opmon_f1) / COUNT(*)
          ) / (COUNT(*) - 1) / COUNT(*) + SUM(opmon_v1) / COUNT(*) / COUNT(*),
          0
        )
      END AS opmon_effective1
    FROM
      memory_total_percentile_per_client
    GROUP BY
      submission_date,
      build_id,
      os,
      cores,
      branch
  ),
  memory_total_percentile_located AS (
    SELECT
      c.*,
      s.opmon_half0 AS opmon_half0,
      s.opmon_effective0 AS opmon_effective0,
      s.opmon_half1 AS opmon_half1,
      s.opmon_effective1 AS opmon_effective1
    FROM
      memory_total_percentile_cdf AS c
      LEFT JOIN memory_total_percentile_half_width AS s ON c.submission_date IS NOT DISTINCT FROM s.submission_date
      AND c.build_id IS NOT DISTINCT FROM s.build_id
      AND c.os IS NOT DISTINCT FROM s.os
      AND c.cores IS NOT DISTINCT FROM s.cores
      AND c.branch IS NOT DISTINCT FROM s.branch
  ),
  statistics_long AS (
    SELECT
      submission_date,
      build_id,
      os,
      cores,
      branch,
      metric AS metric,
      statistic AS statistic,
      CAST(NULL AS VARCHAR) AS parameter,
      CAST(0 AS DOUBLE) AS parameter_order,
      CAST(
        (
          CASE
            WHEN statistic = 'sum' THEN s
            ELSE s / n
          END
        ) AS DOUBLE
      ) AS point,
      CAST(
        CASE
          WHEN n < CASE
            WHEN is_count THEN 2
            ELSE 20
          END THEN NULL
          WHEN is_count THEN count_lower
          WHEN lo >= 0 THEN CASE
            WHEN (
              CASE
                WHEN hall_lower IS NULL
                OR poisson_lower IS NULL THEN NULL
                WHEN hall_lower <= poisson_lower THEN hall_lower
                ELSE poisson_lower
              END
            ) < (0) THEN (0)
            ELSE (
              CASE
                WHEN hall_lower IS NULL
                OR poisson_lower IS NULL THEN NULL
                WHEN hall_lower <= poisson_lower THEN hall_lower
                ELSE poisson_lower
              END
            )
          END
          ELSE hall_lower
        END AS DOUBLE
      ) AS lower,
      CAST(
        CASE
          WHEN n < CASE
            WHEN is_count THEN 2
            ELSE 20
          END THEN NULL
          WHEN is_count THEN poisson_upper
          WHEN lo >= 0 THEN CASE
            WHEN hall_upper IS NULL
            OR poisson_upper IS NULL THEN NULL
            WHEN hall_upper >= poisson_upper THEN hall_upper
            ELSE poisson_upper
          END
          ELSE hall_upper
        END AS DOUBLE
      ) AS upper,
      CAST(n AS BIGINT) AS clients,
      CAST(
        COALESCE(
          n < CASE
            WHEN is_count THEN 2
            ELSE 20
          END,
          TRUE
        ) AS BOOLEAN
      ) AS too_few_clients
    FROM
      (
        SELECT
          submission_date,
          build_id,
          os,
          cores,
          branch,
          metric,
          statistic,
          n,
          s,
          lo,
          is_count,
          (
            CASE
              WHEN statistic = 'sum' THEN n
              ELSE 1
            END
          ) * (
            (s / n) - (
              CASE
                WHEN skew = 0 THEN t - b
                ELSE (
                  SIGN(1 + 3 * a * (t - b)) * POWER(ABS(1 + 3 * a * (t - b)), 1.0 / 3) - 1
                ) / a
              END
            ) * se
          ) AS hall_lower,
          (
            CASE
              WHEN statistic = 'sum' THEN n
              ELSE 1
            END
          ) * (
            (s / n) - (
              CASE
                WHEN skew = 0 THEN - t - b
                ELSE (
                  SIGN(1 + 3 * a * (- t - b)) * POWER(ABS(1 + 3 * a * (- t - b)), 1.0 / 3) - 1
                ) / a
              END
            ) * se
          ) AS hall_upper,
          (
            phi * (
              CASE
                WHEN (s / phi) > 0 THEN CASE
                  WHEN (
                    1 - 1 / (9 * (s / phi)) + -1.9599639861202998 * SQRT(1 / (9 * (s / phi)))
                  ) > 0 THEN (s / phi) * POWER(
                    (
                      1 - 1 / (9 * (s / phi)) + -1.9599639861202998 * SQRT(1 / (9 * (s / phi)))
                    ),
                    3
                  )
                  ELSE 0
                END
                WHEN (s / phi) <= 0 THEN 0
              END
            )
          ) / (
            CASE
              WHEN statistic = 'sum' THEN 1
              ELSE n
            END
          ) AS poisson_lower,
          (
            phi * (
              CASE
                WHEN (s / phi + 1) > 0 THEN CASE
                  WHEN (
                    1 - 1 / (9 * (s / phi + 1)) + 1.9599639861205356 * SQRT(1 / (9 * (s / phi + 1)))
                  ) > 0 THEN (s / phi + 1) * POWER(
                    (
                      1 - 1 / (9 * (s / phi + 1)) + 1.9599639861205356 * SQRT(1 / (9 * (s / phi + 1)))
                    ),
                    3
                  )
                  ELSE 0
                END
                WHEN (s / phi + 1) <= 0 THEN 0
              END
            )
          ) / (
            CASE
              WHEN statistic = 'sum' THEN 1
              ELSE n
            END
          ) AS poisson_upper,
          (
            phi * (
              CASE
                WHEN (s / phi + 0.5) > 0 THEN CASE
                  WHEN (
                    1 - 1 / (9 * (s / phi + 0.5)) + -1.9599639861202998 * SQRT(1 / (9 * (s / phi + 0.5)))
                  ) > 0 THEN (s / phi + 0.5) * POWER(
                    (
                      1 - 1 / (9 * (s / phi + 0.5)) + -1.9599639861202998 * SQRT(1 / (9 * (s / phi + 0.5)))
                    ),
                    3
                  )
                  ELSE 0
                END
                WHEN (s / phi + 0.5) <= 0 THEN 0
              END
            )
          ) / (
            CASE
              WHEN statistic = 'sum' THEN 1
              ELSE n
            END
          ) AS count_lower
        FROM
          (
            SELECT
              *,
              (
                CASE
                  WHEN df = 1 THEN 12.70620473617134
                  WHEN df = 2 THEN 4.3026527297488535
                  ELSE 1.9599639861205356 + 2.3722712352471986 / POWER(df, 1) + 2.8224986248983392 / POWER(df, 2) + 2.5558496909219754 / POWER(df, 3) + 1.5895340628093702 / POWER(df, 4)
                END
              ) AS t,
              skew / (3 * SQRT(n)) AS a,
              skew / (6 * SQRT(n)) AS b
            FROM
              (
                SELECT
                  submission_date,
                  build_id,
                  os,
                  cores,
                  branch,
                  metric,
                  statistic,
                  n,
                  s,
                  lo,
                  lo >= 0
                  AND fr = 0
                  AND (
                    CASE
                      WHEN n > 1 THEN CASE
                        WHEN ((ss - s * s / n) / (n - 1)) < (0) THEN (0)
                        ELSE ((ss - s * s / n) / (n - 1))
                      END
                    END
                  ) <= 2 * s / n AS is_count,
                  CASE
                    WHEN n > 1 THEN SQRT(
                      CASE
                        WHEN ((ss - s * s / n) / (n - 1)) < (0) THEN (0)
                        ELSE ((ss - s * s / n) / (n - 1))
                      END / n
                    )
                  END AS se,
                  CASE
                    WHEN n > 2
                    AND ((ss - s * s / n) / n) > 0 THEN (
                      s3 / n - 3 * (s / n) * ss / n + 2 * POWER((s / n), 3)
                    ) / POWER(((ss - s * s / n) / n), 1.5) * SQRT(n * (n - 1)) / (n - 2)
                    ELSE 0
                  END AS skew,
                  CASE
                    WHEN n < 2 THEN NULL
                    WHEN NOT ((ss - s * s / n) / n) > 0
                    OR (
                      (
                        s4 / n - 4 * (s / n) * s3 / n + 6 * POWER((s / n), 2) * ss / n - 3 * POWER((s / n), 4)
                      ) / (((ss - s * s / n) / n) * ((ss - s * s / n) / n)) - 1
                    ) * (n - 1) <= n THEN n - 1
                    WHEN (
                      s4 / n - 4 * (s / n) * s3 / n + 6 * POWER((s / n), 2) * ss / n - 3 * POWER((s / n), 4)
                    ) / (((ss - s * s / n) / n) * ((ss - s * s / n) / n)) - 1 >= n THEN 1
                    ELSE FLOOR(
                      n / (
                        (
                          s4 / n - 4 * (s / n) * s3 / n + 6 * POWER((s / n), 2) * ss / n - 3 * POWER((s / n), 4)
                        ) / (((ss - s * s / n) / n) * ((ss - s * s / n) / n)) - 1
                      )
                    )
                  END AS df,
                  (
                    CASE
                      WHEN (s) > 0
                      AND (
                        (
                          CASE
                            WHEN statistic = 'sum' THEN ss
                            ELSE n * (
                              CASE
                                WHEN n > 1 THEN CASE
                                  WHEN ((ss - s * s / n) / (n - 1)) < (0) THEN (0)
                                  ELSE ((ss - s * s / n) / (n - 1))
                                END
                              END
                            )
                          END
                        )
                      ) > 0 THEN (
                        (
                          CASE
                            WHEN statistic = 'sum' THEN ss
                            ELSE n * (
                              CASE
                                WHEN n > 1 THEN CASE
                                  WHEN ((ss - s * s / n) / (n - 1)) < (0) THEN (0)
                                  ELSE ((ss - s * s / n) / (n - 1))
                                END
                              END
                            )
                          END
                        )
                      ) / (s)
                      ELSE 1
                    END
                  ) AS phi
                FROM
                  (
                    SELECT
                      submission_date,
                      build_id,
                      os,
                      cores,
                      branch,
                      metric,
                      'sum' AS statistic,
                      n,
                      s,
                      ss,
                      s3,
                      s4,
                      lo,
                      fr
                    FROM
                      moments_long
                    WHERE
                      metric IN (
                        'content_crashes',
                        'main_crashes',
                        'shutdown_hangs'
                      )
                    UNION ALL
                    SELECT
                      submission_date,
                      build_id,
                      os,
                      cores,
                      branch,
                      metric,
                      'mean' AS statistic,
                      n,
                      s,
                      ss,
                      s3,
                      s4,
                      lo,
                      fr
                    FROM
                      moments_long
                    WHERE
                      metric IN ('active_hours', 'shutdown_hangs')
                  ) AS moments
              ) AS terms
          ) AS steps
      ) AS bounds
    UNION ALL
    (
      SELECT
        submission_date,
        build_id,
        os,
        cores,
        branch,
        'memory_total' AS metric,
        'percentile' AS statistic,
        '50' AS parameter,
        CAST(50 AS DOUBLE) AS parameter_order,
        CAST(
          MIN(
            CASE
              WHEN weight > 0
              AND cdf >= 0.5 - 1e-9 THEN bucket + CASE
                WHEN (0.5 - (cdf - share)) / share < 0 THEN 0
                WHEN (0.5 - (cdf - share)) / share > 1 THEN 1
                ELSE (0.5 - (cdf - share)) / share
              END * (next_bucket - bucket)
            END
          ) AS DOUBLE
        ) AS point,
        CAST(
          CASE
            WHEN COALESCE(MAX(opmon_effective0) >= 6, TRUE)
            AND (0.5 - MAX(opmon_half0)) > 0 THEN MIN(
              CASE
                WHEN weight > 0
                AND cdf >= (0.5 - opmon_half0) - 1e-9 THEN bucket + CASE
                  WHEN ((0.5 - opmon_half0) - (cdf - share)) / share < 0 THEN 0
                  WHEN ((0.5 - opmon_half0) - (cdf - share)) / share > 1 THEN 1
                  ELSE ((0.5 - opmon_half0) - (cdf - share)) / share
                END * (next_bucket - bucket)
              END
            )
          END AS DOUBLE
        ) AS lower,
        CAST(
          CASE
            WHEN COALESCE(MAX(opmon_effective0) >= 6, TRUE)
            AND (0.5 + MAX(opmon_half0)) < 1 THEN MIN(
              CASE
                WHEN weight > 0
                AND cdf >= (0.5 + opmon_half0) - 1e-9 THEN bucket + CASE
                  WHEN ((0.5 + opmon_half0) - (cdf - share)) / share < 0 THEN 0
                  WHEN ((0.5 + opmon_half0) - (cdf - share)) / share > 1 THEN 1
                  ELSE ((0.5 + opmon_half0) - (cdf - share)) / share
                END * (next_bucket - bucket)
              END
            )
          END AS DOUBLE
        ) AS upper,
        CAST(ROUND(MAX(n)) AS BIGINT) AS clients,
        CAST(
          COALESCE(
            NOT (
              COALESCE(MAX(opmon_effective0) >= 6, TRUE)
              AND (0.5 - MAX(opmon_half0)) > 0
              AND (0.5 + MAX(opmon_half0)) < 1
            ),
            TRUE
          ) AS BOOLEAN
        ) AS too_few_clients
      FROM
        memory_total_percentile_located
      GROUP BY
        submission_date,
        build_id,
        os,
        cores,
        branch
      UNION ALL
      SELECT
        submission_date,
        build_id,
        os,
        cores,
        branch,
        'memory_total' AS metric,
        'percentile' AS statistic,
        '95' AS parameter,
        CAST(95 AS DOUBLE) AS parameter_order,
        CAST(
          MIN(
            CASE
              WHEN weight > 0
              AND cdf >= 0.95 - 1e-9 THEN bucket + CASE
                WHEN (0.95 - (cdf - share)) / share < 0 THEN 0
                WHEN (0.95 - (cdf - share)) / share > 1 THEN 1
                ELSE (0.95 - (cdf - share)) / share
              END * (next_bucket - bucket)
            END
          ) AS DOUBLE
        ) AS point,
        CAST(
          CASE
            WHEN COALESCE(MAX(opmon_effective1) >= 72, TRUE)
            AND (0.95 - MAX(opmon_half1)) > 0 THEN MIN(
              CASE
                WHEN weight > 0
                AND cdf >= (0.95 - opmon_half1) - 1e-9 THEN bucket + CASE
                  WHEN ((0.95 - opmon_half1) - (cdf - share)) / share < 0 THEN 0
                  WHEN ((0.95 - opmon_half1) - (cdf - share)) / share > 1 THEN 1
                  ELSE ((0.95 - opmon_half1) - (cdf - share)) / share
                END * (next_bucket - bucket)
              END
            )
          END AS DOUBLE
        ) AS lower,
        CAST(
          CASE
            WHEN COALESCE(MAX(opmon_effective1) >= 72, TRUE)
            AND (0.95 + MAX(opmon_half1)) < 1 THEN MIN(
              CASE
                WHEN weight > 0
                AND cdf >= (0.95 + opmon_half1) - 1e-9 THEN bucket + CASE
                  WHEN ((0.95 + opmon_half1) - (cdf - share)) / share < 0 THEN 0
                  WHEN ((0.95 + opmon_half1) - (cdf - share)) / share > 1 THEN 1
                  ELSE ((0.95 + opmon_half1) - (cdf - share)) / share
                END * (next_bucket - bucket)
              END
            )
          END AS DOUBLE
        ) AS upper,
        CAST(ROUND(MAX(n)) AS BIGINT) AS clients,
        CAST(
          COALESCE(
            NOT (
              COALESCE(MAX(opmon_effective1) >= 72, TRUE)
              AND (0.95 - MAX(opmon_half1)) > 0
              AND (0.95 + MAX(opmon_half1)) < 1
            ),
            TRUE
          ) AS BOOLEAN
        ) AS too_few_clients
      FROM
        memory_total_percentile_located
      GROUP BY
        submission_date,
        build_id,
        os,
        cores,
        branch
    )
  ),
  statistics_summaries AS (
    SELECT
      submission_date,
      build_id,
      os,
      cores,
      branch,
      metric,
      statistic,
      list(
        struct_pack(
          metric := metric,
          statistic := statistic,
          point := point,
          lower := lower,
          upper := upper,
          parameter := parameter,
          clients := clients,
          too_few_clients := too_few_clients
        )
        ORDER BY
          parameter_order
      ) AS summary
    FROM
      statistics_long
    GROUP BY
      1,
      2,
      3,
      4,
      5,
      6,
      7
  )
SELECT
  submission_date,
  build_id,
  os,
  cores,
  branch,
  any_value(summary) FILTER(
    WHERE
      metric = 'active_hours'
      AND statistic = 'mean'
  ) AS active_hours_mean,
  any_value(summary) FILTER(
    WHERE
      metric = 'memory_total'
      AND statistic = 'percentile'
  ) AS memory_total_percentile,
  any_value(summary) FILTER(
    WHERE
      metric = 'content_crashes'
      AND statistic = 'sum'
  ) AS content_crashes_sum,
  any_value(summary) FILTER(
    WHERE
      metric = 'main_crashes'
      AND statistic = 'sum'
  ) AS main_crashes_sum,
  any_value(summary) FILTER(
    WHERE
      metric = 'shutdown_hangs'
      AND statistic = 'sum'
  ) AS shutdown_hangs_sum,
  any_value(summary) FILTER(
    WHERE
      metric = 'shutdown_hangs'
      AND statistic = 'mean'
  ) AS shutdown_hangs_mean
FROM
  statistics_summaries
GROUP BY
  1,
  2,
  3,
  4,
  5;

CREATE TABLE IF NOT EXISTS operational_monitoring_derived.tab_unloading_rollout_statistics_v2 AS
SELECT
  *
FROM
  opmon_staging_tab_unloading_rollout_statistics_v2
LIMIT
  0;

DELETE FROM operational_monitoring_derived.tab_unloading_rollout_statistics_v2
WHERE
  submission_date = DATE '2026-10-20';

INSERT INTO
  operational_monitoring_derived.tab_unloading_rollout_statistics_v2 BY NAME
SELECT
  *
FROM
  opmon_staging_tab_unloading_rollout_statistics_v2;

DROP TABLE opmon_staging_tab_unloading_rollout_statistics_v2;

COMMIT;

-- statistics_view
CREATE SCHEMA IF NOT EXISTS operational_monitoring;

CREATE OR REPLACE VIEW operational_monitoring.tab_unloading_rollout_statistics AS
WITH
  stats AS (
    SELECT
      *
    FROM
      operational_monitoring_derived.tab_unloading_rollout_statistics_v2
  )
SELECT
  unnested.submission_date AS submission_date,
  CAST(unnested.submission_date AS TIMESTAMP) AS submission_timestamp,
  unnested.build_id AS build_id,
  unnested.os AS os,
  unnested.cores AS cores,
  unnested.branch AS branch,
  unnested.statistic.metric AS metric,
  unnested.statistic.statistic AS statistic,
  unnested.statistic.point AS point,
  unnested.statistic.lower AS lower,
  unnested.statistic.upper AS upper,
  TRY_CAST (unnested.statistic.parameter AS DOUBLE) AS parameter,
  unnested.statistic.clients AS clients,
  unnested.statistic.too_few_clients AS too_few_clients
FROM
  (
    SELECT
      *,
      unnest(
        flatten(
          [
            stats.active_hours_mean,
            stats.memory_total_percentile,
            stats.content_crashes_sum,
            stats.main_crashes_sum,
            stats.shutdown_hangs_sum,
            stats.shutdown_hangs_mean
          ]
        )
      ) AS statistic
    FROM
      stats
  ) AS unnested;

-- comparisons -> operational_monitoring_derived.tab_unloading_rollout_comparisons_v1 (2026-10-20)
CREATE SCHEMA IF NOT EXISTS operational_monitoring_derived;

BEGIN TRANSACTION;

CREATE OR REPLACE TEMP TABLE opmon_staging_tab_unloading_rollout_comparisons_v1 AS
WITH
  own AS (
    SELECT
      unnested.submission_date AS submission_date,
      CAST(unnested.submission_date AS TIMESTAMP) AS submission_timestamp,
      unnested.build_id AS build_id,
      unnested.os AS os,
      unnested.cores AS cores,
      unnested.branch AS branch,
      unnested.statistic.metric AS metric,
      unnested.statistic.statistic AS statistic,
      unnested.statistic.point AS point,
      unnested.statistic.lower AS lower,
      unnested.statistic.upper AS upper,
      TRY_CAST (unnested.statistic.parameter AS DOUBLE) AS parameter,
      unnested.statistic.clients AS clients,
      unnested.statistic.too_few_clients AS too_few_clients
    FROM
      (
        SELECT
          *,
          unnest(
            flatten(
              [
                stats.active_hours_mean,
                stats.memory_total_percentile,
                stats.content_crashes_sum,
                stats.main_crashes_sum,
                stats.shutdown_hangs_sum,
                stats.shutdown_hangs_mean
              ]
            )
          ) AS statistic
        FROM
          operational_monitoring_derived.tab_unloading_rollout_statistics_v2 AS stats
        WHERE
          stats.submission_date = DATE '2026-10-20'
      ) AS unnested
  )
SELECT
  v.submission_date AS submission_date,
  v.build_id AS build_id,
  v.os AS os,
  v.cores AS cores,
  v.branch AS branch,
  ref.branch AS reference_branch,
  v.metric AS metric,
  v.statistic AS statistic,
  v.parameter AS parameter,
  comparison AS comparison,
  CASE comparison
    WHEN 'difference' THEN v.point - ref.point
    WHEN 'relative_difference' THEN v.point / NULLIF(ref.point, 0) - 1
  END AS point,
  CASE comparison
    WHEN 'difference' THEN v.point - ref.point - SQRT(
      POWER(v.point - v.lower, 2) + POWER(ref.upper - ref.point, 2)
    )
    WHEN 'relative_difference' THEN CASE
      WHEN ref.lower > 0 THEN (
        v.point * ref.point - SQRT(
          CASE
            WHEN (
              POWER(v.point * ref.point, 2) - v.lower * ref.upper * (2 * v.point - v.lower) * (2 * ref.point - ref.upper)
            ) < (0) THEN (0)
            ELSE (
              POWER(v.point * ref.point, 2) - v.lower * ref.upper * (2 * v.point - v.lower) * (2 * ref.point - ref.upper)
            )
          END
        )
      ) / NULLIF(ref.upper * (2 * ref.point - ref.upper), 0) - 1
    END
  END AS lower,
  CASE comparison
    WHEN 'difference' THEN v.point - ref.point + SQRT(
      POWER(v.upper - v.point, 2) + POWER(ref.point - ref.lower, 2)
    )
    WHEN 'relative_difference' THEN CASE
      WHEN ref.lower > 0 THEN (
        v.point * ref.point + SQRT(
          CASE
            WHEN (
              POWER(v.point * ref.point, 2) - v.upper * ref.lower * (2 * v.point - v.upper) * (2 * ref.point - ref.lower)
            ) < (0) THEN (0)
            ELSE (
              POWER(v.point * ref.point, 2) - v.upper * ref.lower * (2 * v.point - v.upper) * (2 * ref.point - ref.lower)
            )
          END
        )
      ) / NULLIF(ref.lower * (2 * ref.point - ref.lower), 0) - 1
    END
  END AS upper,
  CASE
    WHEN v.clients IS NULL
    OR ref.clients IS NULL THEN NULL
    WHEN v.clients <= ref.clients THEN v.clients
    ELSE ref.clients
  END AS clients,
  v.too_few_clients
  OR ref.too_few_clients AS too_few_clients
FROM
  own AS v
  INNER JOIN own AS ref ON ref.branch = 'disabled'
  AND v.branch != ref.branch
  AND v.build_id IS NOT DISTINCT FROM ref.build_id
  AND v.os IS NOT DISTINCT FROM ref.os
  AND v.cores IS NOT DISTINCT FROM ref.cores
  AND v.metric IS NOT DISTINCT FROM ref.metric
  AND v.statistic IS NOT DISTINCT FROM ref.statistic
  AND v.parameter IS NOT DISTINCT FROM ref.parameter
  CROSS JOIN UNNEST(['difference', 'relative_difference']) AS comparison_rows (comparison);

CREATE TABLE IF NOT EXISTS operational_monitoring_derived.tab_unloading_rollout_comparisons_v1 AS
SELECT
  *
FROM
  opmon_staging_tab_unloading_rollout_comparisons_v1
LIMIT
  0;

DELETE FROM operational_monitoring_derived.tab_unloading_rollout_comparisons_v1
WHERE
  submission_date = DATE '2026-10-20';

INSERT INTO
  operational_monitoring_derived.tab_unloading_rollout_comparisons_v1 BY NAME
SELECT
  *
FROM
  opmon_staging_tab_unloading_rollout_comparisons_v1;

DROP TABLE opmon_staging_tab_unloading_rollout_comparisons_v1;

COMMIT;

-- comparisons_view
CREATE SCHEMA IF NOT EXISTS operational_monitoring;

CREATE OR REPLACE VIEW operational_monitoring.tab_unloading_rollout_comparisons AS
SELECT
  *
FROM
  operational_monitoring_derived.tab_unloading_rollout_comparisons_v1;

-- alerts -> operational_monitoring_derived.tab_unloading_rollout_alerts_v2 (2026-10-20)
CREATE SCHEMA IF NOT EXISTS operational_monitoring_derived;

BEGIN TRANSACTION;

CREATE OR REPLACE TEMP TABLE opmon_staging_tab_unloading_rollout_alerts_v2 AS
WITH
  history AS (
    SELECT
      *
    FROM
      (
        SELECT
          unnested.submission_date AS submission_date,
          CAST(unnested.submission_date AS TIMESTAMP) AS submission_timestamp,
          unnested.build_id AS build_id,
          unnested.os AS os,
          unnested.cores AS cores,
          unnested.branch AS branch,
          unnested.statistic.metric AS metric,
          unnested.statistic.statistic AS statistic,
          unnested.statistic.point AS point,
          unnested.statistic.lower AS lower,
          unnested.statistic.upper AS upper,
          TRY_CAST (unnested.statistic.parameter AS DOUBLE) AS parameter,
          unnested.statistic.clients AS clients,
          unnested.statistic.too_few_clients AS too_few_clients
        FROM
          (
            SELECT
              *,
              unnest(
                flatten(
                  [
                    stats.active_hours_mean,
                    stats.memory_total_percentile,
                    stats.content_crashes_sum,
                    stats.main_crashes_sum,
                    stats.shutdown_hangs_sum,
                    stats.shutdown_hangs_mean
                  ]
                )
              ) AS statistic
            FROM
              operational_monitoring_derived.tab_unloading_rollout_statistics_v2 AS stats
          ) AS unnested
      ) AS source
  ),
  thresholds_0 AS (
    SELECT
      'main_crashes' AS metric,
      CAST(NULL AS DOUBLE) AS parameter,
      CAST(500 AS DOUBLE) AS max_value,
      CAST(NULL AS DOUBLE) AS min_value
    UNION ALL
    SELECT
      'content_crashes' AS metric,
      CAST(NULL AS DOUBLE) AS parameter,
      CAST(500 AS DOUBLE) AS max_value,
      CAST(NULL AS DOUBLE) AS min_value
  ),
  alert_0 AS (
    SELECT
      h.*,
      COALESCE(
        COALESCE(h.lower, h.point) > t.max_value
        OR COALESCE(h.upper, h.point) < t.min_value,
        FALSE
      ) AS hit,
      CASE
        WHEN COALESCE(h.lower, h.point) > t.max_value THEN 'Value above threshold'
        ELSE 'Value below threshold'
      END AS message,
      CAST(NULL AS VARCHAR) AS since
    FROM
      history AS h
      INNER JOIN thresholds_0 AS t ON h.metric = t.metric
      AND (
        t.parameter IS NULL
        OR h.parameter = t.parameter
      )
    WHERE
      h.metric IN ('main_crashes', 'content_crashes')
      AND h.submission_date = DATE '2026-10-20'
  ),
  alert_1 AS (
    SELECT
      h.*,
      COALESCE(
        h.upper < ref.lower
        OR h.lower > ref.upper,
        FALSE
      ) AS hit,
      'Significant difference between branches' AS message,
      CAST(NULL AS VARCHAR) AS since
    FROM
      history AS h
      INNER JOIN history AS ref ON ref.branch = 'disabled'
      AND h.branch != ref.branch
      AND h.submission_date IS NOT DISTINCT FROM ref.submission_date
      AND h.build_id IS NOT DISTINCT FROM ref.build_id
      AND h.os IS NOT DISTINCT FROM ref.os
      AND h.cores IS NOT DISTINCT FROM ref.cores
      AND h.metric IS NOT DISTINCT FROM ref.metric
      AND h.statistic IS NOT DISTINCT FROM ref.statistic
      AND h.parameter IS NOT DISTINCT FROM ref.parameter
    WHERE
      h.metric IN ('memory_total')
      AND h.submission_date = DATE '2026-10-20'
  )
SELECT
  DATE '2026-10-20' AS submission_date,
  h.build_id AS build_id,
  TRY_CAST (h.os AS VARCHAR) AS os,
  TRY_CAST (h.cores AS VARCHAR) AS cores,
  h.metric AS metric,
  h.statistic AS statistic,
  h.branch AS branch,
  h.parameter AS parameter,
  h.message AS message,
  'crash_ceiling' AS alert,
  'warning' AS severity,
  h.since AS since
FROM
  alert_0 AS h
WHERE
  h.submission_date = DATE '2026-10-20'
  AND h.hit
UNION ALL
SELECT
  DATE '2026-10-20' AS submission_date,
  h.build_id AS build_id,
  TRY_CAST (h.os AS VARCHAR) AS os,
  TRY_CAST (h.cores AS VARCHAR) AS cores,
  h.metric AS metric,
  h.statistic AS statistic,
  h.branch AS branch,
  h.parameter AS parameter,
  h.message AS message,
  'memory_vs_disabled' AS alert,
  'warning' AS severity,
  h.since AS since
FROM
  alert_1 AS h
WHERE
  h.submission_date = DATE '2026-10-20'
  AND h.hit;

CREATE TABLE IF NOT EXISTS operational_monitoring_derived.tab_unloading_rollout_alerts_v2 AS
SELECT
  *
FROM
  opmon_staging_tab_unloading_rollout_alerts_v2
LIMIT
  0;

DELETE FROM operational_monitoring_derived.tab_unloading_rollout_alerts_v2
WHERE
  submission_date = DATE '2026-10-20';

INSERT INTO
  operational_monitoring_derived.tab_unloading_rollout_alerts_v2 BY NAME
SELECT
  *
FROM
  opmon_staging_tab_unloading_rollout_alerts_v2;

DROP TABLE opmon_staging_tab_unloading_rollout_alerts_v2;

COMMIT;

-- alerts_view
CREATE SCHEMA IF NOT EXISTS operational_monitoring;

CREATE OR REPLACE VIEW operational_monitoring.tab_unloading_rollout_alerts AS
SELECT
  *
FROM
  operational_monitoring_derived.tab_unloading_rollout_alerts_v2;

-- projects
CREATE SCHEMA IF NOT EXISTS operational_monitoring_derived;

CREATE TABLE IF NOT EXISTS operational_monitoring_derived.projects_v1 (
  slug VARCHAR,
  name VARCHAR,
  xaxis VARCHAR,
  branches VARCHAR[],
  dimensions VARCHAR[],
  summaries STRUCT(statistic VARCHAR, metric VARCHAR, metric_groups VARCHAR[])[],
  start_date DATE,
  end_date DATE,
  group_by_dimension VARCHAR,
  alerting BOOLEAN,
  compact_visualization BOOLEAN,
  friendly_name VARCHAR
);

ALTER TABLE operational_monitoring_derived.projects_v1 ADD COLUMN IF NOT EXISTS friendly_name VARCHAR;

BEGIN TRANSACTION;

DELETE FROM operational_monitoring_derived.projects_v1
WHERE
  slug IN ('tab-unloading-rollout');

INSERT INTO
  operational_monitoring_derived.projects_v1 (
    slug,
    name,
    xaxis,
    branches,
    dimensions,
    summaries,
    start_date,
    end_date,
    group_by_dimension,
    alerting,
    compact_visualization,
    friendly_name
  )
VALUES
  (
    'tab-unloading-rollout',
    'Tab unloading rollout',
    'submission_date',
    ['enabled', 'disabled'],
    ['os', 'cores'],
    [
      struct_pack(
        statistic := 'mean',
        metric := 'active_hours',
        metric_groups := CAST([] AS VARCHAR[])
      ),
      struct_pack(
        statistic := 'percentile',
        metric := 'memory_total',
        metric_groups := CAST([] AS VARCHAR[])
      ),
      struct_pack(
        statistic := 'sum',
        metric := 'content_crashes',
        metric_groups := CAST([] AS VARCHAR[])
      ),
      struct_pack(
        statistic := 'sum',
        metric := 'main_crashes',
        metric_groups := CAST([] AS VARCHAR[])
      ),
      struct_pack(
        statistic := 'sum',
        metric := 'shutdown_hangs',
        metric_groups := CAST([] AS VARCHAR[])
      ),
      struct_pack(
        statistic := 'mean',
        metric := 'shutdown_hangs',
        metric_groups := CAST([] AS VARCHAR[])
      )
    ],
    DATE '2026-10-15',
    CAST(NULL AS DATE),
    CAST(NULL AS VARCHAR),
    TRUE,
    FALSE,
    'Tab unloading rollout'
  );

COMMIT;

CREATE SCHEMA IF NOT EXISTS operational_monitoring;

CREATE OR REPLACE VIEW operational_monitoring.projects AS
SELECT
  *
FROM
  operational_monitoring_derived.projects_v1;
