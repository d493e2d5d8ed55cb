import { z } from "zod";
import { configPath, SLUG } from "../config/project-schema.js";
import type { ImportLog } from "./import-context.js";
import type { TomlFile } from "./read-toml.js";

const text = z.string({ error: (i) => `expected a string, got ${describe(i.input)}` });
const flag = z.boolean({ error: (i) => `expected true or false, got ${describe(i.input)}` });
const names = z.array(text, { error: (i) => `expected a list of names, got ${describe(i.input)}` });
const numbers = z.array(z.number({ error: (i) => `expected a number, got ${describe(i.input)}` }), {
  error: (i) => `expected a list of numbers, got ${describe(i.input)}`,
});
const date = z
  .string({ error: (i) => `expected a date as "YYYY-MM-DD", got ${describe(i.input)}` })
  .refine(
    (v) =>
      /^\d{4}-\d{2}-\d{2}$/.test(v) &&
      !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) &&
      new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    {
      error: (i) => `"${String(i.input)}" is not a date as YYYY-MM-DD`,
    },
  );
const branch = text.regex(/^[a-zA-Z0-9_.-]+$/, {
  error: (i) => `branch "${String(i.input)}" may only hold letters, digits, "_", "." and "-"`,
});
const sql = text.refine((v) => v.trim().length > 0, { error: "SQL expression is empty" });

/** A value as a user wrote it, short enough for a one-line message. */
function describe(value: unknown): string {
  const shown = typeof value === "string" ? `"${value}"` : Array.isArray(value) ? "a list" : (JSON.stringify(value) ?? String(value));
  return shown.length > 40 ? `${shown.slice(0, 37)}...` : shown;
}

const table = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape, { error: (i) => `expected a table, got ${describe(i.input)}` });
const tables = <T extends z.ZodType>(entry: T) =>
  z.record(z.string(), entry, { error: (i) => `expected a table, got ${describe(i.input)}` });

const statistics = tables(tables(z.unknown()));
const metric = table({
  select_expression: sql.optional(),
  data_source: text.optional(),
  type: z.enum(["scalar", "histogram"]).optional(),
  statistics: statistics.optional(),
});
const dataSource = table({
  from_expression: sql.optional(),
  submission_date_column: sql.optional(),
  client_id_column: sql.optional(),
  build_id_column: sql.optional(),
  default_dataset: text.optional(),
});
const dimension = table({ select_expression: sql.optional(), data_source: text.optional() });
const alert = table({
  type: z
    .enum(["threshold", "ci_overlap", "avg_diff", "change_point", "branch_difference"], {
      error: (i) => `alert type ${describe(i.input)} is not one of threshold, ci_overlap, avg_diff, change_point, branch_difference`,
    })
    .optional(),
  direction: z.enum(["regression", "both"], { error: (i) => `direction ${describe(i.input)} is not one of regression, both` }).optional(),
  false_discovery_rate: z
    .number({ error: "false_discovery_rate is a fraction strictly between 0 and 1" })
    .gt(0, { error: "false_discovery_rate is a fraction strictly between 0 and 1" })
    .lt(1, { error: "false_discovery_rate is a fraction strictly between 0 and 1" })
    .optional(),
  metrics: names.optional(),
  parameters: numbers.optional(),
  percentiles: numbers.optional(),
  min: numbers.optional(),
  max: numbers.optional(),
  window_size: z.number().int().positive({ error: "window_size is a whole number above 0" }).optional(),
  max_relative_change: z.number().positive({ error: "max_relative_change is a number above 0" }).optional(),
});
const project = table({
  name: text.optional(),
  platform: text.optional(),
  start_date: date.optional(),
  end_date: date.optional(),
  metrics: names.optional(),
  probes: names.optional(),
  alerts: names.optional(),
  reference_branch: branch.optional(),
  compact_visualization: flag.optional(),
  skip: flag.optional(),
  skip_default_metrics: flag.optional(),
  is_rollout: flag.optional(),
  population: table({
    data_source: text.optional(),
    boolean_pref: sql.optional(),
    channel: z
      .enum(["nightly", "beta", "release"], { error: (i) => `channel ${describe(i.input)} is not one of nightly, beta, release` })
      .optional(),
    branches: z.array(branch, { error: (i) => `expected a list of branch names, got ${describe(i.input)}` }).optional(),
    dimensions: names.optional(),
    monitor_entire_population: flag.optional(),
    group_by_dimension: text.optional(),
  }).optional(),
  metric_groups: tables(table({ metrics: names.optional() })).optional(),
}).superRefine((p, ctx) => {
  const { start_date: start, end_date: end } = p as { start_date?: unknown; end_date?: unknown };
  if (typeof start === "string" && typeof end === "string" && start > end) {
    ctx.addIssue({ code: "custom", path: ["end_date"], message: `start date ${start} is after end date ${end}` });
  }
});

/** The value types of every section a config file may hold. */
const configFile = table({
  project: project.optional(),
  metrics: tables(metric).optional(),
  probes: tables(metric).optional(),
  data_sources: tables(dataSource).optional(),
  dimensions: tables(dimension).optional(),
  alerts: tables(alert).optional(),
});

/**
 * Checks the types and formats of a TOML config file's values (what upstream's parser would refuse or
 * silently mangle): dates, enums, lists, booleans, branch names, empty SQL; and a project file's slug.
 * Every problem is logged as an error with its config path.
 *
 * @example checkTomlValues(file, "gc-rollout", log);
 */
export function checkTomlValues(file: TomlFile, slug: string | undefined, log: ImportLog): void {
  if (slug !== undefined && !SLUG.test(slug)) log.error(file, "invalid_slug", "", { slug });
  const result = configFile.safeParse(file.data);
  if (result.success) return;
  for (const i of result.error.issues) log.error(file, "invalid_value", configPath(i.path), { reason: i.message });
}
