import { z } from "zod";
import type { Body } from "../dsl/index.js";
import { issue, type Issue } from "./issue.js";

/** Slugs become table names; upstream normalises anything else to `_`, we refuse it up front. */
export const SLUG = /^[a-zA-Z0-9_-]+$/;
/** Branch names end up in SQL literals and dashboard filters. */
const BRANCH = /^[a-zA-Z0-9_.-]+$/;

const date = z.iso.date({ error: (i) => `"${String(i.input)}" is not a date in YYYY-MM-DD form` });
const sql = z.string().trim().min(1, { error: "SQL expression is empty" });
const percentile = z.number().gt(0, { error: "percentiles lie strictly between 0 and 100" }).lt(100, {
  error: "percentiles lie strictly between 0 and 100",
});
const statistic = z
  .object({
    percentile: z.object({ percentiles: z.array(percentile).min(1, { error: "give at least one percentile" }).optional() }).loose().optional(),
  })
  .loose();

/** What types cannot check: formats, ranges, enums of a picked project body (references excluded). */
export const bodySchema = z
  .object({
    slug: z.string().regex(SLUG, { error: (i) => `slug "${String(i.input)}" may only hold letters, digits, "_" and "-" (it names tables)` }).optional(),
    name: z.string().optional(),
    startDate: date.optional(),
    endDate: date.optional(),
    xaxis: z.enum(["submission_date", "build_id"]).optional(),
    referenceBranch: z.string().regex(BRANCH, { error: "branch names may only hold letters, digits, '_', '.' and '-'" }).optional(),
    probes: z.array(z.unknown()),
    statistics: z.record(z.string(), statistic),
    population: z
      .object({
        branches: z.array(z.string().regex(BRANCH, { error: "branch names may only hold letters, digits, '_', '.' and '-'" })).optional(),
        booleanPref: sql.optional(),
        channel: z.enum(["nightly", "beta", "release"], { error: (i) => `channel "${String(i.input)}" is not one of nightly, beta, release` }).optional(),
      })
      .loose(),
    alerts: z.record(
      z.string(),
      z
        .object({
          type: z.enum(["threshold", "ci_overlap", "avg_diff", "change_point", "branch_difference"]),
          parameters: z.array(percentile).optional(),
          min: z.array(z.number()).optional(),
          max: z.array(z.number()).optional(),
          windowSize: z.number().int().positive({ error: "windowSize is a whole number of points above 0" }).optional(),
          maxRelativeChange: z.number().positive({ error: "maxRelativeChange is a fraction above 0" }).optional(),
        })
        .loose(),
    ),
  })
  .loose()
  .superRefine((p, ctx) => {
    if (p.startDate && p.endDate && p.startDate > p.endDate) {
      ctx.addIssue({ code: "custom", path: ["endDate"], message: `start date ${p.startDate} is after end date ${p.endDate}` });
    }
  });

/** Renders a zod path as a config path: `alerts.crashes.max[0]`. */
export function configPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), "");
}

/** Validates the plain values of a project or defaults body; every problem is returned. */
export function validateBody(body: Body): Issue[] {
  const result = bodySchema.safeParse(body);
  if (result.success) return [];
  return result.error.issues.map((i) => issue("invalid_value", configPath(i.path), { reason: i.message }));
}
