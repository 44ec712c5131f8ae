import { beforeAll, describe, expect, it } from "vitest";
import { createTestStack, replaceStack, type TestStack } from "../stack.js";
import { putObject } from "./helpers.js";

/**
 * Races, repeated: each run takes a fresh model and fires 20 concurrent operations at it; the invariants
 * must hold in every one of 100 runs. (The emulator serialises single DynamoDB calls as real DynamoDB's
 * per-call atomicity does; the races between a read and the conditional write that depends on it remain.)
 */
const runs = Number(process.env.RACE_RUNS ?? 100);
/** Generous: 100 runs of 20 concurrent operations against the emulator take minutes on 2 cores. */
const timeout = 900_000;

describe(`promotions and rollbacks under concurrency, ${runs} of ${runs} runs`, () => {
  let stack: TestStack;
  const freshStack = async (): Promise<void> => {
    stack = await replaceStack(stack, "race");
  };
  let artifact: string;
  beforeAll(async () => {
    stack = await createTestStack("promo-races");
    artifact = (await putObject(stack, "external/race.bin", "weights")).uri;
  });

  it("keeps exactly one production version under 10 concurrent promotions and 10 concurrent rollbacks", async () => {
    for (let run = 0; run < runs; run++) {
      // A fresh table every run, the last one dropped (see replaceStack).
      if (run > 0) await freshStack();
      // Prepare: production 1.0.0 then 1.1.0 (so a rollback has a target), and 10 staging candidates
      const model = `prod-${run}`;
      const reg = (version: string, stage: string) =>
        stack.call("POST", `/models/${model}/versions`, { version, artifactUri: artifact, metrics: { auc: 0.9 }, stage, ...(version === "1.0.0" ? { primaryMetric: "auc", direction: "higher" } : {}) });
      await reg("1.0.0", "staging");
      expect((await stack.call("POST", `/models/${model}/versions/1.0.0/promote`, { stage: "production", reason: "first" })).status).toBe(200);
      await reg("1.1.0", "staging");
      expect((await stack.call("POST", `/models/${model}/versions/1.1.0/promote`, { stage: "production", reason: "second" })).status).toBe(200);
      const candidates = Array.from({ length: 10 }, (_, i) => `2.${i}.0`);
      await Promise.all(candidates.map((v) => reg(v, "staging")));
      // Act: 10 promotions to production and 10 rollbacks at once
      const ops = [
        ...candidates.map((v) => stack.call("POST", `/models/${model}/versions/${v}/promote`, { stage: "production", reason: `race ${v}` })),
        ...Array.from({ length: 10 }, () => stack.call("POST", `/models/${model}/rollback`, { reason: "race rollback" })),
      ];
      const results = await Promise.all(ops);
      // Assess: losers are told (409), never a 5xx; exactly one production version, and the model says which
      for (const r of results) expect([200, 409], `run ${run}: ${r.status} ${JSON.stringify(r.body)}`).toContain(r.status);
      expect(results.filter((r) => r.status === 200).length, `run ${run}`).toBeGreaterThanOrEqual(1);
      const listed = await stack.call("GET", `/models/${model}/versions?limit=100`);
      const production = listed.body.items.filter((v: any) => v.stage === "production").map((v: any) => v.version);
      expect(production, `run ${run}`).toHaveLength(1);
      const summary = await stack.call("GET", `/models/${model}`);
      expect(summary.body.productionVersion, `run ${run}`).toBe(production[0]);
      expect(listed.body.items, `run ${run}: no version lost`).toHaveLength(12);
    }
  }, timeout);
});
