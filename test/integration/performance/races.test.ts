import { beforeAll, describe, expect, it } from "vitest";
import { createTestStack, replaceStack, type TestStack } from "../stack.js";
import { registerVersion } from "./helpers.js";

/**
 * Delayed ground truth under concurrency, repeated: each run logs predictions for a fresh model and joins
 * them with 20 concurrent, overlapping ground-truth posts. Every record must be counted exactly once in
 * every one of 100 runs: no record lost, none counted twice.
 */
const runs = Number(process.env.RACE_RUNS ?? 100);
/** Generous: 100 runs of 20 concurrent operations against the emulator take minutes on 2 cores. */
const timeout = 900_000;

describe(`ground-truth joins under concurrency, ${runs} of ${runs} runs`, () => {
  let stack: TestStack;
  const freshStack = async (): Promise<void> => {
    stack = await replaceStack(stack, "race");
  };
  beforeAll(async () => {
    stack = await createTestStack("gt-races");
  });

  it("joins each of 40 records exactly once across 20 concurrent overlapping posts", async () => {
    for (let run = 0; run < runs; run++) {
      // A fresh table every run, the last one dropped (see replaceStack).
      if (run > 0) await freshStack();
      // Prepare
      const model = `gt-${run}`;
      await registerVersion(stack, model, "1.0.0", { rmse: 1 }, "rmse", "lower");
      const records = Array.from({ length: 40 }, (_, i) => ({ id: `r${run}-${i}`, prediction: 10 + i }));
      const logged = await stack.call("POST", `/models/${model}/versions/1.0.0/predictions`, { records, task: "regression" });
      expect(logged.status).toBe(201);
      // Act: post k covers records [2k, 2k + 10): every record is in up to five posts
      const posts = await Promise.all(
        Array.from({ length: 20 }, (_, k) =>
          stack.call("POST", `/models/${model}/ground-truth`, { records: records.slice(2 * k, 2 * k + 10).map((r) => ({ id: r.id, actual: r.prediction + 0.5 })) }),
        ),
      );
      // Assess
      for (const p of posts) expect(p.status, `run ${run}: ${JSON.stringify(p.body)}`).toBe(200);
      expect(posts.reduce((s, p) => s + p.body.joined, 0), `run ${run}`).toBe(40);
      const report = await stack.call("GET", `/models/${model}/performance?version=1.0.0&days=1`);
      expect(report.body.count, `run ${run}`).toBe(40);
      expect(report.body.overall.mae, `run ${run}`).toBeCloseTo(0.5, 12);
    }
  }, timeout);
});
