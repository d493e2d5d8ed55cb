import nunjucks from "nunjucks";
import { issue, type Issue } from "../config/issue.js";
import type { Functions, TomlValue } from "../dsl/index.js";

/** What a select expression may refer to: the platform's helpers and the project's parameters. */
export interface RenderContext {
  readonly functions?: Functions | undefined;
  readonly parameters?: { readonly [name: string]: { readonly [key: string]: TomlValue } } | undefined;
}

/** The rendered SQL, or the reason it cannot be rendered. */
export type Rendered = { readonly sql: string } | { readonly error: string };

/**
 * Renders the Jinja in a select expression as upstream does: helpers from `functions.toml` expand their
 * `{select_expr}` slot, `{{ parameters.x }}` gives the parameter's value (else its default), and anything
 * undefined is an error. SQL without `{{` or `{%` is returned as it is.
 *
 * @example renderSelect('{{agg_sum("ad_click")}}', { functions }) // { sql: "COALESCE(SUM(ad_click), 0)" }
 */
export function renderSelect(sql: string, context: RenderContext): Rendered {
  if (!sql.includes("{{") && !sql.includes("{%")) return { sql };
  // no autoescape: the output is SQL, and quotes must stay quotes
  const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true });
  for (const [name, fn] of Object.entries(context.functions?.functions ?? {})) {
    env.addGlobal(name, (arg: unknown) => fn.definition.replaceAll("{select_expr}", String(arg)));
  }
  const parameters = Object.fromEntries(
    Object.entries(context.parameters ?? {}).map(([name, p]) => [name, p["value"] ?? p["default"]]),
  );
  try {
    return { sql: env.renderString(sql, { parameters }) };
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ").trim();
    return { error: reason.replace(/^\(unknown path\)\s*/, "") };
  }
}

/**
 * Renders the selects of a project's probes and dimensions, by name. A select that cannot render adds an
 * issue at its path and keeps its raw text.
 *
 * @example const selects = renderSelects({ probes, dimensions }, { functions: platform.functions }, issues);
 */
export function renderSelects(
  items: { readonly probes: readonly Named[]; readonly dimensions: readonly Named[] },
  context: RenderContext,
  issues: Issue[],
): { readonly probes: ReadonlyMap<string, string>; readonly dimensions: ReadonlyMap<string, string> } {
  const render = (list: readonly Named[], where: string) =>
    new Map(
      list.map(({ name, select }) => {
        const rendered = renderSelect(select, context);
        if ("sql" in rendered) return [name, rendered.sql];
        issues.push(issue("invalid_value", `${where}.${name}.select`, { reason: `cannot render the select of "${name}": ${rendered.error}` }));
        return [name, select];
      }),
    );
  return { probes: render(items.probes, "probes"), dimensions: render(items.dimensions, "dimensions") };
}

interface Named {
  readonly name: string;
  readonly select: string;
}
