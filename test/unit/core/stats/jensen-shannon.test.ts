import { describe, expect, it } from "vitest";
import { jensenShannonDistance } from "../../../../lambdas/core/stats/jensen-shannon.js";
import { loadReference } from "../fixture-data.js";

const ref = loadReference();

describe("Jensen–Shannon distance = scipy.spatial.distance.jensenshannon(p, q, base=2)", () => {
  it.each((ref.jensenShannon as { p: number[]; q: number[]; distance: number }[]).map((c) => [JSON.stringify(c.p), c] as const))(
    "p = %s",
    (_n, c) => {
      expect(Math.abs(jensenShannonDistance(c.p, c.q) - c.distance)).toBeLessThanOrEqual(1e-12);
    },
  );
});

