import { uniform } from "../../test/stats/statistic-harness.js";

/** Seeded draws from the distributions the evaluation simulates. */
export interface Sampler {
  /** Uniform on [0, 1). */
  readonly uniform: () => number;
  /** Standard normal. */
  readonly normal: () => number;
  /** exp(mu + sigma·Z). */
  readonly lognormal: (mu: number, sigma: number) => number;
  /** Poisson with mean `lambda`. */
  readonly poisson: (lambda: number) => number;
}

/**
 * A seeded sampler built on the test harness's uniform generator, so a seed reproduces a data set.
 *
 * @example const s = sampler(7); s.lognormal(0, 1); s.poisson(0.01);
 */
export function sampler(seed: number): Sampler {
  const next = uniform(seed);
  // Box-Muller yields two normals per pair of uniforms: keep the second for the next call
  let spare: number | undefined;
  const normal = () => {
    if (spare !== undefined) {
      const z = spare;
      spare = undefined;
      return z;
    }
    const r = Math.sqrt(-2 * Math.log(1 - next()));
    const angle = 2 * Math.PI * next();
    spare = r * Math.sin(angle);
    return r * Math.cos(angle);
  };
  const poisson = (lambda: number) => {
    // multiplication method: exact, and fast for the small means simulated here
    if (lambda > 500) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let product = next();
    while (product > limit) {
      k++;
      product *= next();
    }
    return k;
  };
  return { uniform: next, normal, lognormal: (mu, sigma) => Math.exp(mu + sigma * normal()), poisson };
}
