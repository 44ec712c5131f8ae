/**
 * Seeded random variates for performance estimation's intervals: standard normals (Box–Muller), binomial
 * and Poisson counts. Exact for small counts (Bernoulli sums, waiting times, Knuth's product method), a
 * rounded normal approximation when the expected count and its complement are both at least 10 (then the
 * binomial's skewness is below 0.3 and the rounding error is at most one row).
 * Cost: O(min(n, n·min(p, 1 − p))) per binomial, O(λ) per Poisson below 30, O(1) otherwise.
 */

/** A seeded source of variates over a uniform generator in [0, 1). */
export interface Variates {
  normal(): number;
  binomial(n: number, p: number): number;
  poisson(lambda: number): number;
}

/** Variates drawn from `uniform` (e.g. `mulberry32(seed)`). */
export function variates(uniform: () => number): Variates {
  let spare: number | undefined;
  const normal = (): number => {
    if (spare !== undefined) {
      const z = spare;
      spare = undefined;
      return z;
    }
    let u = uniform();
    while (u <= 0) u = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    const t = 2 * Math.PI * uniform();
    spare = r * Math.sin(t);
    return r * Math.cos(t);
  };
  const binomial = (n: number, p: number): number => {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    const flip = p > 0.5;
    const q = flip ? 1 - p : p;
    let k: number;
    if (n < 40) {
      k = 0;
      for (let i = 0; i < n; i++) if (uniform() < q) k++;
    } else if (n * q < 10) {
      // Waiting times between successes are geometric: O(n·q) steps.
      const logQ = Math.log1p(-q);
      k = 0;
      let position = 0;
      for (;;) {
        let u = uniform();
        while (u <= 0) u = uniform();
        position += Math.floor(Math.log(u) / logQ) + 1;
        if (position > n) break;
        k++;
      }
    } else {
      k = Math.round(n * q + Math.sqrt(n * q * (1 - q)) * normal());
      k = Math.min(n, Math.max(0, k));
    }
    return flip ? n - k : k;
  };
  const poisson = (lambda: number): number => {
    if (lambda <= 0) return 0;
    if (lambda < 30) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let product = uniform();
      while (product > limit) {
        k++;
        product *= uniform();
      }
      return k;
    }
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal()));
  };
  return { normal, binomial, poisson };
}
