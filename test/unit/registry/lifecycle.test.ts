/**
 * planPromotion without the emulator: the lifecycle's refusals, force, the production swap, the
 * primary-metric gate, policy gates (min, max, live metrics) and the approval a policy requires, read
 * through in-memory readers.
 */
import { describe, expect, it } from "vitest";
import { Stage } from "../../../lambdas/core/lifecycle/stages.js";
import type { PromotionPolicy } from "../../../lambdas/core/lifecycle/policy.js";
import { ConflictError, GateFailedError, NotFoundError } from "../../../lambdas/shared/errors.js";
import { planPromotion } from "../../../lambdas/registry/lifecycle.js";
import { classificationBatch, memoryReaders, modelState, versionRecord } from "./fixtures.js";

const policy = (gates: PromotionPolicy["gates"], requireApproval: Stage[] = []): PromotionPolicy => ({ gates, requireApproval, retention: null });

/** churn: 1.0.0 in production (auc 0.80), 2.0.0 in staging (auc 0.85), 0.5.0 archived, 3.0.0 in development. */
function registry(candidateMetrics: Record<string, number> = { auc: 0.85 }, extra: Parameters<typeof memoryReaders>[0] = {}) {
  return memoryReaders({
    model: modelState({ productionVersion: "1.0.0", stagingVersions: ["2.0.0"] }),
    versions: [
      versionRecord("1.0.0", Stage.production, { auc: 0.8 }),
      versionRecord("2.0.0", Stage.staging, candidateMetrics),
      versionRecord("0.5.0", Stage.archived, { auc: 0.9 }),
      versionRecord("3.0.0", Stage.development, { auc: 0.7 }),
    ],
    ...extra,
  });
}

