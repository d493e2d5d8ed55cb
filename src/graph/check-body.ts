import { validateBody } from "../config/project-schema.js";
import { didYouMean, issue, type Issue } from "../config/issue.js";
import { isEntity, STATISTICS_BY_TYPE, type AnyPlatform, type Body } from "../dsl/index.js";

type Collection = "probes" | "dimensions" | "dataSources";
const ENTITY_OF = { probes: "probe", dimensions: "dimension", dataSources: "data_source" } as const;
const UNKNOWN = { probes: "unknown_probe", dimensions: "unknown_dimension", dataSources: "unknown_data_source" } as const;

/**
 * Checks that a picked reference is an entity of the platform. tsc reports the same with a position;
 * this catches what reaches run time anyway (plain JavaScript configs, ignored type errors).
 */
export function checkReference(platform: AnyPlatform, collection: Collection, value: unknown, path: string): Issue[] {
  const expected = ENTITY_OF[collection];
  if (!isEntity(value, expected)) return [issue("not_a_reference", path, { expected: expected.replace("_", " ") })];
  const name = (value as unknown as { name: string }).name;
  const own = platform[collection] as { readonly [name: string]: unknown };
  if (own[name] !== undefined) return [];
  return [issue(UNKNOWN[collection], path, { name }, { hint: didYouMean(name, Object.keys(own)) })];
}

/** Everything one layer (a project or a defaults module) gets wrong on its own, all at once. */
export function checkBody(body: Body): Issue[] {
  const { platform } = body;
  const issues = validateBody(body);
  body.probes.forEach((p, i) => issues.push(...checkReference(platform, "probes", p, `probes[${i}]`)));
  body.population.dimensions.forEach((d, i) => issues.push(...checkReference(platform, "dimensions", d, `population.dimensions[${i}]`)));
  for (const key of ["dataSource", "groupByDimension"] as const) {
    const value = body.population[key];
    if (value !== undefined) {
      const collection = key === "dataSource" ? "dataSources" : "dimensions";
      issues.push(...checkReference(platform, collection, value, `population.${key}`));
    }
  }
  const level = (body as { readonly confidenceLevel?: unknown }).confidenceLevel;
  if (level !== undefined && !(typeof level === "number" && level > 0 && level < 1)) {
    issues.push(issue("invalid_value", "confidenceLevel", { reason: `confidence level ${String(level)} is not strictly between 0 and 1` }));
  }
  for (const [name, group] of Object.entries(body.metricGroups)) {
    group.probes.forEach((p, i) => issues.push(...checkReference(platform, "probes", p, `metricGroups.${name}.probes[${i}]`)));
  }
  for (const [name, alert] of Object.entries(body.alerts)) {
    alert.probes.forEach((p, i) => issues.push(...checkReference(platform, "probes", p, `alerts.${name}.probes[${i}]`)));
    issues.push(...checkAlertShape(alert, `alerts.${name}`));
  }
  for (const [probe, stats] of Object.entries(body.statistics)) {
    const definition = platform.probes[probe];
    if (!definition) {
      issues.push(
        issue("unknown_probe", `statistics.${probe}`, { name: probe }, { hint: didYouMean(probe, Object.keys(platform.probes)) }),
      );
      continue;
    }
    for (const statistic of Object.keys(stats)) {
      const allowed: readonly string[] = STATISTICS_BY_TYPE[definition.type];
      if (!allowed.includes(statistic)) {
        issues.push(
          issue(
            "statistic_not_for_type",
            `statistics.${probe}.${statistic}`,
            { statistic, probe, type: definition.type },
            {
              hint: didYouMean(statistic, allowed),
            },
          ),
        );
      }
    }
    const denominator = (stats as { total_ratio?: { denominatorMetric?: string } }).total_ratio?.denominatorMetric;
    if (denominator !== undefined && !platform.probes[denominator]) {
      issues.push(
        issue(
          "unknown_probe",
          `statistics.${probe}.total_ratio.denominatorMetric`,
          { name: denominator },
          {
            hint: didYouMean(denominator, Object.keys(platform.probes)),
          },
        ),
      );
    }
  }
  for (const [name, probe] of Object.entries(platform.probes)) {
    if (!probe.select.trim()) issues.push(issue("empty_sql", `platform.probes.${name}.select`, { what: `select of probe "${name}"` }));
  }
  issues.push(...checkNames(body), ...checkColumns(body));
  return issues;
}

