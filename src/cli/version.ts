import { readFileSync } from "node:fs";

/** opmon's own version, from its package.json (beside `src/` and `dist/` alike). */
export const version: string = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string })
  .version;
