import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dynamoClient } from "../../../lambdas/shared/aws.js";
import { createTestStack, removeTestStack, replaceStack, type TestStack } from "../stack.js";
import { raceMode, raceRound, raceRuns } from "../interleave.js";
import { putObject } from "./helpers.js";

/**
 * Concurrent registrations, with the interleaving forced (interleave.ts): all 20 have read the model before
 * any of them takes a number or writes, and their writes go out in a different order each run. The
 * randomised long run (`RACE_INTERLEAVING=free`, 100 runs) is bench/races.bench.ts.
 * (The emulator serialises single DynamoDB calls as real DynamoDB's per-call atomicity does; the races
 * between a read and the conditional write that depends on it remain.)
 */
/**
 * Generous: a free run of 100 × 20 operations against the emulator takes minutes on 2 cores; the four forced
 * runs take about 15 s alone, and minutes beside other files on a loaded machine.
 */
const timeout = raceMode === "free" ? 900_000 : 600_000;

describe(`registrations under concurrency, ${raceRuns} runs (${raceMode})`, () => {
  let stack: TestStack;
  let artifact: string;
  beforeAll(async () => {
    stack = await createTestStack("races");
    artifact = (await putObject(stack, "external/race.bin", "weights")).uri;
  });
  afterAll(async () => {
    if (stack) await removeTestStack(stack);
  });

  it("gives concurrent registrations without a version distinct versions, each answered, none lost", async () => {
    for (let run = 0; run < raceRuns; run++) {
      // Free runs: a fresh stack every run, the last one removed (see replaceStack).
      if (raceMode === "free" && run > 0) {
        stack = await replaceStack(stack, "race");
        artifact = (await putObject(stack, "external/race.bin", "weights")).uri;
      }
      // Prepare: a fresh model with its first version
      const model = `reg-${run}`;
      const first = await stack.call("POST", `/models/${model}/versions`, { version: "1.0.0", artifactUri: artifact, primaryMetric: "auc", direction: "higher" });
      expect(first.status).toBe(201);
      // Act: 20 registrations at once, each asking for "the next version"
      const round = await raceRound(
        dynamoClient(),
        Array.from({ length: 20 }, (_, i) => () => stack.call("POST", `/models/${model}/versions`, { artifactUri: artifact, tags: { caller: String(i) } })),
        run,
      );
      const results = round.results;
      // Assess: every registration had read the model before any wrote (forced), and each either landed on
      // its own version or was told it lost the race (409, retryable); the registry lists exactly the
      // versions it answered 201 for — none lost, none doubled
      if (raceMode === "forced") expect(round.held, `run ${run}: registrations held before their first write`).toBe(20);
      for (const r of results) expect([201, 409], `run ${run}: ${r.status} ${JSON.stringify(r.body)}`).toContain(r.status);
      const created = results.filter((r) => r.status === 201);
      expect(created.length, `run ${run}`).toBeGreaterThanOrEqual(1);
      const versions = created.map((r) => r.body.version as string);
      expect(new Set(versions).size, `run ${run}`).toBe(created.length);
      const listed = await stack.call("GET", `/models/${model}/versions?limit=100`);
      expect(listed.body.items.map((v: any) => v.version).sort(), `run ${run}`).toEqual(["1.0.0", ...versions].sort());
      const callers = created.map((r) => r.body.tags?.caller).sort();
      expect(listed.body.items.map((v: any) => v.tags?.caller).filter(Boolean).sort(), `run ${run}`).toEqual(callers);
    }
  }, timeout);
});