/** Columns every per-client row has: a probe or dimension of the same name would select its column twice. */
const ROW_COLUMNS: readonly string[] = ["submission_date", "client_id", "build_id", "branch"];
/** Columns the statistics tables and views add: a dimension of the same name would shadow one. */
const STATISTICS_COLUMNS: readonly string[] = ["metric", "statistic", "parameter", "point", "lower", "upper", "clients", "too_few_clients", "most_recent"];

/** Monitored probes and dimensions whose names collide with opmon's own columns or with each other. */
function checkColumns(body: Body): Issue[] {
  const issues: Issue[] = [];
  const probes = new Set(body.probes.filter((p) => isEntity(p, "probe")).map((p) => p.name));
  body.probes.forEach((p, i) => {
    if (isEntity(p, "probe") && ROW_COLUMNS.includes(p.name)) issues.push(issue("name_is_column", `probes[${i}]`, { kind: "probe", name: p.name }));
  });
  body.population.dimensions.forEach((d, i) => {
    if (!isEntity(d, "dimension")) return;
    const path = `population.dimensions[${i}]`;
    if (ROW_COLUMNS.includes(d.name) || STATISTICS_COLUMNS.includes(d.name)) issues.push(issue("name_is_column", path, { kind: "dimension", name: d.name }));
    else if (probes.has(d.name)) issues.push(issue("name_is_column", path, { kind: "dimension", name: d.name, probe: true }));
  });
  return issues;
}

/** Names become columns, table labels and LookML fields: plain identifiers only (BigQuery's column rule). */
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** Every name a layer uses that is not a plain identifier, with its config path. */
function checkNames(body: Body): Issue[] {
  const groups: readonly (readonly [string, readonly string[]])[] = [
    ["platform.probes", Object.keys(body.platform.probes)],
    ["platform.dimensions", Object.keys(body.platform.dimensions)],
    ["platform.dataSources", Object.keys(body.platform.dataSources)],
    ["metricGroups", Object.keys(body.metricGroups)],
    ["alerts", Object.keys(body.alerts)],
  ];
  return groups.flatMap(([path, names]) =>
    names
      .filter((name) => !NAME.test(name))
      .map((name) => issue("invalid_name", `${path}[${JSON.stringify(name)}]`, { name: JSON.stringify(name).slice(1, -1) })),
  );
}

type AlertField =
  | "min"
  | "max"
  | "windowSize"
  | "maxRelativeChange"
  | "backWindow"
  | "foreWindow"
  | "tThreshold"
  | "noiseThreshold"
  | "minRelativeChange"
  | "direction"
  | "falseDiscoveryRate";
const BRANCH_DIFFERENCE_FIELDS = ["direction", "falseDiscoveryRate"] as const;
const DIRECTIONS: readonly string[] = ["regression", "both"];
const CHANGE_POINT_FIELDS = ["backWindow", "foreWindow", "tThreshold", "minRelativeChange"] as const;
/** Taken by change_point and avg_diff only. */
const NOISE_FIELDS = ["noiseThreshold"] as const;
const SEVERITIES: readonly string[] = ["info", "warning", "critical"];

