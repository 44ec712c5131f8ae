/**
 * Small seeded generators, so generated data is the same on every run: the demo's data, the benchmarks'
 * and the tests' (the python reference script, test/fixtures/generate_reference.py, implements the same
 * xorshift32 and Irwin–Hall normal bit for bit).
 */

const TWO32 = 4294967296;

/** mulberry32: uniforms in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / TWO32;
  };
}

/** xorshift32 (13, 17, 5): uniforms in [0, 1). A zero seed would stay zero, so it must not be 0 mod 2³². */
export function xorshift32(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / TWO32;
  };
}

/** Standard normals as the Irwin–Hall sum of six uniforms, (Σ − 3)·√2 (bounded at ±4.24). */
export function irwinHallNormals(u: () => number): () => number {
  return () => (u() + u() + u() + u() + u() + u() - 3) * Math.SQRT2;
}