describe("planPromotion: the lifecycle", () => {
  it("plans development → staging without a gate", async () => {
    // Act
    const plan = await planPromotion("churn", "3.0.0", Stage.staging, false, undefined, registry());
    // Assess
    expect(plan).toMatchObject({ from: Stage.development, to: Stage.staging, gate: null, previous: undefined, needsApproval: false });
    expect(plan.extra).toEqual({});
  });

  it("refuses an archived version (it returns only through rollback)", async () => {
    // Act
    const plan = planPromotion("churn", "0.5.0", Stage.production, false, undefined, registry());
    // Assess
    await expect(plan).rejects.toThrow(ConflictError);
    await expect(plan).rejects.toThrow(/archived; an archived version returns to production only through POST \/models\/\{model\}\/rollback/);
  });

  it("refuses a deleted (or never registered) version and an unknown model with 404s", async () => {
    // Act
    const deleted = planPromotion("churn", "4.0.0", Stage.production, false, undefined, registry());
    const unknown = planPromotion("fraud", "1.0.0", Stage.staging, false, undefined, registry());
    // Assess
    await expect(deleted).rejects.toThrow(NotFoundError);
    await expect(deleted).rejects.toThrow("version 4.0.0 of model churn does not exist");
    await expect(unknown).rejects.toThrow("model fraud does not exist");
  });

  it("refuses archiving the production version, and skipping staging", async () => {
    // Act
    const archive = planPromotion("churn", "1.0.0", Stage.archived, false, undefined, registry());
    const skip = planPromotion("churn", "3.0.0", Stage.production, true, undefined, registry());
    // Assess
    await expect(archive).rejects.toThrow(/is in production; promote another version or roll back/);
    await expect(skip).rejects.toThrow("cannot promote version 3.0.0 from development to production: a development version moves to staging (or archived) first");
  });

  it("archives a staging version with its archivedAt and no gate", async () => {
    // Act
    const plan = await planPromotion("churn", "2.0.0", Stage.archived, false, undefined, registry({ auc: 0.1 }));
    // Assess
    expect(plan.gate).toBeNull();
    expect(plan.extra).toEqual({ archivedAt: plan.now });
  });

  it("verifies a pending upload: the object's facts go into the plan; a missing object is a 409", async () => {
    // Prepare
    const pending = versionRecord("2.0.0", Stage.staging, { auc: 0.85 }, { artifact: { uri: "s3://artifacts-bucket/up/model.bin", owned: true, status: "pending_upload" } });
    const readers = (objects: Record<string, { sizeBytes: number; etag: string; sha256: string }>) =>
      memoryReaders({ model: modelState({ stagingVersions: ["2.0.0"] }), versions: [pending], objects });
    // Act
    const plan = await planPromotion("churn", "2.0.0", Stage.production, false, undefined, readers({ "s3://artifacts-bucket/up/model.bin": { sizeBytes: 42, etag: "x", sha256: "b".repeat(64) } }));
    const missing = planPromotion("churn", "2.0.0", Stage.production, false, undefined, readers({}));
    // Assess
    expect(plan.extra.artifact).toMatchObject({ status: "available", sizeBytes: 42, sha256: "b".repeat(64), owned: true });
    await expect(missing).rejects.toThrow(/has not been uploaded to s3:\/\/artifacts-bucket\/up\/model.bin yet \(NoSuchKey/);
  });
});

describe("planPromotion: into production", () => {
  it("swaps production: the current production version is read as the one replaced", async () => {
    // Act
    const plan = await planPromotion("churn", "2.0.0", Stage.production, false, undefined, registry());
    // Assess
    expect(plan.previous?.version).toBe("1.0.0");
    expect(plan.gate).toMatchObject({ passed: true, forced: false, candidateValue: 0.85, productionValue: 0.8 });
    expect(plan.extra).toMatchObject({ promotedAt: plan.now, gate: plan.gate });
  });

  it("refuses a candidate worse than production on the primary metric, with the failed gate in details", async () => {
    // Act
    const plan = planPromotion("churn", "2.0.0", Stage.production, false, undefined, registry({ auc: 0.75 }));
    // Assess
    await expect(plan).rejects.toThrow(GateFailedError);
    await expect(plan).rejects.toMatchObject({ details: { failed: [{ metric: "auc", value: 0.75, rule: "notWorseThanProduction" }] } });
  });

  it("lets a failed gate through with force, recording the override", async () => {
    // Act
    const plan = await planPromotion("churn", "2.0.0", Stage.production, true, undefined, registry({ auc: 0.75 }));
    // Assess
    expect(plan.gate).toMatchObject({ passed: false, forced: true });
  });

  it("records forced: false when force was sent but the gate passed", async () => {
    // Act
    const plan = await planPromotion("churn", "2.0.0", Stage.production, true, undefined, registry());
    // Assess
    expect(plan.gate).toMatchObject({ passed: true, forced: false });
  });

  it("applies a policy's min and max gates instead of the primary-metric gate, listing every failure", async () => {
    // Prepare
    const gates = policy([{ metric: "auc", min: 0.9 }, { metric: "latencyP95Ms", max: 50 }]);
    // Act
    const refused = planPromotion("churn", "2.0.0", Stage.production, false, gates, registry({ auc: 0.85, latencyP95Ms: 80 }));
    const passed = await planPromotion("churn", "2.0.0", Stage.production, false, gates, registry({ auc: 0.95, latencyP95Ms: 50 }));
    // Assess
    await expect(refused).rejects.toMatchObject({ details: { failed: [{ metric: "auc", value: 0.85, rule: "min 0.9" }, { metric: "latencyP95Ms", value: 80, rule: "max 50" }] } });
    expect(passed.gate).toMatchObject({ policy: true, passed: true, forced: false });
  });

  it("fills an unregistered gated metric from the candidate's live batches", async () => {
    // Prepare: 9 of 10 rows right in 2.0.0's batches
    const readers = registry({ auc: 0.85 }, { batches: { "2.0.0": [classificationBatch(9, 10)] } });
    // Act
    const plan = await planPromotion("churn", "2.0.0", Stage.production, false, policy([{ metric: "accuracy", min: 0.85 }]), readers);
    // Assess
    expect(plan.gate).toMatchObject({ passed: true, checks: [{ metric: "accuracy", value: 0.9, source: "live" }] });
    expect(readers.queries.map((q) => q.versions)).toEqual([["2.0.0"]]);
  });

  it("refuses a live-metric gate when the candidate has no batches (no value is no pass)", async () => {
    // Act
    const plan = planPromotion("churn", "2.0.0", Stage.production, false, policy([{ metric: "accuracy", min: 0.5 }]), registry());
    // Assess
    await expect(plan).rejects.toMatchObject({ details: { failed: [{ metric: "accuracy", value: null, rule: "min 0.5" }] } });
  });

  it("keeps the primary-metric gate when the policy has no gates", async () => {
    // Act
    const plan = planPromotion("churn", "2.0.0", Stage.production, false, policy([], [Stage.production]), registry({ auc: 0.7 }));
    // Assess
    await expect(plan).rejects.toMatchObject({ details: { failed: [{ metric: "auc", value: 0.7, rule: "notWorseThanProduction" }] } });
  });
});

describe("planPromotion: approval the policy requires", () => {
  it("says the promotion waits for approval only for the stages the policy names", async () => {
    // Prepare
    const needsProduction = policy([], [Stage.production]);
    // Act
    const toProduction = await planPromotion("churn", "2.0.0", Stage.production, false, needsProduction, registry());
    const toStaging = await planPromotion("churn", "3.0.0", Stage.staging, false, needsProduction, registry());
    const noPolicy = await planPromotion("churn", "2.0.0", Stage.production, false, undefined, registry());
    // Assess
    expect(toProduction.needsApproval).toBe(true);
    expect(toStaging.needsApproval).toBe(false);
    expect(noPolicy.needsApproval).toBe(false);
  });

  it("checks the gates before a request for approval: a failing gate refuses it unless forced", async () => {
    // Prepare
    const gated = policy([{ metric: "auc", min: 0.9 }], [Stage.production]);
    // Act
    const refused = planPromotion("churn", "2.0.0", Stage.production, false, gated, registry());
    const forced = await planPromotion("churn", "2.0.0", Stage.production, true, gated, registry());
    // Assess
    await expect(refused).rejects.toThrow(GateFailedError);
    expect(forced).toMatchObject({ needsApproval: true, gate: { passed: false, forced: true } });
  });
});
