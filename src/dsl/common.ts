/** A TOML value kept as it was: what the typed DSL has no home for travels through `extra`. */
export type TomlValue = string | number | boolean | Date | readonly TomlValue[] | { readonly [key: string]: TomlValue };

/** Fields that only describe an entity; they appear in dashboards and docs, never in SQL. */
export interface Described {
  /**
   * Human-readable name shown on dashboards.
   * @example friendlyName: "GC time (ms)"
   */
  readonly friendlyName?: string;
  /**
   * Longer explanation, shown on hover in dashboards.
   * @example description: "Time spent in garbage collection per cycle."
   */
  readonly description?: string;
}

/** Keys with no typed home (for example Jetstream-only ones), carried through import and export. */
export interface PassThrough {
  /**
   * Config keys that opmon does not interpret, kept so export gives back what was imported.
   * @example extra: { analysis_units: ["client"] }
   */
  readonly extra?: { readonly [key: string]: TomlValue };
}
