-- metrics -> operational_monitoring_derived.desktop_nightly_health_v1 (2026-10-20)
CREATE SCHEMA IF NOT EXISTS operational_monitoring_derived;

BEGIN TRANSACTION;

CREATE OR REPLACE TEMP TABLE opmon_staging_desktop_nightly_health_v1 AS
WITH
  spam_clients AS (
    SELECT
      CAST(client_id AS VARCHAR) AS spam_client_id,
      CAST(CAST(submission_timestamp AS DATE) AS DATE) AS spam_submission_date
    FROM
      mozdata.telemetry.main
    WHERE
      CAST(CAST(submission_timestamp AS DATE) AS DATE) BETWEEN CAST(DATE '2026-10-20' - INTERVAL 14 DAY AS DATE) AND DATE '2026-10-20'
      AND client_id IS NOT NULL
    GROUP BY
      1,
      2
    HAVING
      COUNT(*) > 10000
  ),
  population AS (
    SELECT
      CAST(CAST(submission_timestamp AS DATE) AS DATE) AS submission_date,
      CAST(client_id AS VARCHAR) AS client_id,
      CAST(
        TRY (substr(application.build_id, 1, 8)) AS VARCHAR
      ) AS build_id,
      CAST(environment.system.os.name AS VARCHAR) AS os,
      CAST(environment.build.architecture AS VARCHAR) AS arch,
      'active' AS branch
    FROM
      mozdata.telemetry.main
      LEFT JOIN spam_clients ON spam_clients.spam_client_id = CAST(client_id AS VARCHAR)
      AND spam_clients.spam_submission_date = CAST(CAST(submission_timestamp AS DATE) AS DATE)
    WHERE
      CAST(CAST(submission_timestamp AS DATE) AS DATE) BETWEEN CAST(DATE '2026-10-20' - INTERVAL 14 DAY AS DATE) AND DATE '2026-10-20'
      AND spam_clients.spam_client_id IS NULL
      AND normalized_channel = 'nightly'
      AND CAST(
        TRY_STRPTIME(
          CAST(
            CAST(
              TRY (substr(application.build_id, 1, 8)) AS VARCHAR
            ) AS VARCHAR
          ),
          '%Y%m%d'
        ) AS DATE
      ) >= CAST(DATE '2026-10-20' - INTERVAL 14 DAY AS DATE)
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
      CAST(client_id AS VARCHAR) AS client_id,
      CAST(
        TRY (substr(application.build_id, 1, 8)) AS VARCHAR
      ) AS build_id,
      CAST(CAST(submission_timestamp AS DATE) AS DATE) AS submission_date,
      CAST(environment.system.os.name AS VARCHAR) AS os,
      list_filter(
        list(mozfun.hist.extract (payload.histograms.gc_ms)),
        lambda v: v IS NOT NULL
      ) AS gc_ms,
      list_filter(
        list(
          mozfun.hist.extract (payload.histograms.memory_total)
        ),
        lambda v: v IS NOT NULL
      ) AS memory_total,
      list_filter(
        list(
          mozfun.hist.extract (payload.histograms.input_event_response_ms)
        ),
        lambda v: v IS NOT NULL
      ) AS input_event_response_ms,
      AVG(
        payload.processes.parent.scalars.timestamps_first_paint
      ) AS startup_first_paint_ms
    FROM
      mozdata.telemetry.main
    WHERE
      CAST(CAST(submission_timestamp AS DATE) AS DATE) BETWEEN CAST(DATE '2026-10-20' - INTERVAL 14 DAY AS DATE) AND DATE '2026-10-20'
      AND CAST(
        TRY_STRPTIME(
          CAST(
            CAST(
              TRY (substr(application.build_id, 1, 8)) AS VARCHAR
            ) AS VARCHAR
          ),
          '%Y%m%d'
        ) AS DATE
      ) >= CAST(DATE '2026-10-20' - INTERVAL 14 DAY AS DATE)
      AND CAST(client_id AS VARCHAR) IN (
        SELECT
          client_id
        FROM
          population
      )
    GROUP BY
      1,
      2,
      3,
      4
  ),
  metrics_crash AS (
    SELECT
      CAST(client_id AS VARCHAR) AS client_id,
      CAST(
        TRY (substr(application.build_id, 1, 8)) AS VARCHAR
      ) AS build_id,
      CAST(CAST(submission_timestamp AS DATE) AS DATE) AS submission_date,
      CAST(environment.system.os.name AS VARCHAR) AS os,
      count_if(
        payload.process_type = 'main'
        OR payload.process_type IS NULL
      ) AS main_crashes,
      count_if(payload.process_type = 'content') AS content_crashes,
      count_if(payload.process_type = 'gpu') AS gpu_crashes
    FROM
      mozdata.telemetry.crash
    WHERE
      CAST(CAST(submission_timestamp AS DATE) AS DATE) BETWEEN CAST(DATE '2026-10-20' - INTERVAL 14 DAY AS DATE) AND DATE '2026-10-20'
      AND CAST(
        TRY_STRPTIME(
          CAST(
            CAST(
              TRY (substr(application.build_id, 1, 8)) AS VARCHAR
            ) AS VARCHAR
          ),
          '%Y%m%d'
        ) AS DATE
      ) >= CAST(DATE '2026-10-20' - INTERVAL 14 DAY AS DATE)
      AND CAST(client_id AS VARCHAR) IN (
        SELECT
          client_id
        FROM
          population
      )
    GROUP BY
      1,
      2,
      3,
      4
  )
SELECT
  DATE '2026-10-20' AS submission_date,
  population.client_id AS client_id,
  population.build_id AS build_id,
  population.os AS os,
  population.arch AS arch,
  population.branch AS branch,
  metrics_main.gc_ms AS gc_ms,
  metrics_main.memory_total AS memory_total,
  metrics_main.input_event_response_ms AS input_event_response_ms,
  metrics_main.startup_first_paint_ms AS startup_first_paint_ms,
  metrics_crash.main_crashes AS main_crashes,
  metrics_crash.content_crashes AS content_crashes,
  metrics_crash.gpu_crashes AS gpu_crashes
FROM
  population
  LEFT JOIN metrics_main ON metrics_main.client_id = population.client_id
  AND metrics_main.build_id = population.build_id
  AND metrics_main.submission_date = population.submission_date
  AND metrics_main.os = population.os
  LEFT JOIN metrics_crash ON metrics_crash.client_id = population.client_id
  AND metrics_crash.build_id = population.build_id
  AND metrics_crash.submission_date = population.submission_date
  AND metrics_crash.os = population.os;

CREATE TABLE IF NOT EXISTS operational_monitoring_derived.desktop_nightly_health_v1 AS
SELECT
  *
FROM
  opmon_staging_desktop_nightly_health_v1
LIMIT
  0;

DELETE FROM operational_monitoring_derived.desktop_nightly_health_v1
WHERE
  submission_date = DATE '2026-10-20';

INSERT INTO
  operational_monitoring_derived.desktop_nightly_health_v1 BY NAME
SELECT
  *
FROM
  opmon_staging_desktop_nightly_health_v1;

DROP TABLE opmon_staging_desktop_nightly_health_v1;

COMMIT;

-- metrics_view
CREATE SCHEMA IF NOT EXISTS operational_monitoring;

CREATE OR REPLACE VIEW operational_monitoring.desktop_nightly_health AS
WITH
  latest AS (
    SELECT
      MAX(submission_date) AS most_recent
    FROM
      operational_monitoring_derived.desktop_nightly_health_v1
  )
SELECT
  source.*,
  latest.most_recent
FROM
  operational_monitoring_derived.desktop_nightly_health_v1 AS source
  CROSS JOIN latest
WHERE
  CAST(
    TRY_STRPTIME(CAST(source.build_id AS VARCHAR), '%Y%m%d') AS DATE
  ) = CAST(source.submission_date - INTERVAL 14 DAY AS DATE)
  OR source.submission_date = latest.most_recent;

-- statistics -> operational_monitoring_derived.desktop_nightly_health_statistics_v2 (2026-10-20)
CREATE SCHEMA IF NOT EXISTS operational_monitoring_derived;

BEGIN TRANSACTION;

