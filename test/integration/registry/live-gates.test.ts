/**
 * The live fallback of promotion gates counts only batches recorded after the version was registered.
 * Batches recorded before (stored by releases that did not ask the registry, or for an earlier version of
 * the same number) are present in the table with a `receivedAt` older than the version's `createdAt`: the
 * gate must not see them, the report still lists them.
 */
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { documentClient } from "../../../lambdas/shared/aws.js";
import { keys } from "../../../lambdas/shared/table.js";
import { createTestStack, type TestStack } from "../stack.js";
import { promote, register } from "./helpers.js";

describe("registry: live gates and the version's registration time", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack("reg-live-gates");
  });

  const rows = 40;
  const fastBatch = (latency: number) => ({
    task: "classification",
    predictions: Array.from({ length: rows }, (_, i) => i % 2),
    actuals: Array.from({ length: rows }, (_, i) => (i % 5 === 0 ? 1 - (i % 2) : i % 2)),
    latenciesMs: Array.from({ length: rows }, () => latency),
  });

  /** Within the latency sketch's relative error (2 %) of `expected`. */
  const near = (value: number, expected: number): boolean => Math.abs(value - expected) / expected < 0.02;

  /** Moves a stored batch's receipt time to `iso`, as if it had been recorded then. */
  async function receivedAt(model: string, batch: { timestamp: string; batchId: string }, iso: string): Promise<void> {
    await documentClient().send(
      new UpdateCommand({
        TableName: stack.names.table,
        Key: keys.performanceBatch(model, batch.timestamp, batch.batchId),
        UpdateExpression: "SET receivedAt = :r",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: { ":r": iso },
      }),
    );
  }

  /** A model with 1.0.0 in production, 3.0.0 in staging, and a gate only live batches can answer. */
  async function prepare(model: string): Promise<{ registeredAt: string }> {
    expect((await register(stack, model, { version: "1.0.0", metrics: { auc: 0.9 }, stage: "staging" })).status).toBe(201);
    await promote(stack, model, "1.0.0", "production");
    const candidate = await register(stack, model, { version: "3.0.0", metrics: { auc: 0.9 }, stage: "staging" });
    expect(candidate.status).toBe(201);
    const policy = await stack.call("PUT", `/models/${model}/promotion-policy`, { gates: [{ metric: "latencyP95Ms", max: 100 }] });
    expect(policy.status).toBe(200);
    return { registeredAt: candidate.body.createdAt as string };
  }

  it("a fast batch recorded before 3.0.0 was registered does not pass its latency gate; one recorded after does", async () => {
    // Prepare: a fast batch of 3.0.0, then made older than 3.0.0's registration
    const { registeredAt } = await prepare("pre");
    const early = await stack.call("POST", "/models/pre/versions/3.0.0/batches", fastBatch(20));
    expect(early.status).toBe(201);
    await receivedAt("pre", early.body, new Date(Date.parse(registeredAt) - 60_000).toISOString());
    // Act
    const refused = await stack.call("POST", "/models/pre/versions/3.0.0/promote", { stage: "production", reason: "live" });
    const report = await stack.call("GET", "/models/pre/performance?version=3.0.0");
    const late = await stack.call("POST", "/models/pre/versions/3.0.0/batches", fastBatch(30));
    const promoted = await stack.call("POST", "/models/pre/versions/3.0.0/promote", { stage: "production", reason: "live" });
    // Assess: refused with no live value, then promoted on the batch recorded after registration
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("GATE_FAILED");
    expect(refused.body.error.details.failed).toEqual([expect.objectContaining({ metric: "latencyP95Ms", value: null })]);
    expect(report.body.count).toBe(rows);
    expect(late.status).toBe(201);
    expect(promoted.status, JSON.stringify(promoted.body)).toBe(200);
    expect(promoted.body.gate.checks[0]).toMatchObject({ metric: "latencyP95Ms", source: "live", passed: true });
    expect(near(promoted.body.gate.checks[0].value, 30)).toBe(true);
  });

  it("a slow batch recorded before registration does not fail the gate a later fast batch passes", async () => {
    // Prepare
    const { registeredAt } = await prepare("stale");
    const slow = await stack.call("POST", "/models/stale/versions/3.0.0/batches", fastBatch(500));
    expect(slow.status).toBe(201);
    await receivedAt("stale", slow.body, new Date(Date.parse(registeredAt) - 1).toISOString());
    const fast = await stack.call("POST", "/models/stale/versions/3.0.0/batches", fastBatch(40));
    expect(fast.status).toBe(201);
    // Act
    const promoted = await stack.call("POST", "/models/stale/versions/3.0.0/promote", { stage: "production", reason: "live" });
    // Assess: the p95 is 40 (the fast batch alone), not the mixture's
    expect(promoted.status, JSON.stringify(promoted.body)).toBe(200);
    expect(near(promoted.body.gate.checks[0].value, 40)).toBe(true);
  });

  it("a batch received exactly at the registration time counts (the bound is inclusive)", async () => {
    const { registeredAt } = await prepare("edge");
    const batch = await stack.call("POST", "/models/edge/versions/3.0.0/batches", fastBatch(25));
    await receivedAt("edge", batch.body, registeredAt);
    const promoted = await stack.call("POST", "/models/edge/versions/3.0.0/promote", { stage: "production", reason: "live" });
    expect(promoted.status, JSON.stringify(promoted.body)).toBe(200);
    expect(near(promoted.body.gate.checks[0].value, 25)).toBe(true);
  });
});
