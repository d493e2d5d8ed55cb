/**
 * The first line of an error's message: what a user needs, without the stack.
 *
 * @example firstLine(new Error("no such table\nLINE 1: ...")) // "no such table"
 */
export const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