CREATE OR REPLACE TEMP TABLE opmon_staging_desktop_nightly_health_statistics_v2 AS
WITH
  moments AS (
    SELECT
      submission_date,
      build_id,
      os,
      arch,
      branch,
      COUNT(CAST(metrics.startup_first_paint_ms AS DOUBLE)) AS n_startup_first_paint_ms,
      SUM(CAST(metrics.startup_first_paint_ms AS DOUBLE)) AS s_startup_first_paint_ms,
      SUM(
        CAST(metrics.startup_first_paint_ms AS DOUBLE) * CAST(metrics.startup_first_paint_ms AS DOUBLE)
      ) AS ss_startup_first_paint_ms,
      SUM(
        CAST(metrics.startup_first_paint_ms AS DOUBLE) * CAST(metrics.startup_first_paint_ms AS DOUBLE) * CAST(metrics.startup_first_paint_ms AS DOUBLE)
      ) AS s3_startup_first_paint_ms,
      SUM(
        CAST(metrics.startup_first_paint_ms AS DOUBLE) * CAST(metrics.startup_first_paint_ms AS DOUBLE) * CAST(metrics.startup_first_paint_ms AS DOUBLE) * CAST(metrics.startup_first_paint_ms AS DOUBLE)
      ) AS s4_startup_first_paint_ms,
      MIN(CAST(metrics.startup_first_paint_ms AS DOUBLE)) AS lo_startup_first_paint_ms,
      SUM(
        CASE
          WHEN CAST(metrics.startup_first_paint_ms AS DOUBLE) <> ROUND(CAST(metrics.startup_first_paint_ms AS DOUBLE)) THEN 1
          ELSE 0
        END
      ) AS fr_startup_first_paint_ms,
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
      COUNT(CAST(metrics.gpu_crashes AS DOUBLE)) AS n_gpu_crashes,
      SUM(CAST(metrics.gpu_crashes AS DOUBLE)) AS s_gpu_crashes,
      SUM(
        CAST(metrics.gpu_crashes AS DOUBLE) * CAST(metrics.gpu_crashes AS DOUBLE)
      ) AS ss_gpu_crashes,
      SUM(
        CAST(metrics.gpu_crashes AS DOUBLE) * CAST(metrics.gpu_crashes AS DOUBLE) * CAST(metrics.gpu_crashes AS DOUBLE)
      ) AS s3_gpu_crashes,
      SUM(
        CAST(metrics.gpu_crashes AS DOUBLE) * CAST(metrics.gpu_crashes AS DOUBLE) * CAST(metrics.gpu_crashes AS DOUBLE) * CAST(metrics.gpu_crashes AS DOUBLE)
      ) AS s4_gpu_crashes,
      MIN(CAST(metrics.gpu_crashes AS DOUBLE)) AS lo_gpu_crashes,
      SUM(
        CASE
          WHEN CAST(metrics.gpu_crashes AS DOUBLE) <> ROUND(CAST(metrics.gpu_crashes AS DOUBLE)) THEN 1
          ELSE 0
        END
      ) AS fr_gpu_crashes
    FROM
      (
        SELECT
          *
        FROM
          operational_monitoring_derived.desktop_nightly_health_v1
        WHERE
          submission_date = DATE '2026-10-20'
      ) AS metrics
    GROUP BY
      submission_date,
      build_id,
      os,
      arch,
      branch
  ),
  moments_long AS (
    SELECT
      submission_date,
      build_id,
      os,
      arch,
      branch,
      'startup_first_paint_ms' AS metric,
      n_startup_first_paint_ms AS n,
      s_startup_first_paint_ms AS s,
      ss_startup_first_paint_ms AS ss,
      s3_startup_first_paint_ms AS s3,
      s4_startup_first_paint_ms AS s4,
      lo_startup_first_paint_ms AS lo,
      fr_startup_first_paint_ms AS fr
    FROM
      moments
    UNION ALL
    SELECT
      submission_date,
      build_id,
      os,
      arch,
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
      arch,
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
      arch,
      branch,
      'gpu_crashes' AS metric,
      n_gpu_crashes AS n,
      s_gpu_crashes AS s,
      ss_gpu_crashes AS ss,
      s3_gpu_crashes AS s3,
      s4_gpu_crashes AS s4,
      lo_gpu_crashes AS lo,
      fr_gpu_crashes AS fr
    FROM
      moments
  ),
  gc_ms_percentile_clients AS (
    SELECT
      submission_date,
      build_id,
      os,
      arch,
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
          arch,
          branch,
          flatten(
            list_transform(metrics.gc_ms, lambda item: item.values)
          ) AS opmon_buckets
        FROM
          (
            SELECT
              *
            FROM
              operational_monitoring_derived.desktop_nightly_health_v1
            WHERE
              submission_date = DATE '2026-10-20'
          ) AS metrics
      ) AS flattened
  ),
  gc_ms_percentile_client_buckets AS (
    SELECT
      submission_date,
      build_id,
      os,
      arch,
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
          unnest(gc_ms_percentile_clients.opmon_buckets) AS opmon_bucket
        FROM
          gc_ms_percentile_clients
      ) AS unnested
    WHERE
      opmon_total > 0
      AND opmon_bucket.value IS NOT NULL
  ),
  gc_ms_percentile_merged AS (
    SELECT
      submission_date,
      build_id,
      os,
      arch,
      branch,
      bucket,
      SUM(weight) AS weight
    FROM
      gc_ms_percentile_client_buckets
    GROUP BY
      submission_date,
      build_id,
      os,
      arch,
      branch,
      opmon_key,
      bucket
  ),
  gc_ms_percentile_cdf AS (
    SELECT
      submission_date,
      build_id,
      os,
      arch,
      branch,
      bucket,
      weight,
      SUM(weight) OVER (
        PARTITION BY
          submission_date,
          build_id,
          os,
          arch,
          branch
        ORDER BY
          bucket ROWS BETWEEN UNBOUNDED PRECEDING
          AND CURRENT ROW
      ) / SUM(weight) OVER (
        PARTITION BY
          submission_date,
          build_id,
          os,
          arch,
          branch
      ) AS cdf,
      weight / SUM(weight) OVER (
        PARTITION BY
          submission_date,
          build_id,
          os,
          arch,
          branch
      ) AS share,
      COALESCE(
        LEAD (bucket) OVER (
          PARTITION BY
            submission_date,
            build_id,
            os,
            arch,
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
          arch,
          branch
      ) AS n
    FROM
      gc_ms_percentile_merged
  ),
  gc_ms_percentile_quantiles AS (
    SELECT
      submission_date,
      build_id,
      os,
      arch,
      branch,
      MIN(
        CASE
          WHEN weight > 0
          AND cdf >= 0.25 - 1e-9 THEN bucket
        END
      ) AS opmon_q0,
      MIN(
        CASE
          WHEN weight > 0
          AND cdf >= 0.25 - 1e-9
          AND cdf - share < 0.25 - 1e-9 THEN CASE
            WHEN (0.25 - (cdf - share)) / share < 0 THEN 0
            WHEN (0.25 - (cdf - share)) / share > 1 THEN 1
            ELSE (0.25 - (cdf - share)) / share
          END
        END
      ) AS opmon_t0,
      MIN(
        CASE
          WHEN weight > 0
          AND cdf >= 0.5 - 1e-9 THEN bucket
        END
      ) AS opmon_q1,
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
      ) AS opmon_t1,
      MIN(
        CASE
          WHEN weight > 0
          AND cdf >= 0.75 - 1e-9 THEN bucket
        END
      ) AS opmon_q2,
      MIN(
        CASE
          WHEN weight > 0
          AND cdf >= 0.75 - 1e-9
          AND cdf - share < 0.75 - 1e-9 THEN CASE
            WHEN (0.75 - (cdf - share)) / share < 0 THEN 0
            WHEN (0.75 - (cdf - share)) / share > 1 THEN 1
            ELSE (0.75 - (cdf - share)) / share
          END
        END
      ) AS opmon_t2,
      MIN(
        CASE
          WHEN weight > 0
          AND cdf >= 0.95 - 1e-9 THEN bucket
        END
      ) AS opmon_q3,
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
      ) AS opmon_t3
    FROM
      gc_ms_percentile_cdf
    GROUP BY
      submission_date,
      build_id,
      os,
      arch,
      branch
  ),
  gc_ms_percentile_per_client AS (
    SELECT
      b.submission_date AS submission_date,
      b.build_id AS build_id,
      b.os AS os,
      b.arch AS arch,
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
      ) AS opmon_v1,
      SUM(
        b.weight * CASE
          WHEN b.bucket < q.opmon_q2 THEN 1
          WHEN b.bucket = q.opmon_q2 THEN q.opmon_t2
          ELSE 0
        END
      ) AS opmon_f2,
      SUM(
        CASE
          WHEN b.bucket = q.opmon_q2 THEN b.opmon_share_var * q.opmon_t2 * (1 - q.opmon_t2)
          ELSE 0
        END
      ) AS opmon_v2,
      SUM(
        b.weight * CASE
          WHEN b.bucket < q.opmon_q3 THEN 1
          WHEN b.bucket = q.opmon_q3 THEN q.opmon_t3
          ELSE 0
        END
      ) AS opmon_f3,
      SUM(
        CASE
          WHEN b.bucket = q.opmon_q3 THEN b.opmon_share_var * q.opmon_t3 * (1 - q.opmon_t3)
          ELSE 0
        END
      ) AS opmon_v3
    FROM
      gc_ms_percentile_client_buckets AS b
      INNER JOIN gc_ms_percentile_quantiles AS q ON b.submission_date IS NOT DISTINCT FROM q.submission_date
      AND b.build_id IS NOT DISTINCT FROM q.build_id
      AND b.os IS NOT DISTINCT FROM q.os
      AND b.arch IS NOT DISTINCT FROM q.arch
      AND b.branch IS NOT DISTINCT FROM q.branch
    GROUP BY
      b.submission_date,
      b.build_id,
      b.os,
      b.arch,
      b.branch,
      b.opmon_client
  ),
  gc_ms_percentile_half_width AS (
    SELECT
      submission_date,
      build_id,
      os,
      arch,
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
        WHEN COUNT(*) > 1 THEN 0.1875 / NULLIF(
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
        WHEN COUNT(*) > 1 THEN 0.25 / NULLIF(
          (
            SUM(opmon_f1 * opmon_f1) - SUM(opmon_f1) * SUM(opmon_f1) / COUNT(*)
          ) / (COUNT(*) - 1) / COUNT(*) + SUM(opmon_v1) / COUNT(*) / COUNT(*),
          0
        )
      END AS opmon_effective1,
      CASE
        WHEN COUNT(*) > 1 THEN (
          CASE
            WHEN (COUNT(*) - 1) = 1 THEN 12.70620473617134
            WHEN (COUNT(*) - 1) = 2 THEN 4.3026527297488535
            ELSE 1.9599639861205356 + 2.3722712352471986 / POWER((COUNT(*) - 1), 1) + 2.8224986248983392 / POWER((COUNT(*) - 1), 2) + 2.5558496909219754 / POWER((COUNT(*) - 1), 3) + 1.5895340628093702 / POWER((COUNT(*) - 1), 4)
          END
        ) * CASE
          WHEN (
            SUM(opmon_f2 * opmon_f2) - SUM(opmon_f2) * SUM(opmon_f2) / COUNT(*)
          ) / (COUNT(*) - 1) / COUNT(*) + SUM(opmon_v2) / COUNT(*) / COUNT(*) > 0 THEN SQRT(
            (
              SUM(opmon_f2 * opmon_f2) - SUM(opmon_f2) * SUM(opmon_f2) / COUNT(*)
            ) / (COUNT(*) - 1) / COUNT(*) + SUM(opmon_v2) / COUNT(*) / COUNT(*)
          )
          ELSE 0
        END
      END AS opmon_half2,
      CASE
        WHEN COUNT(*) > 1 THEN 0.1875 / NULLIF(
          (
            SUM(opmon_f2 * opmon_f2) - SUM(opmon_f2) * SUM(opmon_f2) / COUNT(*)
          ) / (COUNT(*) - 1) / COUNT(*) + SUM(opmon_v2) / COUNT(*) / COUNT(*),
          0
        )
      END AS opmon_effective2,
      CASE
        WHEN COUNT(*) > 1 THEN (
          CASE
            WHEN (COUNT(*) - 1) = 1 THEN 12.70620473617134
            WHEN (COUNT(*) - 1) = 2 THEN 4.3026527297488535
            ELSE 1.9599639861205356 + 2.3722712352471986 / POWER((COUNT(*) - 1), 1) + 2.8224986248983392 / POWER((COUNT(*) - 1), 2) + 2.5558496909219754 / POWER((COUNT(*) - 1), 3) + 1.5895340628093702 / POWER((COUNT(*) - 1), 4)
          END
        ) * CASE
          WHEN (
            SUM(opmon_f3 * opmon_f3) - SUM(opmon_f3) * SUM(opmon_f3) / COUNT(*)
          ) / (COUNT(*) - 1) / COUNT(*) + SUM(opmon_v3) / COUNT(*) / COUNT(*) > 0 THEN SQRT(
            (
              SUM(opmon_f3 * opmon_f3) - SUM(opmon_f3) * SUM(opmon_f3) / COUNT(*)
            ) / (COUNT(*) - 1) / COUNT(*) + SUM(opmon_v3) / COUNT(*) / COUNT(*)
          )
          ELSE 0
        END
      END AS opmon_half3,
      CASE
        WHEN COUNT(*) > 1 THEN 0.04750000000000004 / NULLIF(
          (
            SUM(opmon_f3 * opmon_f3) - SUM(opmon_f3) * SUM(opmon_f3) / COUNT(*)
          ) / (COUNT(*) - 1) / COUNT(*) + SUM(opmon_v3) / COUNT(*) / COUNT(*),
          0
        )
      END AS opmon_effective3
    FROM
      gc_ms_percentile_per_client
    GROUP BY
      submission_date,
      build_id,
      os,
      arch,
      branch
  ),
  gc_ms_percentile_located AS (
    SELECT
      c.*,
      s.opmon_half0 AS opmon_half0,
      s.opmon_effective0 AS opmon_effective0,
      s.opmon_half1 AS opmon_half1,
      s.opmon_effective1 AS opmon_effective1,
      s.opmon_half2 AS opmon_half2,
      s.opmon_effective2 AS opmon_effective2,
      s.opmon_half3 AS opmon_half3,
      s.opmon_effective3 AS opmon_effective3
    FROM
      gc_ms_percentile_cdf AS c
      LEFT JOIN gc_ms_percentile_half_width AS s ON c.submission_date IS NOT DISTINCT FROM s.submission_date
      AND c.build_id IS NOT DISTINCT FROM s.build_id
      AND c.os IS NOT DISTINCT FROM s.os
      AND c.arch IS NOT DISTINCT FROM s.arch
      AND c.branch IS NOT DISTINCT FROM s.branch
  ),
  memory_total_percentile_clients AS (
    SELECT
      submission_date,
      build_id,
      os,
      arch,
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
          arch,
          branch,
          flatten(
            list_transform(metrics.memory_total, lambda item: item.values)
          ) AS opmon_buckets
        FROM
          (
            SELECT
              *
            FROM
              operational_monitoring_derived.desktop_nightly_health_v1
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
      arch,
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
      arch,
      branch,
      bucket,
      SUM(weight) AS weight
    FROM
      memory_total_percentile_client_buckets
    GROUP BY
      submission_date,
      build_id,
      os,
      arch,
      branch,
      opmon_key,
      bucket
  ),
  memory_total_percentile_cdf AS (
    SELECT
      submission_date,
      build_id,
      os,
      arch,
      branch,
      bucket,
      weight,
      SUM(weight) OVER (
        PARTITION BY
          submission_date,
          build_id,
          os,
          arch,
          branch
        ORDER BY
          bucket ROWS BETWEEN UNBOUNDED PRECEDING
          AND CURRENT ROW
      ) / SUM(weight) OVER (
        PARTITION BY
          submission_date,
          build_id,
          os,
          arch,
          branch
      ) AS cdf,
      weight / SUM(weight) OVER (
        PARTITION BY
          submission_date,
          build_id,
          os,
          arch,
          branch
      ) AS share,
      COALESCE(
        LEAD (bucket) OVER (
          PARTITION BY
            submission_date,
            build_id,
            os,
            arch,
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
          arch,
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
      arch,
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
      arch,
      branch
  ),
  memory_total_percentile_per_client AS (
    SELECT
      b.submission_date AS submission_date,
      b.build_id AS build_id,
      b.os AS os,
      b.arch AS arch,
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
      AND b.arch IS NOT DISTINCT FROM q.arch
      AND b.branch IS NOT DISTINCT FROM q.branch
    GROUP BY
      b.submission_date,
      b.build_id,
      b.os,
      b.arch,
      b.branch,
      b.opmon_client
  ),
  memory_total_percentile_half_width AS (
    SELECT
      submission_date,
      build_id,
      os,
      arch,
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
      arch,
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
      AND c.arch IS NOT DISTINCT FROM s.arch
      AND c.branch IS NOT DISTINCT FROM s.branch
  ),
  input_event_response_ms_percentile_clients AS (
    SELECT
      submission_date,
      build_id,
      os,
      arch,
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
          arch,
          branch,
          flatten(
            list_transform(
              metrics.input_event_response_ms,
              lambda item: item.values
            )
          ) AS opmon_buckets
        FROM
          (
            SELECT
              *
            FROM
              operational_monitoring_derived.desktop_nightly_health_v1
            WHERE
              submission_date = DATE '2026-10-20'
          ) AS metrics
      ) AS flattened
  ),
  input_event_response_ms_percentile_client_buckets AS (
    SELECT
      submission_date,
      build_id,
      os,
      arch,
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
          unnest(
            input_event_response_ms_percentile_clients.opmon_buckets
          ) AS opmon_bucket
        FROM
          input_event_response_ms_percentile_clients
      ) AS unnested
    WHERE
      opmon_total > 0
      AND opmon_bucket.value IS NOT NULL
  ),
  input_event_response_ms_percentile_merged AS (
    SELECT
      submission_date,
      build_id,
      os,
      arch,
      branch,
      bucket,
      SUM(weight) AS weight
    FROM
      input_event_response_ms_percentile_client_buckets
    GROUP BY
      submission_date,
      build_id,
      os,
      arch,
      branch,
      opmon_key,
      bucket
  ),
  input_event_response_ms_percentile_cdf AS (
    SELECT
      submission_date,
      build_id,
      os,
      arch,
      branch,
      bucket,
      weight,
      SUM(weight) OVER (
        PARTITION BY
          submission_date,
          build_id,
          os,
          arch,
          branch
        ORDER BY
          bucket ROWS BETWEEN UNBOUNDED PRECEDING
          AND CURRENT ROW
      ) / SUM(weight) OVER (
        PARTITION BY
          submission_date,
          build_id,
          os,
          arch,
          branch
      ) AS cdf,
      weight / SUM(weight) OVER (
        PARTITION BY
          submission_date,
          build_id,
          os,
          arch,
          branch
      ) AS share,
      COALESCE(
        LEAD (bucket) OVER (
          PARTITION BY
            submission_date,
            build_id,
            os,
            arch,
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
          arch,
          branch
      ) AS n
    FROM
      input_event_response_ms_percentile_merged
  ),
  input_event_response_ms_percentile_quantiles AS (
    SELECT
      submission_date,
      build_id,
      os,
      arch,
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
          AND cdf >= 0.9 - 1e-9 THEN bucket
        END
      ) AS opmon_q1,
      MIN(
        CASE
          WHEN weight > 0
          AND cdf >= 0.9 - 1e-9
          AND cdf - share < 0.9 - 1e-9 THEN CASE
            WHEN (0.9 - (cdf - share)) / share < 0 THEN 0
            WHEN (0.9 - (cdf - share)) / share > 1 THEN 1
            ELSE (0.9 - (cdf - share)) / share
          END
        END
      ) AS opmon_t1,
      MIN(
        CASE
          WHEN weight > 0
          AND cdf >= 0.99 - 1e-9 THEN bucket
        END
      ) AS opmon_q2,
      MIN(
        CASE
          WHEN weight > 0
          AND cdf >= 0.99 - 1e-9
          AND cdf - share < 0.99 - 1e-9 THEN CASE
            WHEN (0.99 - (cdf - share)) / share < 0 THEN 0
            WHEN (0.99 - (cdf - share)) / share > 1 THEN 1
            ELSE (0.99 - (cdf - share)) / share
          END
        END
      ) AS opmon_t2
    FROM
      input_event_response_ms_percentile_cdf
    GROUP BY
      submission_date,
      build_id,
      os,
      arch,
      branch
  ),
  input_event_response_ms_percentile_per_client AS (
    SELECT
      b.submission_date AS submission_date,
      b.build_id AS build_id,
      b.os AS os,
      b.arch AS arch,
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
      ) AS opmon_v1,
      SUM(
        b.weight * CASE
          WHEN b.bucket < q.opmon_q2 THEN 1
          WHEN b.bucket = q.opmon_q2 THEN q.opmon_t2
          ELSE 0
        END
      ) AS opmon_f2,
      SUM(
        CASE
          WHEN b.bucket = q.opmon_q2 THEN b.opmon_share_var * q.opmon_t2 * (1 - q.opmon_t2)
          ELSE 0
        END
      ) AS opmon_v2
    FROM
      input_event_response_ms_percentile_client_buckets AS b
      INNER JOIN input_event_response_ms_percentile_quantiles AS q ON b.submission_date IS NOT DISTINCT FROM q.submission_date
      AND b.build_id IS NOT DISTINCT FROM q.build_id
      AND b.os IS NOT DISTINCT FROM q.os
      AND b.arch IS NOT DISTINCT FROM q.arch
      AND b.branch IS NOT DISTINCT FROM q.branch
    GROUP BY
      b.submission_date,
      b.build_id,
      b.os,
      b.arch,
      b.branch,
      b.opmon_client
  ),
  input_event_response_ms_percentile_half_width AS (
    SELECT
      submission_date,
      build_id,
      os,
      arch,
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
        WHEN COUNT(*) > 1 THEN 0.08999999999999998 / NULLIF(
          (
            SUM(opmon_f1 * opmon_f1) - SUM(opmon_f1) * SUM(opmon_f1) / COUNT(*)
          ) / (COUNT(*) - 1) / COUNT(*) + SUM(opmon_v1) / COUNT(*) / COUNT(*),
          0
        )
      END AS opmon_effective1,
      CASE
        WHEN COUNT(*) > 1 THEN (
          CASE
            WHEN (COUNT(*) - 1) = 1 THEN 12.70620473617134
            WHEN (COUNT(*) - 1) = 2 THEN 4.3026527297488535
            ELSE 1.9599639861205356 + 2.3722712352471986 / POWER((COUNT(*) - 1), 1) + 2.8224986248983392 / POWER((COUNT(*) - 1), 2) + 2.5558496909219754 / POWER((COUNT(*) - 1), 3) + 1.5895340628093702 / POWER((COUNT(*) - 1), 4)
          END
        ) * CASE
          WHEN (
            SUM(opmon_f2 * opmon_f2) - SUM(opmon_f2) * SUM(opmon_f2) / COUNT(*)
          ) / (COUNT(*) - 1) / COUNT(*) + SUM(opmon_v2) / COUNT(*) / COUNT(*) > 0 THEN SQRT(
            (
              SUM(opmon_f2 * opmon_f2) - SUM(opmon_f2) * SUM(opmon_f2) / COUNT(*)
            ) / (COUNT(*) - 1) / COUNT(*) + SUM(opmon_v2) / COUNT(*) / COUNT(*)
          )
          ELSE 0
        END
      END AS opmon_half2,
      CASE
        WHEN COUNT(*) > 1 THEN 0.00990000000000001 / NULLIF(
          (
            SUM(opmon_f2 * opmon_f2) - SUM(opmon_f2) * SUM(opmon_f2) / COUNT(*)
          ) / (COUNT(*) - 1) / COUNT(*) + SUM(opmon_v2) / COUNT(*) / COUNT(*),
          0
        )
      END AS opmon_effective2
    FROM
      input_event_response_ms_percentile_per_client
    GROUP BY
      submission_date,
      build_id,
      os,
      arch,
      branch
  ),
  input_event_response_ms_percentile_located AS (
    SELECT
      c.*,
      s.opmon_half0 AS opmon_half0,
      s.opmon_effective0 AS opmon_effective0,
      s.opmon_half1 AS opmon_half1,
      s.opmon_effective1 AS opmon_effective1,
      s.opmon_half2 AS opmon_half2,
      s.opmon_effective2 AS opmon_effective2
    FROM
      input_event_response_ms_percentile_cdf AS c
      LEFT JOIN input_event_response_ms_percentile_half_width AS s ON c.submission_date IS NOT DISTINCT FROM s.submission_date
      AND c.build_id IS NOT DISTINCT FROM s.build_id
      AND c.os IS NOT DISTINCT FROM s.os
      AND c.arch IS NOT DISTINCT FROM s.arch
      AND c.branch IS NOT DISTINCT FROM s.branch
  ),
  startup_first_paint_ms_percentile_ranked AS (
    SELECT
      submission_date,
      build_id,
      os,
      arch,
      branch,
      COALESCE(CAST(metrics.startup_first_paint_ms AS DOUBLE), 0) AS value,
      ROW_NUMBER() OVER (
        PARTITION BY
          submission_date,
          build_id,
          os,
          arch,
          branch
        ORDER BY
          COALESCE(CAST(metrics.startup_first_paint_ms AS DOUBLE), 0)
      ) AS value_rank,
      COUNT(*) OVER (
        PARTITION BY
          submission_date,
          build_id,
          os,
          arch,
          branch
      ) AS n
    FROM
      (
        SELECT
          *
        FROM
          operational_monitoring_derived.desktop_nightly_health_v1
        WHERE
          submission_date = DATE '2026-10-20'
      ) AS metrics
  ),
  statistics_long AS (
    (
      SELECT
        submission_date,
        build_id,
        os,
        arch,
        branch,
        'gc_ms' AS metric,
        'percentile' AS statistic,
        '25' AS parameter,
        CAST(25 AS DOUBLE) AS parameter_order,
        CAST(
          MIN(
            CASE
              WHEN weight > 0
              AND cdf >= 0.25 - 1e-9 THEN bucket + CASE
                WHEN (0.25 - (cdf - share)) / share < 0 THEN 0
                WHEN (0.25 - (cdf - share)) / share > 1 THEN 1
                ELSE (0.25 - (cdf - share)) / share
              END * (next_bucket - bucket)
            END
          ) AS DOUBLE
        ) AS point,
        CAST(
          CASE
            WHEN COALESCE(MAX(opmon_effective0) >= 13, TRUE)
            AND (0.25 - MAX(opmon_half0)) > 0 THEN MIN(
              CASE
                WHEN weight > 0
                AND cdf >= (0.25 - opmon_half0) - 1e-9 THEN bucket + CASE
                  WHEN ((0.25 - opmon_half0) - (cdf - share)) / share < 0 THEN 0
                  WHEN ((0.25 - opmon_half0) - (cdf - share)) / share > 1 THEN 1
                  ELSE ((0.25 - opmon_half0) - (cdf - share)) / share
                END * (next_bucket - bucket)
              END
            )
          END AS DOUBLE
        ) AS lower,
        CAST(
          CASE
            WHEN COALESCE(MAX(opmon_effective0) >= 13, TRUE)
            AND (0.25 + MAX(opmon_half0)) < 1 THEN MIN(
              CASE
                WHEN weight > 0
                AND cdf >= (0.25 + opmon_half0) - 1e-9 THEN bucket + CASE
                  WHEN ((0.25 + opmon_half0) - (cdf - share)) / share < 0 THEN 0
                  WHEN ((0.25 + opmon_half0) - (cdf - share)) / share > 1 THEN 1
                  ELSE ((0.25 + opmon_half0) - (cdf - share)) / share
                END * (next_bucket - bucket)
              END
            )
          END AS DOUBLE
        ) AS upper,
        CAST(ROUND(MAX(n)) AS BIGINT) AS clients,
        CAST(
          COALESCE(
            NOT (
              COALESCE(MAX(opmon_effective0) >= 13, TRUE)
              AND (0.25 - MAX(opmon_half0)) > 0
              AND (0.25 + MAX(opmon_half0)) < 1
            ),
            TRUE
          ) AS BOOLEAN
        ) AS too_few_clients
      FROM
        gc_ms_percentile_located
      GROUP BY
        submission_date,
        build_id,
        os,
        arch,
        branch
      UNION ALL
      SELECT
        submission_date,
        build_id,
        os,
        arch,
        branch,
        'gc_ms' AS metric,
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
            WHEN COALESCE(MAX(opmon_effective1) >= 6, TRUE)
            AND (0.5 - MAX(opmon_half1)) > 0 THEN MIN(
              CASE
                WHEN weight > 0
                AND cdf >= (0.5 - opmon_half1) - 1e-9 THEN bucket + CASE
                  WHEN ((0.5 - opmon_half1) - (cdf - share)) / share < 0 THEN 0
                  WHEN ((0.5 - opmon_half1) - (cdf - share)) / share > 1 THEN 1
                  ELSE ((0.5 - opmon_half1) - (cdf - share)) / share
                END * (next_bucket - bucket)
              END
            )
          END AS DOUBLE
        ) AS lower,
        CAST(
          CASE
            WHEN COALESCE(MAX(opmon_effective1) >= 6, TRUE)
            AND (0.5 + MAX(opmon_half1)) < 1 THEN MIN(
              CASE
                WHEN weight > 0
                AND cdf >= (0.5 + opmon_half1) - 1e-9 THEN bucket + CASE
                  WHEN ((0.5 + opmon_half1) - (cdf - share)) / share < 0 THEN 0
                  WHEN ((0.5 + opmon_half1) - (cdf - share)) / share > 1 THEN 1
                  ELSE ((0.5 + opmon_half1) - (cdf - share)) / share
                END * (next_bucket - bucket)
              END
            )
          END AS DOUBLE
        ) AS upper,
        CAST(ROUND(MAX(n)) AS BIGINT) AS clients,
        CAST(
          COALESCE(
            NOT (
              COALESCE(MAX(opmon_effective1) >= 6, TRUE)
              AND (0.5 - MAX(opmon_half1)) > 0
              AND (0.5 + MAX(opmon_half1)) < 1
            ),
            TRUE
          ) AS BOOLEAN
        ) AS too_few_clients
      FROM
        gc_ms_percentile_located
      GROUP BY
        submission_date,
        build_id,
        os,
        arch,
        branch
      UNION ALL
      SELECT
        submission_date,
        build_id,
        os,
        arch,
        branch,
        'gc_ms' AS metric,
        'percentile' AS statistic,
        '75' AS parameter,
        CAST(75 AS DOUBLE) AS parameter_order,
        CAST(
          MIN(
            CASE
              WHEN weight > 0
              AND cdf >= 0.75 - 1e-9 THEN bucket + CASE
                WHEN (0.75 - (cdf - share)) / share < 0 THEN 0
                WHEN (0.75 - (cdf - share)) / share > 1 THEN 1
                ELSE (0.75 - (cdf - share)) / share
              END * (next_bucket - bucket)
            END
          ) AS DOUBLE
        ) AS point,
        CAST(
          CASE
            WHEN COALESCE(MAX(opmon_effective2) >= 13, TRUE)
            AND (0.75 - MAX(opmon_half2)) > 0 THEN MIN(
              CASE
                WHEN weight > 0
                AND cdf >= (0.75 - opmon_half2) - 1e-9 THEN bucket + CASE
                  WHEN ((0.75 - opmon_half2) - (cdf - share)) / share < 0 THEN 0
                  WHEN ((0.75 - opmon_half2) - (cdf - share)) / share > 1 THEN 1
                  ELSE ((0.75 - opmon_half2) - (cdf - share)) / share
                END * (next_bucket - bucket)
              END
            )
          END AS DOUBLE
        ) AS lower,
        CAST(
          CASE
            WHEN COALESCE(MAX(opmon_effective2) >= 13, TRUE)
            AND (0.75 + MAX(opmon_half2)) < 1 THEN MIN(
              CASE
                WHEN weight > 0
                AND cdf >= (0.75 + opmon_half2) - 1e-9 THEN bucket + CASE
                  WHEN ((0.75 + opmon_half2) - (cdf - share)) / share < 0 THEN 0
                  WHEN ((0.75 + opmon_half2) - (cdf - share)) / share > 1 THEN 1
                  ELSE ((0.75 + opmon_half2) - (cdf - share)) / share
                END * (next_bucket - bucket)
              END
            )
          END AS DOUBLE
        ) AS upper,
        CAST(ROUND(MAX(n)) AS BIGINT) AS clients,
        CAST(
          COALESCE(
            NOT (
              COALESCE(MAX(opmon_effective2) >= 13, TRUE)
              AND (0.75 - MAX(opmon_half2)) > 0
              AND (0.75 + MAX(opmon_half2)) < 1
            ),
            TRUE
          ) AS BOOLEAN
        ) AS too_few_clients
      FROM
        gc_ms_percentile_located
      GROUP BY
        submission_date,
        build_id,
        os,
        arch,
        branch
      UNION ALL
      SELECT
        submission_date,
        build_id,
        os,
        arch,
        branch,
        'gc_ms' AS metric,
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
            WHEN COALESCE(MAX(opmon_effective3) >= 72, TRUE)
            AND (0.95 - MAX(opmon_half3)) > 0 THEN MIN(
              CASE
                WHEN weight > 0
                AND cdf >= (0.95 - opmon_half3) - 1e-9 THEN bucket + CASE
                  WHEN ((0.95 - opmon_half3) - (cdf - share)) / share < 0 THEN 0
                  WHEN ((0.95 - opmon_half3) - (cdf - share)) / share > 1 THEN 1
                  ELSE ((0.95 - opmon_half3) - (cdf - share)) / share
                END * (next_bucket - bucket)
              END
            )
          END AS DOUBLE
        ) AS lower,
        CAST(
          CASE
            WHEN COALESCE(MAX(opmon_effective3) >= 72, TRUE)
            AND (0.95 + MAX(opmon_half3)) < 1 THEN MIN(
              CASE
                WHEN weight > 0
                AND cdf >= (0.95 + opmon_half3) - 1e-9 THEN bucket + CASE
                  WHEN ((0.95 + opmon_half3) - (cdf - share)) / share < 0 THEN 0
                  WHEN ((0.95 + opmon_half3) - (cdf - share)) / share > 1 THEN 1
                  ELSE ((0.95 + opmon_half3) - (cdf - share)) / share
                END * (next_bucket - bucket)
              END
            )
          END AS DOUBLE
        ) AS upper,
        CAST(ROUND(MAX(n)) AS BIGINT) AS clients,
        CAST(
          COALESCE(
            NOT (
              COALESCE(MAX(opmon_effective3) >= 72, TRUE)
              AND (0.95 - MAX(opmon_half3)) > 0
              AND (0.95 + MAX(opmon_half3)) < 1
            ),
            TRUE
          ) AS BOOLEAN
        ) AS too_few_clients
      FROM
        gc_ms_percentile_located
      GROUP BY
        submission_date,
        build_id,
        os,
        arch,
        branch
    )
    UNION ALL
    (
      SELECT
        submission_date,
        build_id,
        os,
        arch,
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
        arch,
        branch
      UNION ALL
      SELECT
        submission_date,
        build_id,
        os,
        arch,
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
        arch,
        branch
    )
    UNION ALL
    (
      SELECT
        submission_date,
        build_id,
        os,
        arch,
        branch,
        'input_event_response_ms' AS metric,
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
        input_event_response_ms_percentile_located
      GROUP BY
        submission_date,
        build_id,
        os,
        arch,
        branch
      UNION ALL
      SELECT
        submission_date,
        build_id,
        os,
        arch,
        branch,
        'input_event_response_ms' AS metric,
        'percentile' AS statistic,
        '90' AS parameter,
        CAST(90 AS DOUBLE) AS parameter_order,
        CAST(
          MIN(
            CASE
              WHEN weight > 0
              AND cdf >= 0.9 - 1e-9 THEN bucket + CASE
                WHEN (0.9 - (cdf - share)) / share < 0 THEN 0
                WHEN (0.9 - (cdf - share)) / share > 1 THEN 1
                ELSE (0.9 - (cdf - share)) / share
              END * (next_bucket - bucket)
            END
          ) AS DOUBLE
        ) AS point,
        CAST(
          CASE
            WHEN COALESCE(MAX(opmon_effective1) >= 36, TRUE)
            AND (0.9 - MAX(opmon_half1)) > 0 THEN MIN(
              CASE
                WHEN weight > 0
                AND cdf >= (0.9 - opmon_half1) - 1e-9 THEN bucket + CASE
                  WHEN ((0.9 - opmon_half1) - (cdf - share)) / share < 0 THEN 0
                  WHEN ((0.9 - opmon_half1) - (cdf - share)) / share > 1 THEN 1
                  ELSE ((0.9 - opmon_half1) - (cdf - share)) / share
                END * (next_bucket - bucket)
              END
            )
          END AS DOUBLE
        ) AS lower,
        CAST(
          CASE
            WHEN COALESCE(MAX(opmon_effective1) >= 36, TRUE)
            AND (0.9 + MAX(opmon_half1)) < 1 THEN MIN(
              CASE
                WHEN weight > 0
                AND cdf >= (0.9 + opmon_half1) - 1e-9 THEN bucket + CASE
                  WHEN ((0.9 + opmon_half1) - (cdf - share)) / share < 0 THEN 0
                  WHEN ((0.9 + opmon_half1) - (cdf - share)) / share > 1 THEN 1
                  ELSE ((0.9 + opmon_half1) - (cdf - share)) / share
                END * (next_bucket - bucket)
              END
            )
          END AS DOUBLE
        ) AS upper,
        CAST(ROUND(MAX(n)) AS BIGINT) AS clients,
        CAST(
          COALESCE(
            NOT (
              COALESCE(MAX(opmon_effective1) >= 36, TRUE)
              AND (0.9 - MAX(opmon_half1)) > 0
              AND (0.9 + MAX(opmon_half1)) < 1
            ),
            TRUE
          ) AS BOOLEAN
        ) AS too_few_clients
      FROM
        input_event_response_ms_percentile_located
      GROUP BY
        submission_date,
        build_id,
        os,
        arch,
        branch
      UNION ALL
      SELECT
        submission_date,
        build_id,
        os,
        arch,
        branch,
        'input_event_response_ms' AS metric,
        'percentile' AS statistic,
        '99' AS parameter,
        CAST(99 AS DOUBLE) AS parameter_order,
        CAST(
          MIN(
            CASE
              WHEN weight > 0
              AND cdf >= 0.99 - 1e-9 THEN bucket + CASE
                WHEN (0.99 - (cdf - share)) / share < 0 THEN 0
                WHEN (0.99 - (cdf - share)) / share > 1 THEN 1
                ELSE (0.99 - (cdf - share)) / share
              END * (next_bucket - bucket)
            END
          ) AS DOUBLE
        ) AS point,
        CAST(
          CASE
            WHEN COALESCE(MAX(opmon_effective2) >= 368, TRUE)
            AND (0.99 - MAX(opmon_half2)) > 0 THEN MIN(
              CASE
                WHEN weight > 0
                AND cdf >= (0.99 - opmon_half2) - 1e-9 THEN bucket + CASE
                  WHEN ((0.99 - opmon_half2) - (cdf - share)) / share < 0 THEN 0
                  WHEN ((0.99 - opmon_half2) - (cdf - share)) / share > 1 THEN 1
                  ELSE ((0.99 - opmon_half2) - (cdf - share)) / share
                END * (next_bucket - bucket)
              END
            )
          END AS DOUBLE
        ) AS lower,
        CAST(
          CASE
            WHEN COALESCE(MAX(opmon_effective2) >= 368, TRUE)
            AND (0.99 + MAX(opmon_half2)) < 1 THEN MIN(
              CASE
                WHEN weight > 0
                AND cdf >= (0.99 + opmon_half2) - 1e-9 THEN bucket + CASE
                  WHEN ((0.99 + opmon_half2) - (cdf - share)) / share < 0 THEN 0
                  WHEN ((0.99 + opmon_half2) - (cdf - share)) / share > 1 THEN 1
                  ELSE ((0.99 + opmon_half2) - (cdf - share)) / share
                END * (next_bucket - bucket)
              END
            )
          END AS DOUBLE
        ) AS upper,
        CAST(ROUND(MAX(n)) AS BIGINT) AS clients,
        CAST(
          COALESCE(
            NOT (
              COALESCE(MAX(opmon_effective2) >= 368, TRUE)
              AND (0.99 - MAX(opmon_half2)) > 0
              AND (0.99 + MAX(opmon_half2)) < 1
            ),
            TRUE
          ) AS BOOLEAN
        ) AS too_few_clients
      FROM
        input_event_response_ms_percentile_located
      GROUP BY
        submission_date,
        build_id,
        os,
        arch,
        branch
    )
    UNION ALL
    SELECT
      submission_date,
      build_id,
      os,
      arch,
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
          arch,
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
                  arch,
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
                      arch,
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
                      metric IN ('main_crashes', 'content_crashes', 'gpu_crashes')
                    UNION ALL
                    SELECT
                      submission_date,
                      build_id,
                      os,
                      arch,
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
                      metric IN ('startup_first_paint_ms')
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
        arch,
        branch,
        'startup_first_paint_ms' AS metric,
        'percentile' AS statistic,
        '50' AS parameter,
        CAST(50 AS DOUBLE) AS parameter_order,
        CAST(
          MIN(
            CASE
              WHEN value_rank >= CEIL(0.5 * n - 1e-9) THEN value
            END
          ) AS DOUBLE
        ) AS point,
        CAST(
          MAX(
            CASE
              WHEN CASE
                WHEN value_rank = 1 THEN POWER(0.5, n) <= 0.025000000000006628
                WHEN value_rank = 2 THEN POWER(0.5, n) + n * 0.5 * POWER(0.5, n - 1) <= 0.025000000000006628
                WHEN value_rank = n THEN 1 - POWER(0.5, n) <= 0.025000000000006628
                WHEN value_rank = n - 1 THEN 1 - POWER(0.5, n) - n * POWER(0.5, n - 1) * 0.5 <= 0.025000000000006628
                ELSE (
                  (1 - 1.0 / (9 * ((value_rank - 1) + 1))) - (1 - 1.0 / (9 * (n - (value_rank - 1)))) * POWER(
                    (n - (value_rank - 1)) * 0.5 / (((value_rank - 1) + 1) * 0.5),
                    1.0 / 3
                  )
                ) / SQRT(
                  1.0 / (9 * ((value_rank - 1) + 1)) + POWER(
                    (n - (value_rank - 1)) * 0.5 / (((value_rank - 1) + 1) * 0.5),
                    1.0 / 3
                  ) * POWER(
                    (n - (value_rank - 1)) * 0.5 / (((value_rank - 1) + 1) * 0.5),
                    1.0 / 3
                  ) / (9 * (n - (value_rank - 1)))
                ) <= -1.959963986120195
              END THEN value
            END
          ) AS DOUBLE
        ) AS lower,
        CAST(
          MIN(
            CASE
              WHEN CASE
                WHEN value_rank = 1 THEN POWER(0.5, n) >= 0.9749999999999934
                WHEN value_rank = 2 THEN POWER(0.5, n) + n * 0.5 * POWER(0.5, n - 1) >= 0.9749999999999934
                WHEN value_rank = n THEN 1 - POWER(0.5, n) >= 0.9749999999999934
                WHEN value_rank = n - 1 THEN 1 - POWER(0.5, n) - n * POWER(0.5, n - 1) * 0.5 >= 0.9749999999999934
                ELSE (
                  (1 - 1.0 / (9 * ((value_rank - 1) + 1))) - (1 - 1.0 / (9 * (n - (value_rank - 1)))) * POWER(
                    (n - (value_rank - 1)) * 0.5 / (((value_rank - 1) + 1) * 0.5),
                    1.0 / 3
                  )
                ) / SQRT(
                  1.0 / (9 * ((value_rank - 1) + 1)) + POWER(
                    (n - (value_rank - 1)) * 0.5 / (((value_rank - 1) + 1) * 0.5),
                    1.0 / 3
                  ) * POWER(
                    (n - (value_rank - 1)) * 0.5 / (((value_rank - 1) + 1) * 0.5),
                    1.0 / 3
                  ) / (9 * (n - (value_rank - 1)))
                ) >= 1.959963986120195
              END THEN value
            END
          ) AS DOUBLE
        ) AS upper,
        CAST(MAX(n) AS BIGINT) AS clients,
        CAST(
          POWER(0.5, MAX(n)) > 0.025000000000006628
          OR POWER(0.5, MAX(n)) > 0.025000000000006628 AS BOOLEAN
        ) AS too_few_clients
      FROM
        startup_first_paint_ms_percentile_ranked
      GROUP BY
        submission_date,
        build_id,
        os,
        arch,
        branch
      UNION ALL
      SELECT
        submission_date,
        build_id,
        os,
        arch,
        branch,
        'startup_first_paint_ms' AS metric,
        'percentile' AS statistic,
        '90' AS parameter,
        CAST(90 AS DOUBLE) AS parameter_order,
        CAST(
          MIN(
            CASE
              WHEN value_rank >= CEIL(0.9 * n - 1e-9) THEN value
            END
          ) AS DOUBLE
        ) AS point,
        CAST(
          MAX(
            CASE
              WHEN CASE
                WHEN value_rank = 1 THEN POWER(0.09999999999999998, n) <= 0.025000000000006628
                WHEN value_rank = 2 THEN POWER(0.09999999999999998, n) + n * 0.9 * POWER(0.09999999999999998, n - 1) <= 0.025000000000006628
                WHEN value_rank = n THEN 1 - POWER(0.9, n) <= 0.025000000000006628
                WHEN value_rank = n - 1 THEN 1 - POWER(0.9, n) - n * POWER(0.9, n - 1) * 0.09999999999999998 <= 0.025000000000006628
                ELSE (
                  (1 - 1.0 / (9 * ((value_rank - 1) + 1))) - (1 - 1.0 / (9 * (n - (value_rank - 1)))) * POWER(
                    (n - (value_rank - 1)) * 0.9 / (((value_rank - 1) + 1) * 0.09999999999999998),
                    1.0 / 3
                  )
                ) / SQRT(
                  1.0 / (9 * ((value_rank - 1) + 1)) + POWER(
                    (n - (value_rank - 1)) * 0.9 / (((value_rank - 1) + 1) * 0.09999999999999998),
                    1.0 / 3
                  ) * POWER(
                    (n - (value_rank - 1)) * 0.9 / (((value_rank - 1) + 1) * 0.09999999999999998),
                    1.0 / 3
                  ) / (9 * (n - (value_rank - 1)))
                ) <= -1.959963986120195
              END THEN value
            END
          ) AS DOUBLE
        ) AS lower,
        CAST(
          MIN(
            CASE
              WHEN CASE
                WHEN value_rank = 1 THEN POWER(0.09999999999999998, n) >= 0.9749999999999934
                WHEN value_rank = 2 THEN POWER(0.09999999999999998, n) + n * 0.9 * POWER(0.09999999999999998, n - 1) >= 0.9749999999999934
                WHEN value_rank = n THEN 1 - POWER(0.9, n) >= 0.9749999999999934
                WHEN value_rank = n - 1 THEN 1 - POWER(0.9, n) - n * POWER(0.9, n - 1) * 0.09999999999999998 >= 0.9749999999999934
                ELSE (
                  (1 - 1.0 / (9 * ((value_rank - 1) + 1))) - (1 - 1.0 / (9 * (n - (value_rank - 1)))) * POWER(
                    (n - (value_rank - 1)) * 0.9 / (((value_rank - 1) + 1) * 0.09999999999999998),
                    1.0 / 3
                  )
                ) / SQRT(
                  1.0 / (9 * ((value_rank - 1) + 1)) + POWER(
                    (n - (value_rank - 1)) * 0.9 / (((value_rank - 1) + 1) * 0.09999999999999998),
                    1.0 / 3
                  ) * POWER(
                    (n - (value_rank - 1)) * 0.9 / (((value_rank - 1) + 1) * 0.09999999999999998),
                    1.0 / 3
                  ) / (9 * (n - (value_rank - 1)))
                ) >= 1.959963986120195
              END THEN value
            END
          ) AS DOUBLE
        ) AS upper,
        CAST(MAX(n) AS BIGINT) AS clients,
        CAST(
          POWER(0.09999999999999998, MAX(n)) > 0.025000000000006628
          OR POWER(0.9, MAX(n)) > 0.025000000000006628 AS BOOLEAN
        ) AS too_few_clients
      FROM
        startup_first_paint_ms_percentile_ranked
      GROUP BY
        submission_date,
        build_id,
        os,
        arch,
        branch
    )
  ),
  statistics_summaries AS (
    SELECT
      submission_date,
      build_id,
      os,
      arch,
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
  arch,
  branch,
  any_value(summary) FILTER(
    WHERE
      metric = 'gc_ms'
      AND statistic = 'percentile'
  ) AS gc_ms_percentile,
  any_value(summary) FILTER(
    WHERE
      metric = 'memory_total'
      AND statistic = 'percentile'
  ) AS memory_total_percentile,
  any_value(summary) FILTER(
    WHERE
      metric = 'input_event_response_ms'
      AND statistic = 'percentile'
  ) AS input_event_response_ms_percentile,
  any_value(summary) FILTER(
    WHERE
      metric = 'startup_first_paint_ms'
      AND statistic = 'mean'
  ) AS startup_first_paint_ms_mean,
  any_value(summary) FILTER(
    WHERE
      metric = 'startup_first_paint_ms'
      AND statistic = 'percentile'
  ) AS startup_first_paint_ms_percentile,
  any_value(summary) FILTER(
    WHERE
      metric = 'main_crashes'
      AND statistic = 'sum'
  ) AS main_crashes_sum,
  any_value(summary) FILTER(
    WHERE
      metric = 'content_crashes'
      AND statistic = 'sum'
  ) AS content_crashes_sum,
  any_value(summary) FILTER(
    WHERE
      metric = 'gpu_crashes'
      AND statistic = 'sum'
  ) AS gpu_crashes_sum
FROM
  statistics_summaries
GROUP BY
  1,
  2,
  3,
  4,
  5;

CREATE TABLE IF NOT EXISTS operational_monitoring_derived.desktop_nightly_health_statistics_v2 AS
SELECT
  *
FROM
  opmon_staging_desktop_nightly_health_statistics_v2
LIMIT
  0;

DELETE FROM operational_monitoring_derived.desktop_nightly_health_statistics_v2
WHERE
  submission_date = DATE '2026-10-20';

INSERT INTO
  operational_monitoring_derived.desktop_nightly_health_statistics_v2 BY NAME
SELECT
  *
FROM
  opmon_staging_desktop_nightly_health_statistics_v2;

DROP TABLE opmon_staging_desktop_nightly_health_statistics_v2;

COMMIT;

-- statistics_view
CREATE SCHEMA IF NOT EXISTS operational_monitoring;

CREATE OR REPLACE VIEW operational_monitoring.desktop_nightly_health_statistics AS
WITH
  stats AS (
    WITH
      latest AS (
        SELECT
          MAX(submission_date) AS most_recent
        FROM
          operational_monitoring_derived.desktop_nightly_health_statistics_v2
      )
    SELECT
      source.*,
      latest.most_recent
    FROM
      operational_monitoring_derived.desktop_nightly_health_statistics_v2 AS source
      CROSS JOIN latest
    WHERE
      CAST(
        TRY_STRPTIME(CAST(source.build_id AS VARCHAR), '%Y%m%d') AS DATE
      ) = CAST(source.submission_date - INTERVAL 14 DAY AS DATE)
      OR source.submission_date = latest.most_recent
  )
SELECT
  unnested.submission_date AS submission_date,
  CAST(unnested.submission_date AS TIMESTAMP) AS submission_timestamp,
  unnested.build_id AS build_id,
  unnested.os AS os,
  unnested.arch AS arch,
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
            stats.gc_ms_percentile,
            stats.memory_total_percentile,
            stats.input_event_response_ms_percentile,
            stats.startup_first_paint_ms_mean,
            stats.startup_first_paint_ms_percentile,
            stats.main_crashes_sum,
            stats.content_crashes_sum,
            stats.gpu_crashes_sum
          ]
        )
      ) AS statistic
    FROM
      stats
  ) AS unnested;

