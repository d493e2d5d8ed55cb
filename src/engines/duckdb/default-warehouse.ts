/** The default warehouse file (its own module so that `--help` shows it without loading DuckDB). */
export const DEFAULT_WAREHOUSE = ".opmon/warehouse.duckdb";
