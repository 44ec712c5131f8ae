/**
 * evaluatePolicy without the emulator: which metric values a policy's gates read (registered first, then
 * the version's live window), how the window is asked for, and the min, max and notWorseThanProduction rules.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PromotionPolicy } from "../../../lambdas/core/lifecycle/policy.js";
import { Stage } from "../../../lambdas/core/lifecycle/stages.js";
import { evaluatePolicy, liveWindowDays } from "../../../lambdas/registry/policy.js";
import { classificationBatch, memoryReaders, modelState, versionRecord } from "./fixtures.js";

const policy = (gates: PromotionPolicy["gates"]): PromotionPolicy => ({ gates, requireApproval: [], retention: null });
const state = modelState({ productionVersion: "1.0.0" });
const production = versionRecord("1.0.0", Stage.production, { auc: 0.8 }, { createdAt: "2026-01-10T00:00:00.000Z" });
const candidate = (metrics: Record<string, number>) => versionRecord("2.0.0", Stage.staging, metrics, { createdAt: "2026-02-20T12:00:00.000Z" });

describe("evaluatePolicy", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-03-01T00:00:00.000Z"));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("reads registered metrics and asks for no batches when every gated metric is registered", async () => {
    // Prepare
    const readers = memoryReaders({ batches: { "2.0.0": [classificationBatch(1, 10)] } });
    // Act
    const result = await evaluatePolicy(policy([{ metric: "auc", min: 0.8 }]), state, candidate({ auc: 0.85 }), production, readers);
    // Assess
    expect(result).toMatchObject({ passed: true, productionVersion: "1.0.0", checks: [{ metric: "auc", value: 0.85, source: "registered", passed: true }] });
    expect(readers.queries).toEqual([]);
  });

  it("asks for the candidate's last 30 days of batches recorded since its registration, once for all gates", async () => {
    // Prepare
    const readers = memoryReaders({ batches: { "2.0.0": [classificationBatch(8, 10)] } });
    // Act
    const result = await evaluatePolicy(policy([{ metric: "accuracy", min: 0.7 }, { metric: "accuracy", max: 0.9 }]), state, candidate({ auc: 0.85 }), production, readers);
    // Assess
    expect(readers.queries).toEqual([{ model: "churn", fromIso: "2026-01-30T00:00:00.000Z", toIso: "2026-03-01T00:00:00.000Z", versions: ["2.0.0"], recordedSince: "2026-02-20T12:00:00.000Z" }]);
    expect(liveWindowDays).toBe(30);
    expect(result.checks.map((c) => [c.metric, c.value, c.source])).toEqual([
      ["accuracy", 0.8, "live"],
      ["accuracy", 0.8, "live"],
    ]);
    expect(result.passed).toBe(true);
  });

  it("prefers a registered value over the live one for the same metric", async () => {
    // Prepare
    const readers = memoryReaders({ batches: { "2.0.0": [classificationBatch(2, 10)] } });
    // Act
    const result = await evaluatePolicy(policy([{ metric: "accuracy", min: 0.9 }, { metric: "f1", min: 0 }]), state, candidate({ accuracy: 0.95 }), production, readers);
    // Assess
    expect(result.checks[0]).toMatchObject({ metric: "accuracy", value: 0.95, source: "registered", passed: true });
    expect(result.checks[1]).toMatchObject({ metric: "f1", source: "live" });
  });

  it("recombines several batches, counting only the newest batch's task", async () => {
    // Prepare: 6/10 and 10/10 right → 16/20; a regression batch before them is of another task
    const regression = { ...classificationBatch(1, 2), task: "regression" };
    const readers = memoryReaders({ batches: { "2.0.0": [regression, classificationBatch(6, 10), classificationBatch(10, 10)] } });
    // Act
    const result = await evaluatePolicy(policy([{ metric: "accuracy", min: 0.8 }]), state, candidate({}), production, readers);
    // Assess
    expect(result.checks[0]).toMatchObject({ value: 0.8, source: "live", passed: true });
  });

  it("fails a gate whose metric is neither registered nor in the window, naming where it looked", async () => {
    // Act
    const result = await evaluatePolicy(policy([{ metric: "accuracy", min: 0.1 }]), state, candidate({}), production, memoryReaders({}));
    // Assess
    expect(result.passed).toBe(false);
    expect(result.failed).toEqual([{ metric: "accuracy", value: null, rule: "min 0.1" }]);
    expect(result.checks[0].reason).toBe("version 2.0.0 has no accuracy (neither registered nor in its latest performance window)");
  });

  it("checks min and max at their bounds (inclusive) and just past them", async () => {
    // Prepare
    const gates = policy([{ metric: "auc", min: 0.8, max: 0.9 }]);
    const run = (auc: number) => evaluatePolicy(gates, state, candidate({ auc }), production, memoryReaders({}));
    // Act
    const [low, high, under, over] = await Promise.all([run(0.8), run(0.9), run(0.7999), run(0.9001)]);
    // Assess
    expect([low.passed, high.passed]).toEqual([true, true]);
    expect(under.failed).toEqual([{ metric: "auc", value: 0.7999, rule: "min 0.8" }]);
    expect(over.failed).toEqual([{ metric: "auc", value: 0.9001, rule: "max 0.9" }]);
  });

  it("compares with production's live value for notWorseThanProduction, reading production's window only then", async () => {
    // Prepare: candidate 7/10, production 9/10
    const readers = memoryReaders({ batches: { "2.0.0": [classificationBatch(7, 10)], "1.0.0": [classificationBatch(9, 10)] } });
    // Act
    const result = await evaluatePolicy(policy([{ metric: "accuracy", notWorseThanProduction: true }]), state, candidate({}), production, readers);
    // Assess
    expect(readers.queries.map((q) => [q.versions, q.recordedSince]).sort()).toEqual([
      [["1.0.0"], "2026-01-10T00:00:00.000Z"],
      [["2.0.0"], "2026-02-20T12:00:00.000Z"],
    ]);
    expect(result.failed).toEqual([{ metric: "accuracy", value: 0.7, rule: "notWorseThanProduction" }]);
    expect(result.checks[0].productionValue).toBe(0.9);
  });

  it("does not read production's window for min/max gates", async () => {
    // Prepare
    const readers = memoryReaders({ batches: { "2.0.0": [classificationBatch(7, 10)], "1.0.0": [classificationBatch(9, 10)] } });
    // Act
    await evaluatePolicy(policy([{ metric: "accuracy", min: 0.5 }]), state, candidate({}), production, readers);
    // Assess
    expect(readers.queries.map((q) => q.versions)).toEqual([["2.0.0"]]);
  });

  it("passes notWorseThanProduction when there is no production version to compare with", async () => {
    // Act
    const result = await evaluatePolicy(policy([{ metric: "auc", notWorseThanProduction: true }]), modelState(), candidate({ auc: 0.5 }), undefined, memoryReaders({}));
    // Assess
    expect(result).toMatchObject({ passed: true, productionVersion: null });
    expect(result.checks[0].reason).toContain("no production version to compare with");
  });
});