-- alerts -> operational_monitoring_derived.desktop_nightly_health_alerts_v2 (2026-10-20)
CREATE SCHEMA IF NOT EXISTS operational_monitoring_derived;

BEGIN TRANSACTION;

CREATE OR REPLACE TEMP TABLE opmon_staging_desktop_nightly_health_alerts_v2 AS
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
          unnested.arch AS arch,
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
                    stats.gc_ms_percentile,
                    stats.memory_total_percentile,
                    stats.input_event_response_ms_percentile,
                    stats.startup_first_paint_ms_mean,
                    stats.startup_first_paint_ms_percentile,
                    stats.main_crashes_sum,
                    stats.content_crashes_sum,
                    stats.gpu_crashes_sum
                  ]
                )
              ) AS statistic
            FROM
              operational_monitoring_derived.desktop_nightly_health_statistics_v2 AS stats
          ) AS unnested
      ) AS source
    WHERE
      submission_date = DATE '2026-10-20'
      OR (
        submission_date < DATE '2026-10-20'
        AND CAST(
          TRY_STRPTIME(CAST(build_id AS VARCHAR), '%Y%m%d') AS DATE
        ) = CAST(submission_date - INTERVAL 14 DAY AS DATE)
      )
  ),
  windows_0 AS (
    SELECT
      h.*,
      AVG(h.point) OVER (
        PARTITION BY
          h.branch,
          h.os,
          h.arch,
          h.metric,
          h.statistic,
          CAST(h.parameter AS VARCHAR)
        ORDER BY
          h.build_id ROWS BETWEEN 2 PRECEDING
          AND CURRENT ROW
      ) AS current_mean,
      AVG(h.point) OVER (
        PARTITION BY
          h.branch,
          h.os,
          h.arch,
          h.metric,
          h.statistic,
          CAST(h.parameter AS VARCHAR)
        ORDER BY
          h.build_id ROWS BETWEEN 5 PRECEDING
          AND 3 PRECEDING
      ) AS previous_mean,
      COUNT(h.point) OVER (
        PARTITION BY
          h.branch,
          h.os,
          h.arch,
          h.metric,
          h.statistic,
          CAST(h.parameter AS VARCHAR)
        ORDER BY
          h.build_id ROWS BETWEEN 5 PRECEDING
          AND 3 PRECEDING
      ) AS previous_count,
      SUM(h.jump) OVER (
        PARTITION BY
          h.branch,
          h.os,
          h.arch,
          h.metric,
          h.statistic,
          CAST(h.parameter AS VARCHAR)
        ORDER BY
          h.build_id ROWS BETWEEN 4 PRECEDING
          AND 3 PRECEDING
      ) AS previous_jumps,
      COUNT(h.jump) OVER (
        PARTITION BY
          h.branch,
          h.os,
          h.arch,
          h.metric,
          h.statistic,
          CAST(h.parameter AS VARCHAR)
        ORDER BY
          h.build_id ROWS BETWEEN 4 PRECEDING
          AND 3 PRECEDING
      ) AS previous_jump_count,
      SUM(h.jump) OVER (
        PARTITION BY
          h.branch,
          h.os,
          h.arch,
          h.metric,
          h.statistic,
          CAST(h.parameter AS VARCHAR)
        ORDER BY
          h.build_id ROWS BETWEEN 1 PRECEDING
          AND CURRENT ROW
      ) AS current_jumps
    FROM
      (
        SELECT
          h.*,
          ABS(
            h.point - LAG (h.point) OVER (
              PARTITION BY
                h.branch,
                h.os,
                h.arch,
                h.metric,
                h.statistic,
                CAST(h.parameter AS VARCHAR)
              ORDER BY
                h.build_id
            )
          ) AS jump
        FROM
          history AS h
        WHERE
          h.metric IN ('startup_first_paint_ms')
          AND h.statistic IN ('mean')
          AND CAST(
            TRY_STRPTIME(CAST(h.build_id AS VARCHAR), '%Y%m%d') AS DATE
          ) >= CAST(DATE '2026-10-20' - INTERVAL 35 DAY AS DATE)
      ) AS h
  ),
  alert_0 AS (
    SELECT
      h.*,
      SUM(
        CASE
          WHEN h.hit THEN 1
          ELSE 0
        END
      ) OVER (
        PARTITION BY
          h.branch,
          h.os,
          h.arch,
          h.metric,
          h.statistic,
          CAST(h.parameter AS VARCHAR)
        ORDER BY
          h.build_id ROWS BETWEEN 1 PRECEDING
          AND CURRENT ROW
      ) AS hits
    FROM
      (
        SELECT
          h.*,
          COALESCE(
            h.previous_count = 3
            AND ABS(h.current_mean - h.previous_mean) > 0.1 * ABS(h.previous_mean)
            AND h.previous_jump_count = 2
            AND ABS(h.current_mean - h.previous_mean) > 3 * 0.886227 * (h.previous_jumps + h.current_jumps) / 4 * 0.816496580927726,
            FALSE
          ) AS hit,
          'Significant difference to historical data' AS message,
          CAST(NULL AS VARCHAR) AS since
        FROM
          windows_0 AS h
      ) AS h
  ),
  change_1 AS (
    SELECT
      h.*,
      AVG(h.point) OVER (
        PARTITION BY
          h.branch,
          h.os,
          h.arch,
          h.metric,
          h.statistic,
          CAST(h.parameter AS VARCHAR)
        ORDER BY
          h.build_id ROWS BETWEEN 5 PRECEDING
          AND 1 PRECEDING
      ) AS back_mean,
      VAR_SAMP(h.point) OVER (
        PARTITION BY
          h.branch,
          h.os,
          h.arch,
          h.metric,
          h.statistic,
          CAST(h.parameter AS VARCHAR)
        ORDER BY
          h.build_id ROWS BETWEEN 5 PRECEDING
          AND 1 PRECEDING
      ) AS back_var,
      COUNT(h.point) OVER (
        PARTITION BY
          h.branch,
          h.os,
          h.arch,
          h.metric,
          h.statistic,
          CAST(h.parameter AS VARCHAR)
        ORDER BY
          h.build_id ROWS BETWEEN 5 PRECEDING
          AND 1 PRECEDING
      ) AS back_n,
      AVG(h.point) OVER (
        PARTITION BY
          h.branch,
          h.os,
          h.arch,
          h.metric,
          h.statistic,
          CAST(h.parameter AS VARCHAR)
        ORDER BY
          h.build_id ROWS BETWEEN CURRENT ROW
          AND 2 FOLLOWING
      ) AS fore_mean,
      VAR_SAMP(h.point) OVER (
        PARTITION BY
          h.branch,
          h.os,
          h.arch,
          h.metric,
          h.statistic,
          CAST(h.parameter AS VARCHAR)
        ORDER BY
          h.build_id ROWS BETWEEN CURRENT ROW
          AND 2 FOLLOWING
      ) AS fore_var,
      COUNT(h.point) OVER (
        PARTITION BY
          h.branch,
          h.os,
          h.arch,
          h.metric,
          h.statistic,
          CAST(h.parameter AS VARCHAR)
        ORDER BY
          h.build_id ROWS BETWEEN CURRENT ROW
          AND 2 FOLLOWING
      ) AS fore_n,
      SUM(h.jump) OVER (
        PARTITION BY
          h.branch,
          h.os,
          h.arch,
          h.metric,
          h.statistic,
          CAST(h.parameter AS VARCHAR)
        ORDER BY
          h.build_id ROWS BETWEEN 4 PRECEDING
          AND 1 PRECEDING
      ) AS back_jumps,
      SUM(h.jump) OVER (
        PARTITION BY
          h.branch,
          h.os,
          h.arch,
          h.metric,
          h.statistic,
          CAST(h.parameter AS VARCHAR)
        ORDER BY
          h.build_id ROWS BETWEEN 1 FOLLOWING
          AND 2 FOLLOWING
      ) AS fore_jumps,
      COUNT(h.jump) OVER (
        PARTITION BY
          h.branch,
          h.os,
          h.arch,
          h.metric,
          h.statistic,
          CAST(h.parameter AS VARCHAR)
        ORDER BY
          h.build_id ROWS BETWEEN 4 PRECEDING
          AND 1 PRECEDING
      ) AS back_jump_count,
      LEAD (h.build_id, 3) OVER (
        PARTITION BY
          h.branch,
          h.os,
          h.arch,
          h.metric,
          h.statistic,
          CAST(h.parameter AS VARCHAR)
        ORDER BY
          h.build_id
      ) AS confirmed_by
    FROM
      (
        SELECT
          h.*,
          ABS(
            h.point - LAG (h.point) OVER (
              PARTITION BY
                h.branch,
                h.os,
                h.arch,
                h.metric,
                h.statistic,
                CAST(h.parameter AS VARCHAR)
              ORDER BY
                h.build_id
            )
          ) AS jump
        FROM
          history AS h
        WHERE
          h.metric IN ('startup_first_paint_ms')
          AND h.statistic IN ('mean')
          AND CAST(
            TRY_STRPTIME(CAST(h.build_id AS VARCHAR), '%Y%m%d') AS DATE
          ) >= CAST(DATE '2026-10-20' - INTERVAL 41 DAY AS DATE)
      ) AS h
  ),
  change_1_t AS (
    SELECT
      w.*,
      CASE
        WHEN w.back_n = 5
        AND w.fore_n = 3
        AND w.back_jump_count = 4 THEN (ABS(w.fore_mean - w.back_mean)) / NULLIF(
          0.886227 * (w.back_jumps + w.fore_jumps) / 6 * 0.7302967433402214,
          0
        )
      END AS t
    FROM
      change_1 AS w
  ),
  change_1_peak AS (
    SELECT
      c.*,
      LAG (c.t) OVER (
        PARTITION BY
          c.branch,
          c.os,
          c.arch,
          c.metric,
          c.statistic,
          CAST(c.parameter AS VARCHAR)
        ORDER BY
          c.build_id
      ) AS t_before,
      LEAD (c.t) OVER (
        PARTITION BY
          c.branch,
          c.os,
          c.arch,
          c.metric,
          c.statistic,
          CAST(c.parameter AS VARCHAR)
        ORDER BY
          c.build_id
      ) AS t_after,
      MAX(c.t) OVER (
        PARTITION BY
          c.branch,
          c.os,
          c.arch,
          c.metric,
          c.statistic,
          CAST(c.parameter AS VARCHAR)
        ORDER BY
          c.build_id ROWS BETWEEN 5 PRECEDING
          AND 1 PRECEDING
      ) AS t_earlier
    FROM
      change_1_t AS c
  ),
  alert_1 AS (
    SELECT
      h.*,
      COALESCE(
        h.back_n = 5
        AND h.fore_n = 3
        AND h.t > 6
        AND COALESCE(h.t_earlier, 0) <= 6
        AND ABS(h.fore_mean - h.back_mean) >= 0.02 * ABS(h.back_mean)
        AND h.t >= COALESCE(h.t_before, 0)
        AND h.t >= COALESCE(h.t_after, 0),
        FALSE
      ) AS hit,
      CONCAT(
        'Change point detected: ',
        CASE
          WHEN h.fore_mean > h.back_mean THEN 'up'
          ELSE 'down'
        END,
        ' since ',
        CAST(h.build_id AS VARCHAR)
      ) AS message,
      CAST(h.build_id AS VARCHAR) AS since
    FROM
      change_1_peak AS h
  ),
  thresholds_2 AS (
    SELECT
      'main_crashes' AS metric,
      CAST(NULL AS DOUBLE) AS parameter,
      CAST(8 AS DOUBLE) AS max_value,
      CAST(NULL AS DOUBLE) AS min_value
  ),
  alert_2 AS (
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
      INNER JOIN thresholds_2 AS t ON h.metric = t.metric
      AND (
        t.parameter IS NULL
        OR h.parameter = t.parameter
      )
    WHERE
      h.metric IN ('main_crashes')
      AND CAST(
        TRY_STRPTIME(CAST(h.build_id AS VARCHAR), '%Y%m%d') AS DATE
      ) >= CAST(DATE '2026-10-20' - INTERVAL 23 DAY AS DATE)
  )
