import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { convertExperiments } from "../../src/experimenter/convert.js";
import { EXPERIMENTER_URL, fetchExperiments } from "../../src/experimenter/fetch-experiments.js";
import { resolveConfigDir } from "../../src/graph/resolve-config-dir.js";
import { importTrees } from "./upstream-configs.js";

/**
 * The cases of upstream OpMon's `opmon/tests/test_experimenter.py`, through opmon's own path: the
 * same v8 API answers served by a loopback Experimenter (upstream mocks `requests.Session.get`) or
 * converted as `readExperimentsFile` does, then matched to projects by slug.
 *
 * Where we differ on purpose: an entry without a slug is dropped and named (upstream keeps it as an
 * experiment whose slug is the string "None"; docs/differences-from-opmon.md, "Experimenter entries
 * that do not parse are dropped"). Upstream's `experimenter_slug` (always None for v8), `type` ("v6")
 * and `boolean_pref` (always None) have no counterpart: nothing reads them.
 */

/** Upstream's `EXPERIMENTER_FIXTURE_V8` (descriptions shortened: nothing reads them). */
const FIXTURE_V8 = [
  {
    schemaVersion: "1",
    application: "firefox-desktop",
    id: "bug-1629000-rapid-testing-rapido-intake-1-release-79",
    slug: "bug-1629098-rapid-please-reject-me-beta-86",
    userFacingName: "",
    userFacingDescription: "An empty CFR A/A experiment.",
    isEnrollmentPaused: false,
    metricSets: [],
    proposedEnrollment: 7,
    bucketConfig: {
      randomizationUnit: "userId",
      namespace: "bug-1629098-rapid-please-reject-me-beta-86",
      start: 0,
      count: 100,
      total: 10000,
    },
    startDate: "2020-07-29",
    endDate: null,
    branches: [
      { slug: "treatment", ratio: 1, feature: { featureId: "foo", enabled: false, value: null } },
      { slug: "control", ratio: 1, feature: { featureId: "foo", enabled: false, value: null } },
    ],
    referenceBranch: "control",
    filter_expression: "env.version|versionCompare('86.0') >= 0",
    targeting: `[userId, "bug-1629098-rapid-please-reject-me-beta-86"]|bucketSample(0, 100, 10000) && localeLanguageCode == 'en' && region == 'US' && browserSettings.update.channel == 'beta'`,
  },
  {
    schemaVersion: "1",
    application: "firefox-desktop",
    id: "bug-1629000-rapid-testing-rapido-intake-1-release-79",
    slug: "bug-1629000-rapid-testing-rapido-intake-1-release-79",
    userFacingName: "testing rapido intake 1",
    userFacingDescription: "An empty CFR A/A experiment.",
    isEnrollmentPaused: false,
    metricSets: ["fake_feature"],
    proposedEnrollment: 14,
    proposedDuration: 30,
    bucketConfig: { randomizationUnit: "normandy_id", namespace: "", start: 0, count: 0, total: 10000 },
    startDate: "2020-07-28",
    endDate: null,
    branches: [
      { slug: "treatment", ratio: 1, feature: { featureId: "foo", enabled: false, value: null } },
      { slug: "control", ratio: 1, feature: { featureId: "foo", enabled: false, value: null } },
    ],
    referenceBranch: "control",
    filter_expression: "env.version|versionCompare('79.0') >= 0",
    targeting: "",
  },
  {
    id: null,
    slug: null,
    userFacingName: "some invalid experiment",
    userFacingDescription: "An empty CFR A/A experiment.",
    isEnrollmentPaused: false,
    proposedEnrollment: 14,
    bucketConfig: { randomizationUnit: "normandy_id", namespace: "", start: 0, count: 0, total: 10000 },
    startDate: null,
    endDate: null,
    branches: [],
    referenceBranch: "control",
    enabled: true,
    targeting: null,
  },
];

/** Upstream's `FENIX_EXPERIMENT_FIXTURE` (description shortened). */
const FENIX_EXPERIMENT = {
  schemaVersion: "1.4.0",
  slug: "fenix-bookmark-list-icon",
  id: "fenix-bookmark-list-icon",
  arguments: {},
  application: "org.mozilla.fenix",
  appName: "fenix",
  appId: "org.mozilla.fenix",
  channel: "nightly",
  userFacingName: "Fenix Bookmark List Icon",
  userFacingDescription: "If we make the save-bookmark and access-bookmarks icons more visually distinct...",
  isEnrollmentPaused: true,
  bucketConfig: { randomizationUnit: "nimbus_id", namespace: "fenix-bookmark-list-icon-1", start: 0, count: 10000, total: 10000 },
  metricSets: [],
  outcomes: [{ slug: "default-browser", priority: "primary" }],
  branches: [
    { slug: "control", ratio: 1 },
    { slug: "treatment", ratio: 1 },
  ],
  targeting: "true",
  startDate: "2021-02-09",
  endDate: "2021-03-11",
  proposedDuration: 28,
  proposedEnrollment: 7,
  referenceBranch: "control",
  featureIds: [],
};

