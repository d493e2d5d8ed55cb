import type { Dimension } from "./dimension.js";
import { entity } from "./entity.js";
import type { Probe } from "./probe.js";
import { pickBody, type Body, type ProjectBody } from "./project.js";

/** Platform defaults: what {@link defineDefaults} returns. */
export interface Defaults extends Body {
  readonly kind: "defaults";
  readonly rollout?: boolean;
}

/**
 * Declares defaults for every project of a platform (upstream's `defaults/<platform>.toml`): probes
 * added to each project unless it sets `skipDefaultMetrics`, the population data source, the x-axis.
 * With `rollout: true` they apply only to rollouts (upstream's `defaults/rollout.toml`).
 *
 * @example
 * export default defineDefaults({
 *   platform: desktop,
 *   xaxis: "submission_date",
 *   probes: (p) => [p.active_hours],
 *   statistics: { active_hours: { mean: {} } },
 *   population: { dataSource: (ds) => ds.main },
 * });
 */
export function defineDefaults<
  P extends string,
  DS,
  PR,
  DM,
  const M extends readonly Probe<NoInfer<P>>[],
  const D extends readonly Dimension<NoInfer<P>>[] = readonly [],
>(options: ProjectBody<P, DS, PR, DM, M, D> & { /** Apply only to rollouts. @example rollout: true */ readonly rollout?: boolean }): Defaults {
  return entity("defaults", { ...pickBody(options as never), kind: "defaults" as const });
}