SELECT
  DATE '2026-10-20' AS submission_date,
  h.build_id AS build_id,
  TRY_CAST (h.os AS VARCHAR) AS os,
  TRY_CAST (h.arch AS VARCHAR) AS arch,
  h.metric AS metric,
  h.statistic AS statistic,
  h.branch AS branch,
  h.parameter AS parameter,
  h.message AS message,
  'startup_regression' AS alert,
  'warning' AS severity,
  h.since AS since
FROM
  alert_0 AS h
WHERE
  CAST(
    TRY_STRPTIME(CAST(h.build_id AS VARCHAR), '%Y%m%d') AS DATE
  ) = DATE '2026-10-20'
  AND h.hit
  AND h.hits = 2
UNION ALL
SELECT
  DATE '2026-10-20' AS submission_date,
  h.build_id AS build_id,
  TRY_CAST (h.os AS VARCHAR) AS os,
  TRY_CAST (h.arch AS VARCHAR) AS arch,
  h.metric AS metric,
  h.statistic AS statistic,
  h.branch AS branch,
  h.parameter AS parameter,
  h.message AS message,
  'startup_step' AS alert,
  'critical' AS severity,
  h.since AS since
FROM
  alert_1 AS h
WHERE
  CAST(
    TRY_STRPTIME(CAST(h.confirmed_by AS VARCHAR), '%Y%m%d') AS DATE
  ) = DATE '2026-10-20'
  AND h.hit
