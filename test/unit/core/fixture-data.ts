/**
 * Loads test/fixtures/stats-reference.json (written by test/fixtures/generate_reference.py with scipy) and
 * regenerates its large inputs from their specs with the same arithmetic-only algorithm as the script:
 * xorshift32 uniforms, Irwin–Hall normals, optional rounding — bit-identical to the python values.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { xorshift32 } from "../../../lambdas/core/stats/seeded.js";

export interface DataSpec {
  readonly kind: "normal" | "uniform" | "square";
  readonly seed: number;
  readonly n: number;
  readonly loc: number;
  readonly scale: number;
  readonly decimals?: number;
}

/** Verbatim values (null = missing) or a spec to regenerate. */
export type FixtureData = (number | null)[] | DataSpec;


export function generate(spec: DataSpec): Float64Array {
  const uniform = xorshift32(spec.seed);
  const out = new Float64Array(spec.n);
  const factor = spec.decimals === undefined ? undefined : 10 ** spec.decimals;
  for (let i = 0; i < spec.n; i++) {
    let z: number;
    if (spec.kind === "normal") {
      let s = 0;
      for (let k = 0; k < 6; k++) s += uniform();
      z = (s - 3) * Math.SQRT2;
    } else if (spec.kind === "uniform") {
      z = uniform();
    } else {
      const u = uniform();
      z = u * u;
    }
    let v = spec.loc + spec.scale * z;
    if (factor !== undefined) v = Math.floor(v * factor + 0.5) / factor;
    out[i] = v;
  }
  return out;
}

/** Values with NaN for missing. */
export function materialize(data: FixtureData): Float64Array {
  return Array.isArray(data) ? Float64Array.from(data, (v) => (v === null ? NaN : v)) : generate(data);
}

export type Reference = any;

let cached: Reference | undefined;
export function loadReference(): Reference {
  cached ??= JSON.parse(
    readFileSync(fileURLToPath(new URL("../../fixtures/stats-reference.json", import.meta.url)), "utf8"),
  );
  return cached;
}

/** |actual − expected| ≤ rel·|expected| (exact equality when expected is 0). */
export function relativeError(actual: number, expected: number): number {
  if (actual === expected) return 0;
  return Math.abs(actual - expected) / Math.abs(expected);
}
