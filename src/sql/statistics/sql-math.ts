/**
 * SQL arithmetic both engines spell the same way and that propagates NULL as BigQuery does.
 * DuckDB's GREATEST and LEAST skip NULL arguments (GREATEST(NULL, 0) is 0) while BigQuery's return
 * NULL, so the statistics never call them: a CASE compares instead, and NULL stays NULL in both.
 */

/**
 * `x`, or `floor` where `x` is below it; NULL when `x` is NULL (in every engine).
 *
 * @example atLeast("lower", "0") // "CASE WHEN (lower) < (0) THEN (0) ELSE (lower) END"
 */
export const atLeast = (x: string, floor: string): string => `CASE WHEN (${x}) < (${floor}) THEN (${floor}) ELSE (${x}) END`;

/**
 * The real cube root of `x` (negative for negative `x`), NULL for NULL.
 *
 * @example cubeRoot("-8") // evaluates to -2
 */
export const cubeRoot = (x: string): string => `SIGN(${x}) * POWER(ABS(${x}), 1.0 / 3)`;