UNION ALL
SELECT
  DATE '2026-10-20' AS submission_date,
  h.build_id AS build_id,
  TRY_CAST (h.os AS VARCHAR) AS os,
  TRY_CAST (h.arch AS VARCHAR) AS arch,
  h.metric AS metric,
  h.statistic AS statistic,
  h.branch AS branch,
  h.parameter AS parameter,
  h.message AS message,
  'crash_ceiling' AS alert,
  'critical' AS severity,
  h.since AS since
FROM
  alert_2 AS h
WHERE
  h.submission_date = DATE '2026-10-20'
  AND h.hit;

CREATE TABLE IF NOT EXISTS operational_monitoring_derived.desktop_nightly_health_alerts_v2 AS
SELECT
  *
FROM
  opmon_staging_desktop_nightly_health_alerts_v2
LIMIT
  0;

DELETE FROM operational_monitoring_derived.desktop_nightly_health_alerts_v2
WHERE
  submission_date = DATE '2026-10-20';

INSERT INTO
  operational_monitoring_derived.desktop_nightly_health_alerts_v2 BY NAME
SELECT
  *
FROM
  opmon_staging_desktop_nightly_health_alerts_v2;

DROP TABLE opmon_staging_desktop_nightly_health_alerts_v2;

COMMIT;

