import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dynamoClient } from "../../../lambdas/shared/aws.js";
import { createTestStack, removeTestStack, replaceStack, type TestStack } from "../stack.js";
import { raceMode, raceRound, raceRuns } from "../interleave.js";
import { putObject } from "./helpers.js";

/**
 * Concurrent promotions and rollbacks, with the interleaving forced (interleave.ts): all 20 have read the
 * model and its versions before any of them writes, and their transactions go out in a different order each
 * run. The randomised long run (`RACE_INTERLEAVING=free`, 100 runs) is bench/races.bench.ts.
 * (The emulator serialises single DynamoDB calls as real DynamoDB's per-call atomicity does; the races
 * between a read and the conditional write that depends on it remain.)
 */
/**
 * Generous: a free run of 100 × 20 operations against the emulator takes minutes on 2 cores; the four forced
 * runs take about 15 s alone, and minutes beside other files on a loaded machine.
 */
const timeout = raceMode === "free" ? 900_000 : 600_000;

describe(`promotions and rollbacks under concurrency, ${raceRuns} runs (${raceMode})`, () => {
  let stack: TestStack;
  let artifact: string;
  beforeAll(async () => {
    stack = await createTestStack("promo-races");
    artifact = (await putObject(stack, "external/race.bin", "weights")).uri;
  });
  afterAll(async () => {
    if (stack) await removeTestStack(stack);
  });

  it("keeps exactly one production version under 10 concurrent promotions and 10 concurrent rollbacks", async () => {
    for (let run = 0; run < raceRuns; run++) {
      // Free runs: a fresh stack every run, the last one removed (see replaceStack).
      if (raceMode === "free" && run > 0) {
        stack = await replaceStack(stack, "race");
        artifact = (await putObject(stack, "external/race.bin", "weights")).uri;
      }
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
      const round = await raceRound(
        dynamoClient(),
        [
          ...candidates.map((v) => () => stack.call("POST", `/models/${model}/versions/${v}/promote`, { stage: "production", reason: `race ${v}` })),
          ...Array.from({ length: 10 }, () => () => stack.call("POST", `/models/${model}/rollback`, { reason: "race rollback" })),
        ],
        run,
      );
      const results = round.results;
      // Assess: every operation had read before any wrote (forced); losers are told (409), never a 5xx;
      // exactly one production version, and the model says which
      if (raceMode === "forced") expect(round.held, `run ${run}: operations held before their first write`).toBe(20);
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
