import { register } from "node:module";
import { fileURLToPath } from "node:url";

/**
 * The running tool's own package entry, found from this module's location: `src/index.ts` when opmon
 * runs from source, `dist/index.js` (types in `dist/index.d.ts`) when it runs built. Config modules'
 * `import "opmon"` resolves here wherever the config directory is.
 *
 * @example opmonEntry().types // ".../opmon/src/index.ts"
 */
export function opmonEntry(): { readonly url: string; readonly types: string } {
  const source = import.meta.url.endsWith(".ts");
  const url = new URL(source ? "../index.ts" : "../index.js", import.meta.url).href;
  return { url, types: fileURLToPath(source ? url : new URL("../index.d.ts", import.meta.url)) };
}

let registered = false;

/**
 * Makes `import "opmon"` in config modules load the running tool when nothing else provides it (a
 * config folder with no `node_modules/opmon`). Idempotent.
 *
 * @example resolveOpmonToSelf(); await import(pathToFileURL("/anywhere/projects/x.ts").href);
 */
export function resolveOpmonToSelf(): void {
  if (registered) return;
  registered = true;
  // a data: URL: the hook runs on the loader thread, which must not need tsx to read it
  register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, { data: opmonEntry().url });
}

const HOOKS = `
let entry;
export function initialize(data) { entry = data; }
export async function resolve(specifier, context, next) {
  if (specifier !== "opmon") return next(specifier, context);
  try { return await next(specifier, context); } catch { return next(entry, context); }
}
`;
