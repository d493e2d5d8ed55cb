/**
 * The floor for the nightly run of `tab-unloading-rollout` on DuckDB: one hand-written query over the
 * same source tables computing the same per-client aggregates (population, branch, dimensions, the
 * project's probes), with nothing opmon adds (spam filter, generality, the other steps). `population`
 * narrows the clients further (a condition on `client_id`, as the ten bench populations are).
 */
export const floorQuery = (day: string, population = "TRUE") => `
WITH m AS (
  SELECT client_id,
    CAST(environment.system.os.name AS VARCHAR) AS os,
    CAST(environment.system.cpu.cores AS VARCHAR) AS cores,
    CASE WHEN environment.settings.user_prefs.browser_tabs_unload_on_low_memory THEN 'enabled' ELSE 'disabled' END AS branch,
    SUM(payload.processes.parent.scalars.browser_engagement_active_ticks) / 720 AS active_hours,
    list(mozfun.hist.extract(payload.histograms.memory_total)) AS memory_total,
    SUM(payload.processes.parent.scalars.shutdown_hang_count) AS shutdown_hangs
  FROM mozdata.telemetry.main
  WHERE CAST(submission_timestamp AS DATE) = DATE '${day}'
    AND normalized_channel = 'release'
    AND environment.settings.user_prefs.browser_tabs_unload_on_low_memory IS NOT NULL
    AND (${population})
  GROUP BY ALL
), c AS (
  SELECT client_id,
    count_if(payload.process_type = 'content') AS content_crashes,
    count_if(payload.process_type = 'main' OR payload.process_type IS NULL) AS main_crashes
  FROM mozdata.telemetry.crash
  WHERE CAST(submission_timestamp AS DATE) = DATE '${day}'
  GROUP BY 1
)
SELECT m.*, c.content_crashes, c.main_crashes FROM m LEFT JOIN c USING (client_id)`;
