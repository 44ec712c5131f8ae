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

describe(`registrations under concurrency, ${runs} of ${runs} runs`, () => {
  let stack: TestStack;
  const freshStack = async (): Promise<void> => {
    stack = await replaceStack(stack, "race");
  };
  let artifact: string;
  beforeAll(async () => {
    stack = await createTestStack("races");
    artifact = (await putObject(stack, "external/race.bin", "weights")).uri;
  });

  it("gives concurrent registrations without a version distinct versions, each answered, none lost", async () => {
    for (let run = 0; run < runs; run++) {
      // A fresh table every run, the last one dropped (see replaceStack).
      if (run > 0) await freshStack();
      // Prepare: a fresh model with its first version
      const model = `reg-${run}`;
      const first = await stack.call("POST", `/models/${model}/versions`, { version: "1.0.0", artifactUri: artifact, primaryMetric: "auc", direction: "higher" });
      expect(first.status).toBe(201);
      // Act: 20 registrations at once, each asking for "the next version"
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => stack.call("POST", `/models/${model}/versions`, { artifactUri: artifact, tags: { caller: String(i) } })),
      );
      // Assess: each either landed on its own version or was told it lost the race (409, retryable);
      // the registry lists exactly the versions it answered 201 for — none lost, none doubled
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
