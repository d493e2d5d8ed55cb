#!/usr/bin/env node
// The CLI runs from the built output (dist/, written by `npm run build`, which `npm install` runs).
let cli;
try {
  cli = await import("../dist/cli/main.js");
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || !String(error.message).includes("dist")) throw error;
  process.stderr.write("opmon: the built CLI is missing (dist/): run `npm run build` in the opmon package\n");
  process.exit(1);
}
// a library's notice (Google's MetadataLookupWarning, an experimental loader API) is not the user's business
process.removeAllListeners("warning");
if (process.env.OPMON_DEBUG) process.on("warning", (warning) => process.stderr.write(`${warning.stack ?? warning}\n`));
// tsx loads users' project modules, written in TypeScript; only commands that read them pay for it
const beforeCommand = async () => (await import("tsx/esm/api")).register();
process.exitCode = await cli.main(process.argv.slice(2), { beforeCommand });
