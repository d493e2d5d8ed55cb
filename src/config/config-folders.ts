/**
 * The folders of a config directory, in the order their modules load: platforms, their defaults, projects.
 *
 * @example CONFIG_FOLDERS.map((f) => `${f}/`).join(", ") // "definitions/, defaults/, projects/"
 */
export const CONFIG_FOLDERS = ["definitions", "defaults", "projects"] as const;
