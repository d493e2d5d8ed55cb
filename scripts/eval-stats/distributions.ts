import { normalQuantile } from "../../src/stats/normal-quantile.js";
import { bucketOf, exponentialBuckets } from "./exponential-buckets.js";
import type { Sampler } from "./sampler.js";

/** A per-client scalar distribution with its population values. */
export interface ScalarDistribution {
  readonly kind: "scalar";
  readonly name: string;
  /** One client's value. */
  readonly draw: (s: Sampler) => number;
  /** E[X]: the true mean (and, times the expected number of clients, the true sum). */
  readonly mean: number;
  /** The true p-quantile, or undefined where a quantile interval is meaningless (discrete, mostly zeros). */
  readonly quantile?: (p: number) => number;
  /** Events per client, for counts of rare events: a day's total is then Poisson(rate × clients), a discrete count. */
  readonly eventRate?: number;
  /** A numerator for `total_ratio` over denominator `y`, and the true ratio E[x] / E[y]. */
  readonly ratio: { readonly draw: (s: Sampler, y: number) => number; readonly truth: number };
}

/** A per-client histogram distribution (bucket lower edge → count) with its population quantiles. */
export interface HistogramDistribution {
  readonly kind: "histogram";
  readonly name: string;
  readonly edges: readonly number[];
  /** One client's histogram. */
  readonly draw: (s: Sampler) => Map<number, number>;
  /** The true p-quantile of the client-weighted population (each client weighs 1, as opmon merges them). */
  readonly quantile: (p: number) => number;
}

export type Distribution = ScalarDistribution | HistogramDistribution;

/** The `total_ratio` denominator (active hours, say): U(0.2, 1.8), mean 1. */
export const drawDenominator = (s: Sampler): number => 0.2 + 1.6 * s.uniform();

/**
 * A lognormal with median 100 (a timing in ms, say).
 *
 * @example lognormal(1).quantile?.(0.9) // 100·e^1.2816 ≈ 360
 */
export function lognormal(sigma: number): ScalarDistribution {
  const mu = Math.log(100);
  const mean = Math.exp(mu + (sigma * sigma) / 2);
  return {
    kind: "scalar",
    name: `lognormal σ=${sigma}`,
    draw: (s) => s.lognormal(mu, sigma),
    mean,
    quantile: (p) => Math.exp(mu + sigma * normalQuantile(p)),
    // the value per hour is lognormal: the ratio of totals estimates its mean
    ratio: { draw: (s, y) => y * s.lognormal(mu, sigma), truth: mean },
  };
}

/**
 * Rare event counts: Poisson with mean `rate` per client (shutdown hangs, say). Its quantiles are 0 up to
 * p99, so quantile intervals are not evaluated on it.
 *
 * @example poissonCounts(0.01).mean // 0.01
 */
export function poissonCounts(rate: number): ScalarDistribution {
  return {
    kind: "scalar",
    name: `Poisson ${rate}`,
    draw: (s) => s.poisson(rate),
    mean: rate,
    eventRate: rate,
    // events per hour at `rate`, over U(0.2, 1.8) hours of mean 1
    ratio: { draw: (s, y) => s.poisson(rate * y), truth: rate },
  };
}

/**
 * Telemetry-like histograms: each client has its own scale (lognormal around `median`, log-sd
 * `clientSigma`) and sends a heavy-tailed number of samples (median `samples`) drawn around that scale
 * (log-sd `sampleSigma`), so samples within a client are correlated; the samples are counted in
 * Firefox exponential buckets (GC_MS-like: 1..10000 ms, 50 buckets). A sample's population distribution
 * is lognormal(log median, √(clientSigma² + sampleSigma²)), which gives the true quantiles (of the
 * continuous value, not of a bucket).
 *
 * @example multiSampleHistograms().quantile(0.5) // 40
 */
export function multiSampleHistograms(median = 40, clientSigma = 0.4, sampleSigma = 0.9, samples = 20): HistogramDistribution {
  const edges = exponentialBuckets(1, 10000, 50);
  const mu = Math.log(median);
  const total = Math.hypot(clientSigma, sampleSigma);
  return {
    kind: "histogram",
    name: "multi-sample histogram",
    edges,
    draw: (s) => {
      const scale = mu + clientSigma * s.normal();
      const count = Math.max(1, Math.round(s.lognormal(Math.log(samples), 1)));
      const histogram = new Map<number, number>();
      for (let i = 0; i < count; i++) {
        const bucket = bucketOf(edges, Math.exp(scale + sampleSigma * s.normal()));
        histogram.set(bucket, (histogram.get(bucket) ?? 0) + 1);
      }
      return histogram;
    },
    quantile: (p) => Math.exp(mu + total * normalQuantile(p)),
  };
}

/** The distributions of the coverage table, in its order. */
export const DISTRIBUTIONS: readonly Distribution[] = [lognormal(1), lognormal(1.5), multiSampleHistograms(), poissonCounts(0.01)];
