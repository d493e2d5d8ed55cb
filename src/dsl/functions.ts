import type { Described } from "./common.js";
import { deepFreeze } from "./entity.js";

/** One Jinja helper: SQL with a `{select_expr}` slot, filled with the helper's argument. */
export interface FunctionDefinition extends Described {
  /**
   * The SQL the call expands to; `{select_expr}` stands for the argument.
   * @example definition: "COALESCE(SUM({select_expr}), 0)"
   */
  readonly definition: string;
}

/** Jinja helpers by name: what {@link defineFunctions} returns. */
export interface Functions {
  readonly kind: "functions";
  readonly functions: { readonly [name: string]: FunctionDefinition };
}

/**
 * Declares the Jinja helpers select expressions may call (upstream's `definitions/functions.toml`).
 * Pass the result to `definePlatform({ functions })`; `{{ agg_sum("active_hours_sum") }}` in a select
 * then renders to `COALESCE(SUM(active_hours_sum), 0)` when the project resolves.
 *
 * @example
 * export const functions = defineFunctions({
 *   agg_sum: { definition: "COALESCE(SUM({select_expr}), 0)", friendlyName: "Sum" },
 *   agg_any: { definition: "COALESCE(LOGICAL_OR({select_expr}), FALSE)" },
 * });
 */
export function defineFunctions(functions: { readonly [name: string]: FunctionDefinition }): Functions {
  return deepFreeze({ kind: "functions" as const, functions: { ...functions } });
}
