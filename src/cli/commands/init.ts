import type { CAC } from "cac";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { out, UserError } from "../output.js";
import { version } from "../version.js";

/**
 * The files of a new config repository, by path. `opmon` is the version range of this release, or a
 * tarball given by its path relative to the repository (`npm pack` output, for offline installs).
 */
function scaffold(name: string, opmon: string): Record<string, string> {
  const devDependencies = { typescript: "6.0.3" };
  return {
    "package.json": `${JSON.stringify(
      {
        name,
        private: true,
        type: "module",
        scripts: { test: "tsc --noEmit && opmon validate", validate: "opmon validate" },
        dependencies: { opmon },
        devDependencies,
      },
      null,
      2,
    )}\n`,
    "tsconfig.json": `${JSON.stringify(
      {
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          exactOptionalPropertyTypes: true,
          skipLibCheck: true,
          noEmit: true,
        },
        include: ["definitions", "defaults", "projects"],
      },
      null,
      2,
    )}\n`,
    ".gitignore": "node_modules/\n.opmon/\n",
    "definitions/my_app.ts": `import { defineDataSource, defineDimension, definePlatform, defineProbe } from "opmon";

/** The platform: its tables, the probes computed from them, and the dimensions to segment by. */
export const myApp = definePlatform("my_app", {
  glean: true,
  appIds: { release: "org.example.my_app" },
  dataSources: {
    metrics: defineDataSource({
      from: "mozdata.{dataset}.metrics",
      submissionDateColumn: "DATE(submission_timestamp)",
      clientIdColumn: "client_info.client_id",
    }),
  },
  probes: ({ metrics }) => ({
    page_load_ms: defineProbe({
      type: "histogram",
      dataSource: metrics,
      select: "ARRAY_AGG(metrics.timing_distribution.page_load IGNORE NULLS)",
      friendlyName: "Page load time",
      statistics: { percentile: { percentiles: [50, 95] } },
    }),
    crashes: defineProbe({
      type: "scalar",
      dataSource: metrics,
      select: "SUM(metrics.counter.crash_count)",
      friendlyName: "Crashes",
    }),
  }),
  dimensions: ({ metrics }) => ({
    os: defineDimension({ dataSource: metrics, select: "normalized_os", friendlyName: "Operating system" }),
  }),
});
`,
    "projects/my-rollout.ts": `import { defineProject } from "opmon";
import { myApp } from "../definitions/my_app.js";

/** A pref-controlled rollout on release, day by day. */
export default defineProject({
  name: "My rollout",
  platform: myApp,
  startDate: "2026-01-01",
  probes: (p) => [p.page_load_ms, p.crashes],
  statistics: { crashes: { sum: {}, mean: {} } },
  population: {
    dataSource: (ds) => ds.metrics,
    booleanPref: "metrics.boolean.my_feature_enabled",
    channel: "release",
    dimensions: (d) => [d.os],
  },
  alerts: {
    crash_ceiling: { type: "threshold", probes: (p) => [p.crashes], max: [1000] },
  },
});
`,
    ".github/workflows/opmon.yml": `name: opmon
on: [push, pull_request]
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: { node-version: 20 }
      - run: npm install
      - run: npm test
`,
    "README.md": `# ${name}

Operational monitoring projects for opmon: typed TypeScript modules, checked by \`tsc\` and run nightly.

- \`definitions/\`: platforms (data sources, probes, dimensions)
- \`defaults/\`: probes every project of a platform gets
- \`projects/\`: one monitoring project per file; the file name is the slug

\`npm test\` type-checks everything and runs \`opmon validate\`.
`,
  };
}

/**
 * `opmon init DIR`: scaffolds a config repository whose own `npm test` runs tsc and `opmon validate`.
 * It depends on `^VERSION` of opmon, or with `--from-tarball FILE` on that tarball (offline, or to try a
 * build before it is published).
 */
export function registerInit(cli: CAC): void {
  cli
    .command("init <dir>", "Scaffold a config repository (package.json, tsconfig, CI, example platform and project)")
    .option("--from-tarball <file>", "Depend on this opmon tarball (from npm pack) instead of the registry's ^" + version)
    .example("opmon init ./monitoring && cd monitoring && npm install && npm test")
    .example("npm pack && opmon init ./monitoring --from-tarball opmon-" + version + ".tgz")
    .action((dir: string, options: { fromTarball?: string }) => {
      const root = resolve(dir);
      if (existsSync(root) && readdirSync(root).length > 0) throw new UserError(`${dir} exists and is not empty; pick a new directory`);
      const tarball = options.fromTarball === undefined ? undefined : String(options.fromTarball);
      if (tarball !== undefined && !existsSync(tarball)) throw new UserError(`--from-tarball ${tarball}: no such file`);
      // relative, so that the repository and the tarball can move together
      const opmon = tarball === undefined ? `^${version}` : `file:${relative(root, resolve(tarball)).split("\\").join("/")}`;
      const files = scaffold(
        root
          .split(/[\\/]/)
          .pop()
          ?.toLowerCase()
          .replace(/[^a-z0-9-]/g, "-") || "monitoring",
        opmon,
      );
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
      }
      out(`Created ${Object.keys(files).length} files in ${dir}. Next:`);
      out(`  cd ${dir} && npm install && npm test`);
      return 0;
    });
}
