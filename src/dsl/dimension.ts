import type { Described, PassThrough } from "./common.js";
import type { DataSource } from "./data-source.js";
import { compact, type platformOf } from "./entity.js";

/** Options of {@link defineDimension}. */
export interface DimensionOptions extends Described, PassThrough {
  /**
   * The data source the dimension belongs to. The population query evaluates the expression against the
   * project's population data source.
   * @example dataSource: main
   */
  readonly dataSource: DataSource;
  /**
   * SQL expression giving the dimension value (cast to a string).
   * @example select: "environment.system.os.name"
   */
  readonly select: string;
}

/** A dimension before its platform names it. */
export interface DimensionSpec extends DimensionOptions {
  readonly kind: "dimension";
}

/** A named dimension of platform `P`: a column that segments every statistic. */
export interface Dimension<P extends string = string, N extends string = string> extends DimensionSpec {
  readonly name: N;
  readonly [platformOf]: P;
}

/**
 * Declares a dimension to segment results by. The name comes from its key in
 * `definePlatform({ dimensions })`.
 *
 * @example
 * os: defineDimension({ dataSource: main, select: "environment.system.os.name" })
 */
export function defineDimension(options: DimensionOptions): DimensionSpec {
  return compact({ kind: "dimension" as const, ...options });
}