-- alerts_view
CREATE SCHEMA IF NOT EXISTS operational_monitoring;

CREATE OR REPLACE VIEW operational_monitoring.desktop_nightly_health_alerts AS
SELECT
  *
FROM
  operational_monitoring_derived.desktop_nightly_health_alerts_v2;

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
  slug IN ('desktop-nightly-health');

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
    'desktop-nightly-health',
    'Desktop Nightly health',
    'build_id',
    ['active'],
    ['os', 'arch'],
    [
      struct_pack(
        statistic := 'percentile',
        metric := 'gc_ms',
        metric_groups := CAST([] AS VARCHAR[])
      ),
      struct_pack(
        statistic := 'percentile',
        metric := 'memory_total',
        metric_groups := CAST([] AS VARCHAR[])
      ),
      struct_pack(
        statistic := 'percentile',
        metric := 'input_event_response_ms',
        metric_groups := CAST([] AS VARCHAR[])
      ),
      struct_pack(
        statistic := 'mean',
        metric := 'startup_first_paint_ms',
        metric_groups := CAST([] AS VARCHAR[])
      ),
      struct_pack(
        statistic := 'percentile',
        metric := 'startup_first_paint_ms',
        metric_groups := CAST([] AS VARCHAR[])
      ),
      struct_pack(
        statistic := 'sum',
        metric := 'main_crashes',
        metric_groups := ['crashes']
      ),
      struct_pack(
        statistic := 'sum',
        metric := 'content_crashes',
        metric_groups := ['crashes']
      ),
      struct_pack(
        statistic := 'sum',
        metric := 'gpu_crashes',
        metric_groups := ['crashes']
      )
    ],
    DATE '2026-09-01',
    CAST(NULL AS DATE),
    'os',
    TRUE,
    FALSE,
    'Desktop Nightly health'
  );

COMMIT;

CREATE SCHEMA IF NOT EXISTS operational_monitoring;

CREATE OR REPLACE VIEW operational_monitoring.projects AS
SELECT
  *
FROM
  operational_monitoring_derived.projects_v1;
