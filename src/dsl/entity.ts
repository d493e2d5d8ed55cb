/**
 * Marks every object the DSL builds. `Symbol.for` (not a module-local symbol) because a user's config
 * repository may load its own copy of opmon while the CLI loads another.
 */
export const ENTITY = Symbol.for("opmon:entity");

/** The discriminant of every DSL object. */
export type EntityKind = "platform" | "data_source" | "probe" | "dimension" | "project" | "defaults";

/** Type-only brand carrying the owning platform's name; it never exists at run time. */
export declare const platformOf: unique symbol;

/** Type-only brand telling whether a probe ships default statistics; never exists at run time. */
export declare const hasDefaultStatistics: unique symbol;

/** True when `value` was built by a `define*` builder of the given kind (any copy of opmon). */
export function isEntity<K extends EntityKind>(value: unknown, kind: K): value is { readonly kind: K } {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[ENTITY] === kind;
}

/** Freezes plain data recursively and tags it as an entity of `kind`. */
export function entity<T extends object>(kind: EntityKind, data: T): T {
  Object.defineProperty(data, ENTITY, { value: kind, enumerable: false });
  return deepFreeze(data);
}

/** Freezes plain objects and arrays recursively; objects already frozen are left as they are. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return value;
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}

/** Drops keys whose value is `undefined`, so frozen data prints and compares cleanly. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
