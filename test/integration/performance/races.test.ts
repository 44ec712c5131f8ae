import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dynamoClient } from "../../../lambdas/shared/aws.js";
import { createTestStack, removeTestStack, replaceStack, type TestStack } from "../stack.js";
import { raceMode, raceRound, raceRuns } from "../interleave.js";
import { registerVersion } from "./helpers.js";

/**
 * Delayed ground truth under concurrency, with the interleaving forced (interleave.ts): the 20 overlapping
 * posts' first joins are all held until every post has reached them, then go out together in a different
 * order each run, so every record is contended by up to five posts at once. Every record must be counted
 * exactly once: none lost, none counted twice. The randomised long run (`RACE_INTERLEAVING=free`, 100 runs)
 * is bench/races.bench.ts.
 */
/**
 * Generous: a free run of 100 × 20 operations against the emulator takes minutes on 2 cores; the four forced
 * runs take about 15 s alone, and minutes beside other files on a loaded machine.
 */
const timeout = raceMode === "free" ? 900_000 : 600_000;

describe(`ground-truth joins under concurrency, ${raceRuns} runs (${raceMode})`, () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack("gt-races");
  });
  afterAll(async () => {
    if (stack) await removeTestStack(stack);
  });

  it("joins each of 40 records exactly once across 20 concurrent overlapping posts", async () => {
    for (let run = 0; run < raceRuns; run++) {
      // Free runs: a fresh stack every run, the last one removed (see replaceStack).
      if (raceMode === "free" && run > 0) stack = await replaceStack(stack, "race");
      // Prepare
      const model = `gt-${run}`;
      await registerVersion(stack, model, "1.0.0", { rmse: 1 }, "rmse", "lower");
      const records = Array.from({ length: 40 }, (_, i) => ({ id: `r${run}-${i}`, prediction: 10 + i }));
      const logged = await stack.call("POST", `/models/${model}/versions/1.0.0/predictions`, { records, task: "regression" });
      expect(logged.status).toBe(201);
      // Act: post k covers records [2k, 2k + 10): every record is in up to five posts
      const round = await raceRound(
        dynamoClient(),
        Array.from({ length: 20 }, (_, k) => () =>
          stack.call("POST", `/models/${model}/ground-truth`, { records: records.slice(2 * k, 2 * k + 10).map((r) => ({ id: r.id, actual: r.prediction + 0.5 })) }),
        ),
        run,
      );
      const posts = round.results;
      // Assess: every post was joining when the first join went out (forced), and each record was joined exactly once
      if (raceMode === "forced") expect(round.held, `run ${run}: posts held before their first join`).toBe(20);
      for (const p of posts) expect(p.status, `run ${run}: ${JSON.stringify(p.body)}`).toBe(200);
      expect(posts.reduce((s, p) => s + p.body.joined, 0), `run ${run}`).toBe(40);
      const report = await stack.call("GET", `/models/${model}/performance?version=1.0.0&days=1`);
      expect(report.body.count, `run ${run}`).toBe(40);
      expect(report.body.overall.mae, `run ${run}`).toBeCloseTo(0.5, 12);
    }
  }, timeout);
});
