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
  /**
   * How the entry was written in TOML, kept by `opmon import` so `opmon export` writes back the same keys.
   * Hand-written configs leave it out: export then writes every field that is set.
   * @example toml: { keys: ["data_source"] }
   */
  readonly toml?: TomlLayout;
}

/**
 * The TOML keys of an imported entry, as dotted paths relative to the entry's own table. Needed where the
 * typed data alone cannot tell: an override that repeats its base's value, a default that was not written.
 */
export interface TomlLayout {
  /** Exactly the keys written (an override of a base entry lists only its own keys). */
  readonly keys?: readonly string[];
  /** Keys that are set in the data but were not written in TOML (a filled-in default). */
  readonly omit?: readonly string[];
  /** Tables and lists written empty (export leaves empty ones out otherwise). */
  readonly empty?: readonly string[];
  /** Keys written under another name: TOML key to the key export would use. */
  readonly renamed?: { readonly [tomlKey: string]: string };
}
