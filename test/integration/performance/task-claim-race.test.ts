/**
 * The task claim is race-free: deleting a version's last batch while new ones arrive never releases the
 * task while a batch exists. Shown two ways: the reported race (DELETE of the last batch against 3 POSTs)
 * repeated, and the read-before-write interleaving forced deterministically through the claim's test hook
 * (a batch arrives after the DELETE read "one batch left" and before it writes).
 *
 * Invariants checked after every run: the claim exists exactly when the version has batches and counts
 * them; a batch of the other task is refused while any exists; the report and compare answer 200.
 */
import { GetCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { documentClient } from "../../../lambdas/shared/aws.js";
import { keys } from "../../../lambdas/shared/table.js";
import { padSemver } from "../../../lambdas/core/lifecycle/semver.js";
import { setClaimReadHook } from "../../../lambdas/performance/batch-claim.js";
import { createTestStack, type TestStack } from "../stack.js";
import { regressionRows, registerVersions } from "./helpers.js";

/**
 * Runs of the unforced race: 4 by default — the interleaving that matters (a batch arriving between the
 * DELETE's read and its write) is forced deterministically by the tests below, so repetitions only sample
 * the rest; `RACE_RUNS=100` for a long run.
 */
const runs = Number(process.env.RACE_RUNS ?? 4);
const classification = { task: "classification", predictions: [1, 0, 1], actuals: [1, 0, 0] };

describe("the task claim under concurrent deletes and posts", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack("perf-claim");
  });
  afterEach(() => setClaimReadHook(undefined));

  const batch = (i: number) => ({ task: "regression", ...regressionRows(10, 0.5, i) });

  /** The version's claim item and its batch summaries, read consistently from the table. */
  async function state(model: string, version: string): Promise<{ claim: Record<string, unknown> | undefined; batches: number }> {
    const claim = (await documentClient().send(new GetCommand({ TableName: stack.names.table, Key: keys.performanceTask(model, padSemver(version)), ConsistentRead: true }))).Item;
    const res = await documentClient().send(
      new QueryCommand({
        TableName: stack.names.table,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :p)",
        FilterExpression: "#v = :v",
        ExpressionAttributeNames: { "#v": "version" },
        ExpressionAttributeValues: { ":pk": keys.modelPk(model), ":p": keys.batchSkPrefix, ":v": version },
        ConsistentRead: true,
      }),
    );
    return { claim, batches: res.Items?.length ?? 0 };
  }

  /** The invariants every run must end in. */
  async function expectConsistent(model: string, label: string): Promise<number> {
    const { claim, batches } = await state(model, "1.0.0");
    if (batches === 0) expect(claim, `${label}: claim without batches`).toBeUndefined();
    else expect(claim, `${label}: claim`).toMatchObject({ task: "regression", batchCount: batches });
    const other = await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, classification);
    if (batches > 0) {
      expect(other.status, `${label}: classification beside ${batches} regression batches`).toBe(409);
    } else {
      // No batch left: the task was free; take the classification batch back out so the run ends clean.
      expect(other.status, label).toBe(201);
      expect((await stack.call("DELETE", `/models/${model}/versions/1.0.0/batches/${other.body.batchId}`)).body.taskReleased).toBe(true);
    }
    const report = await stack.call("GET", `/models/${model}/performance?days=1`);
    const compare = await stack.call("GET", `/models/${model}/performance/compare?versions=1.0.0,2.0.0&days=1`);
    expect(report.status, `${label}: ${JSON.stringify(report.body)}`).toBe(200);
    expect(compare.status, `${label}: ${JSON.stringify(compare.body)}`).toBe(200);
    return batches;
  }

  it(`DELETE of the last batch racing 3 POSTs leaves claim and batches consistent, ${runs} of ${runs} runs`, async () => {
    for (let run = 0; run < runs; run++) {
      // Prepare: a version with one regression batch
      const model = `race-${run}`;
      await registerVersions(stack, model, ["1.0.0", "2.0.0"]);
      const first = await stack.call("POST", `/models/${model}/versions/1.0.0/batches`, batch(0));
      expect(first.status).toBe(201);
      // Act
      const [deleted, ...posts] = await Promise.all([
        stack.call("DELETE", `/models/${model}/versions/1.0.0/batches/${first.body.batchId}`),
        ...[1, 2, 3].map((i) => stack.call("POST", `/models/${model}/versions/1.0.0/batches`, batch(i))),
      ]);
      // Assess
      expect(deleted.status, `run ${run}: ${JSON.stringify(deleted.body)}`).toBe(200);
      for (const p of posts) expect(p.status, `run ${run}: ${JSON.stringify(p.body)}`).toBe(201);
      const left = await expectConsistent(model, `run ${run}`);
      expect(left, `run ${run}`).toBe(3);
    }
  }, 600_000);

  it("a batch arriving between the DELETE's read of the count and its write keeps the task (forced interleaving)", async () => {
    // Prepare: one batch; the hook posts another while the DELETE holds a count of one
    await registerVersions(stack, "forced", ["1.0.0", "2.0.0"]);
    const first = await stack.call("POST", "/models/forced/versions/1.0.0/batches", batch(0));
    const interleaved: Array<{ status: number; body: any }> = [];
    setClaimReadHook(async (op, model) => {
      if (op !== "delete" || model !== "forced" || interleaved.length > 0) return;
      interleaved.push(await stack.call("POST", "/models/forced/versions/1.0.0/batches", batch(1)));
    });
    // Act
    const deleted = await stack.call("DELETE", `/models/forced/versions/1.0.0/batches/${first.body.batchId}`);
    setClaimReadHook(undefined);
    // Assess: the DELETE saw its condition fail, read again, and did not release
    expect(interleaved.map((r) => r.status)).toEqual([201]);
    expect(deleted.status).toBe(200);
    expect(deleted.body.taskReleased).toBe(false);
    expect(await expectConsistent("forced", "forced")).toBe(1);
  });

  it("a batch of the other task arriving in the same gap is refused: the task is still claimed", async () => {
    await registerVersions(stack, "forced-other", ["1.0.0", "2.0.0"]);
    const first = await stack.call("POST", "/models/forced-other/versions/1.0.0/batches", batch(0));
    const second = await stack.call("POST", "/models/forced-other/versions/1.0.0/batches", batch(1));
    const interleaved: Array<{ status: number; body: any }> = [];
    setClaimReadHook(async (op, model) => {
      if (op !== "delete" || model !== "forced-other" || interleaved.length > 0) return;
      interleaved.push(await stack.call("POST", "/models/forced-other/versions/1.0.0/batches", classification));
    });
    const deleted = await stack.call("DELETE", `/models/forced-other/versions/1.0.0/batches/${first.body.batchId}`);
    setClaimReadHook(undefined);
    expect(second.status).toBe(201);
    expect(interleaved[0].status).toBe(409);
    expect(deleted.body.taskReleased).toBe(false);
    expect(await expectConsistent("forced-other", "forced-other")).toBe(1);
  });

  it("two DELETEs of the version's two batches interleaved: exactly one releases the task, at the end", async () => {
    await registerVersions(stack, "two", ["1.0.0", "2.0.0"]);
    const a = await stack.call("POST", "/models/two/versions/1.0.0/batches", batch(0));
    const b = await stack.call("POST", "/models/two/versions/1.0.0/batches", batch(1));
    const inner: Array<{ status: number; body: any }> = [];
    // The first DELETE reads a count of two; before it writes, the other batch is deleted (count one).
    setClaimReadHook(async (op, model) => {
      if (op !== "delete" || model !== "two" || inner.length > 0) return;
      inner.push({ status: 0, body: null });
      inner[0] = await stack.call("DELETE", `/models/two/versions/1.0.0/batches/${b.body.batchId}`);
    });
    const outer = await stack.call("DELETE", `/models/two/versions/1.0.0/batches/${a.body.batchId}`);
    setClaimReadHook(undefined);
    expect([inner[0].status, outer.status]).toEqual([200, 200]);
    expect(inner[0].body.taskReleased).toBe(false);
    expect(outer.body.taskReleased).toBe(true);
    expect(await expectConsistent("two", "two")).toBe(0);
  });

  it("a claim written before batches were counted is counted on first use, then released with its last batch", async () => {
    // Prepare: two batches, then the claim's count removed (as releases before the count stored it)
    await registerVersions(stack, "legacy", ["1.0.0", "2.0.0"]);
    const a = await stack.call("POST", "/models/legacy/versions/1.0.0/batches", batch(0));
    const b = await stack.call("POST", "/models/legacy/versions/1.0.0/batches", batch(1));
    await documentClient().send(new UpdateCommand({ TableName: stack.names.table, Key: keys.performanceTask("legacy", padSemver("1.0.0")), UpdateExpression: "REMOVE batchCount" }));
    // Act
    const first = await stack.call("DELETE", `/models/legacy/versions/1.0.0/batches/${a.body.batchId}`);
    const counted = await state("legacy", "1.0.0");
    const last = await stack.call("DELETE", `/models/legacy/versions/1.0.0/batches/${b.body.batchId}`);
    // Assess
    expect(first.body.taskReleased).toBe(false);
    expect(counted.claim).toMatchObject({ batchCount: 1 });
    expect(last.body.taskReleased).toBe(true);
    expect(await expectConsistent("legacy", "legacy")).toBe(0);
  });
});