const NOW = new Date("2026-11-28T12:00:00Z");
const collection = convertExperiments(FIXTURE_V8, NOW);
const withSlug = (slug: string) => collection.experiments.find((e) => e.slug === slug);
/** Upstream's `ExperimentV8(...)` built in the test, as the API's JSON. */
const v8 = (fields: Record<string, unknown>) =>
  convertExperiments(
    [
      {
        slug: "test_slug",
        userFacingName: "Test",
        referenceBranch: "control",
        branches: [
          { slug: "control", ratio: 2 },
          { slug: "treatment", ratio: 1 },
        ],
        ...fields,
      },
    ],
    NOW,
  ).experiments[0];
const day = (offsetDays: number) => new Date(NOW.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe("upstream opmon/tests/test_experimenter.py", () => {
  it("test_from_experimenter: one GET of the v8 URL; two experiments with two branches each, started after 2019 (the slug-less entry is dropped)", async () => {
    const requests: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      requests.push(req.url);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(FIXTURE_V8));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v8/experiments/`;
    const { experiments, dropped } = await fetchExperiments({ url, now: NOW }).finally(() => new Promise((r) => server.close(r)));
    expect(EXPERIMENTER_URL).toBe("https://experimenter.services.mozilla.com/api/v8/experiments/");
    expect(requests).toEqual(["/api/v8/experiments/"]);
    expect(experiments).toHaveLength(2);
    expect(experiments[0]?.branches).toHaveLength(2);
    expect(experiments[0]!.startDate! > "2019-01-01").toBe(true);
    expect(experiments[1]?.branches).toHaveLength(2);
    expect(dropped).toEqual([expect.stringMatching(/^#2: slug /)]);
  });

  it('test_normandy_experiment_slug: both slugs are there; no experiment is called "None"', () => {
    const slugs = collection.experiments.map((e) => e.slug);
    expect(slugs).toContain("bug-1629098-rapid-please-reject-me-beta-86");
    expect(slugs).toContain("bug-1629000-rapid-testing-rapido-intake-1-release-79");
    expect(slugs).not.toContain("None");
  });

  it("test_with_slug: a project takes the experiment with its slug; a slug Experimenter does not know takes none", async () => {
    expect(withSlug("bug-1629000-rapid-testing-rapido-intake-1-release-79")?.slug).toBe(
      "bug-1629000-rapid-testing-rapido-intake-1-release-79",
    );
    expect(withSlug("bug-1629098-rapid-please-reject-me-beta-86")?.slug).toBe("bug-1629098-rapid-please-reject-me-beta-86");
    expect(withSlug("non-existing-slug")).toBeUndefined();
    const config = `[project]\nmetrics = []\n`;
    const { dir } = await importTrees({
      "opmon/bug-1629000-rapid-testing-rapido-intake-1-release-79.toml": config,
      "opmon/non-existing-slug.toml": config,
    });
    const { projects } = await resolveConfigDir(dir, { experiments: collection.experiments, requireExperiment: true });
    const known = projects.find((p) => p.slug === "bug-1629000-rapid-testing-rapido-intake-1-release-79")?.graph;
    expect(known).toMatchObject({ name: "testing rapido intake 1", startDate: "2020-07-28" });
    expect(known?.population.branches).toEqual(["treatment", "control"]);
    expect(known?.referenceBranch).toBe("control");
    const unknown = projects.find((p) => p.slug === "non-existing-slug");
    expect(unknown?.issues.map((i) => i.code)).toContain("not_in_experimenter");
  });

  it("test_convert_experiment_v8_to_experiment: ended 2019-01-10 is Complete, two branches, reference control, no channel", () => {
    const experiment = v8({ startDate: "2019-01-01", endDate: "2019-01-10" });
    expect(experiment).toMatchObject({
      slug: "test_slug",
      status: "Complete",
      branches: ["control", "treatment"],
      referenceBranch: "control",
    });
    expect(experiment?.channel).toBeUndefined();
  });

  it("test_experiment_v8_status: ending tomorrow is Live; an end date already past (its midnight, UTC) is Complete", () => {
    expect(v8({ startDate: "2019-01-01", endDate: day(1), channel: null })?.status).toBe("Live");
    expect(v8({ startDate: "2019-01-01", endDate: day(-1), channel: "release" })?.status).toBe("Complete");
    // upstream compares the end date's midnight with now: at noon, an experiment ending today is Complete
    expect(v8({ startDate: "2019-01-01", endDate: day(0) })?.status).toBe("Complete");
    expect(convertExperiments([{ slug: "s", endDate: day(0), branches: [] }], new Date(`${day(0)}T00:00:00Z`)).experiments[0]?.status).toBe(
      "Live",
    );
    expect(v8({ startDate: "2019-01-01", endDate: day(-1), channel: "release" })?.channel).toBe("release");
  });

  it("test_app_name: a fenix experiment's app name and id", () => {
    const [fenix] = convertExperiments([FENIX_EXPERIMENT], NOW).experiments;
    expect(fenix).toMatchObject({ appName: "fenix", appId: "org.mozilla.fenix", channel: "nightly" });
  });
});
