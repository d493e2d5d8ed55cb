#!/usr/bin/env node
// The CLI runs from TypeScript source; tsx also loads users' project modules at run time.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
