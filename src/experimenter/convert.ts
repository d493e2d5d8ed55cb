import { z } from "zod";
import type { Channel } from "../dsl/index.js";
import type { ExperimentInfo } from "../graph/project-graph.js";

const CHANNELS: readonly string[] = ["nightly", "beta", "release"] satisfies readonly Channel[];

/** One entry of Experimenter's v8 experiments API, as far as opmon reads it. */
const experimentV8 = z
  .object({
    slug: z.string().min(1),
    userFacingName: z.string().nullish(),
    appName: z.string().nullish(),
    appId: z.string().nullish(),
    channel: z.string().nullish(),
    isRollout: z.boolean().nullish(),
    startDate: z.iso.date().nullish(),
    endDate: z.iso.date().nullish(),
    referenceBranch: z.string().nullish(),
    branches: z.array(z.object({ slug: z.string().min(1), ratio: z.number().optional() }).loose()).default([]),
  })
  .loose();

/** An Experimenter entry converted for resolution, with its status on a given day. */
export interface Experiment extends ExperimentInfo {
  readonly status: "Live" | "Complete";
  readonly appId: string;
}

/** The entries that converted, and why the others did not. */
export interface Converted {
  readonly experiments: readonly Experiment[];
  readonly dropped: readonly string[];
}

/**
 * Converts the v8 API's answer as upstream does: status Live while the end date is unset or its
 * midnight (UTC) is not past, a rollout when flagged so or when it has one branch, channel kept only
 * when nightly, beta or release, app name and id defaulting to desktop. Unlike upstream, branches and
 * the channel are kept so that projects monitor the experiment's real branches. Entries that do not
 * parse (upstream kept one without a slug as the slug "None") are dropped and named.
 *
 * @example convertExperiments(await response.json(), new Date())
 */
export function convertExperiments(json: unknown, now: Date): Converted {
  if (!Array.isArray(json)) return { experiments: [], dropped: ["the answer is not a JSON array of experiments"] };
  const experiments: Experiment[] = [];
  const dropped: string[] = [];
  json.forEach((entry, index) => {
    const parsed = experimentV8.safeParse(entry);
    if (!parsed.success) {
      const slug = (entry as { slug?: unknown } | null)?.slug;
      const label = typeof slug === "string" ? slug : `#${index}`;
      dropped.push(`${label}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "entry"} ${i.message}`).join("; ")}`);
      return;
    }
    const e = parsed.data;
    const branches = e.branches.map((b) => b.slug);
    experiments.push({
      slug: e.slug,
      name: e.userFacingName ?? e.slug,
      appName: e.appName ?? "firefox_desktop",
      appId: e.appId ?? "firefox-desktop",
      // upstream reads the end date as its midnight (UTC): an experiment ending today is Complete from then
      status: !e.endDate || Date.parse(`${e.endDate}T00:00:00Z`) >= now.getTime() ? "Live" : "Complete",
      isRollout: Boolean(e.isRollout) || branches.length === 1,
      branches,
      ...(e.startDate ? { startDate: e.startDate } : {}),
      ...(e.endDate ? { endDate: e.endDate } : {}),
      ...(e.referenceBranch ? { referenceBranch: e.referenceBranch } : {}),
      ...(e.channel && CHANNELS.includes(e.channel) ? { channel: e.channel as Channel } : {}),
    });
  });
  return { experiments, dropped };
}