/** The fields each alert type requires and refuses (upstream's rules, plus change_point's and branch_difference's), and their ranges. */
function checkAlertShape(alert: Body["alerts"][string], path: string): Issue[] {
  const issues: Issue[] = [];
  const has = (field: AlertField) => alert[field] !== undefined;
  const refuse = (...fields: AlertField[]) =>
    fields.filter(has).forEach((field) => issues.push(issue("alert_field_not_allowed", `${path}.${field}`, { field, type: alert.type })));
  const invalid = (field: string, reason: string) => issues.push(issue("invalid_value", `${path}.${field}`, { reason }));
  const wholeAtLeast = (field: "for" | "backWindow" | "foreWindow", least: number) => {
    const value = alert[field];
    if (value !== undefined && !(Number.isInteger(value) && value >= least))
      invalid(field, `${field} is a whole number of points, at least ${least}`);
  };
  const noiseAtLeastZero = () => {
    if (alert.noiseThreshold !== undefined && !(alert.noiseThreshold >= 0))
      invalid("noiseThreshold", "noiseThreshold is a number of standard errors, 0 (no noise test) or more");
  };
  wholeAtLeast("for", 1);
  if (alert.severity !== undefined && !SEVERITIES.includes(alert.severity)) {
    invalid("severity", `severity "${String(alert.severity)}" is not one of ${SEVERITIES.join(", ")}`);
  }
  if (alert.type === "threshold") {
    if (!has("min") && !has("max")) issues.push(issue("alert_threshold_missing", path, {}));
    refuse("windowSize", "maxRelativeChange", ...CHANGE_POINT_FIELDS, ...NOISE_FIELDS, ...BRANCH_DIFFERENCE_FIELDS);
    const parameters = alert.parameters?.length ?? 1;
    for (const field of ["min", "max"] as const) {
      const count = alert[field]?.length;
      if (count !== undefined && count !== 1 && count !== parameters) {
        issues.push(issue("alert_bounds_count", `${path}.${field}`, { field, count, parameters }));
      }
    }
  } else if (alert.type === "avg_diff") {
    for (const field of ["windowSize", "maxRelativeChange"] as const) {
      if (!has(field)) issues.push(issue("alert_field_required", `${path}.${field}`, { field, type: alert.type }));
    }
    refuse("min", "max", ...CHANGE_POINT_FIELDS, ...BRANCH_DIFFERENCE_FIELDS);
    noiseAtLeastZero();
  } else if (alert.type === "change_point") {
    refuse("min", "max", "windowSize", "maxRelativeChange", ...BRANCH_DIFFERENCE_FIELDS);
    // a variance needs two points on each side
    wholeAtLeast("backWindow", 2);
    wholeAtLeast("foreWindow", 2);
    if (alert.tThreshold !== undefined && !(alert.tThreshold > 0)) invalid("tThreshold", "tThreshold is a t statistic above 0");
    if (has("tThreshold") && has("noiseThreshold")) {
      invalid("noiseThreshold", "noiseThreshold and tThreshold choose different tests: set one (tThreshold keeps Perfherder's)");
    }
    if (alert.noiseThreshold !== undefined && !(alert.noiseThreshold > 0)) invalid("noiseThreshold", "noiseThreshold is a number of standard errors above 0");
    if (alert.minRelativeChange !== undefined && !(alert.minRelativeChange >= 0)) {
      invalid("minRelativeChange", "minRelativeChange is a fraction, 0 or more");
    }
  } else if (alert.type === "branch_difference") {
    // windowSize's range is the schema's (a whole number above 0), as for avg_diff
    refuse("min", "max", "maxRelativeChange", "backWindow", "foreWindow", "tThreshold", ...NOISE_FIELDS);
    if (alert.minRelativeChange !== undefined && !(alert.minRelativeChange >= 0)) {
      invalid("minRelativeChange", "minRelativeChange is a fraction, 0 or more");
    }
    if (alert.falseDiscoveryRate !== undefined && !(alert.falseDiscoveryRate > 0 && alert.falseDiscoveryRate < 1)) {
      invalid("falseDiscoveryRate", "falseDiscoveryRate is a fraction strictly between 0 and 1");
    }
    if (alert.direction !== undefined && !DIRECTIONS.includes(alert.direction)) {
      invalid("direction", `direction "${String(alert.direction)}" is not one of ${DIRECTIONS.join(", ")}`);
    }
  } else {
    refuse("min", "max", "windowSize", "maxRelativeChange", ...CHANGE_POINT_FIELDS, ...NOISE_FIELDS, ...BRANCH_DIFFERENCE_FIELDS);
  }
  return issues;
}
