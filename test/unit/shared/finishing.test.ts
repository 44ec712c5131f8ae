/**
 * The finishing steps of a check or batch (lambdas/shared/finishing.ts), with every step injected: a failed
 * store removes what it wrote and throws; each later step failing in turn is recorded one way (an
 * `incomplete` entry, one log line, one count) while the steps after it still run and nothing is removed.
 */
import { describe, expect, it } from "vitest";
import { finishRecording, FinishingStep, type FinishingRecorder, type FinishingSteps, type RetrainingResult } from "../../../lambdas/shared/finishing.js";
import type { EventOutcome } from "../../../lambdas/shared/events-bus.js";

type Alert = { sent: boolean; error?: string; alertId?: string };

const sentEvent: EventOutcome = { type: "Drift Detected" as EventOutcome["type"], sent: true, eventId: "e-1", at: "2026-01-01T00:00:00.000Z" };

/** A recorder that keeps what it was told. */
function memoryRecorder(): FinishingRecorder & { lines: { message: string; fields: Record<string, unknown> }[]; counted: string[][] } {
  const lines: { message: string; fields: Record<string, unknown> }[] = [];
  const counted: string[][] = [];
  return {
    lines,
    counted,
    error: (message, fields) => void lines.push({ message, fields }),
    count: async (model, operation, step) => void counted.push([model, operation, step]),
  };
}

/** Steps that all succeed and log what ran; `change` replaces some. */
function stepsWith(change: Partial<FinishingSteps<{ id: string }, Alert, RetrainingResult>> = {}) {
  const calls: string[] = [];
  const removed: string[] = [];
  const outcomes: unknown[] = [];
  const audits: unknown[] = [];
  const steps: FinishingSteps<{ id: string }, Alert, RetrainingResult> = {
    operation: "drift-check",
    model: "m1",
    context: { checkId: "c1" },
    store: async (written) => {
      calls.push("store");
      written("report.html");
      written("report.json");
      return { id: "c1" };
    },
    removeObject: async (key) => void removed.push(key),
    publishMetrics: async () => (calls.push("metrics"), 4),
    raiseAlert: async () => (calls.push("alert"), { sent: true, alertId: "a-1" }),
    announce: async () => (calls.push("announce"), { event: sentEvent, retraining: { status: "requested" } }),
    recordOutcome: async (_, outcome) => void (calls.push("outcome"), outcomes.push(outcome)),
    audit: async (_, outcome) => void (calls.push("audit"), audits.push(outcome)),
    ...change,
  };
  return { steps, calls, removed, outcomes, audits };
}

const boom = (what: string) => async (): Promise<never> => {
  throw new Error(`${what} unavailable`);
};

describe("finishRecording", () => {
  it("runs the six steps in order and records no incomplete step when all complete", async () => {
    // Prepare
    const { steps, calls, removed, outcomes, audits } = stepsWith();
    const recorder = memoryRecorder();
    // Act
    const { stored, outcome } = await finishRecording(steps, recorder);
    // Assess
    expect(stored).toEqual({ id: "c1" });
    expect(calls).toEqual(["store", "metrics", "alert", "announce", "outcome", "audit"]);
    expect(outcome).toEqual({ metricsPublished: 4, alert: { sent: true, alertId: "a-1" }, event: sentEvent, retraining: { status: "requested" }, incomplete: [] });
    expect(outcomes).toEqual([outcome]);
    expect(audits).toEqual([outcome]);
    expect(removed).toEqual([]);
    expect(recorder.lines).toEqual([]);
    expect(recorder.counted).toEqual([]);
  });

  it("leaves the alert out when there is nothing to alert", async () => {
    // Prepare
    const { steps } = stepsWith({ raiseAlert: async () => undefined, announce: async () => ({}) });
    // Act
    const { outcome } = await finishRecording(steps, memoryRecorder());
    // Assess
    expect(outcome).toEqual({ metricsPublished: 4, incomplete: [] });
  });

  it("removes every object the store wrote when a later write of the store fails, runs no other step, and throws the store's error", async () => {
    // Prepare
    const { steps, calls, removed } = stepsWith({
      store: async (written) => {
        calls.push("store");
        written("report.html");
        written("violations.json");
        throw new Error("PutItem unavailable");
      },
    });
    const recorder = memoryRecorder();
    // Act
    const run = finishRecording(steps, recorder);
    // Assess
    await expect(run).rejects.toThrow("PutItem unavailable");
    expect(calls).toEqual(["store"]);
    expect(removed.sort()).toEqual(["report.html", "violations.json"]);
    expect(recorder.counted).toEqual([]);
  });

  it("removes nothing when the store fails before writing any object", async () => {
    // Prepare
    const { steps, removed } = stepsWith({ store: boom("PutObject") });
    // Act
    const run = finishRecording(steps, memoryRecorder());
    // Assess
    await expect(run).rejects.toThrow("PutObject unavailable");
    expect(removed).toEqual([]);
  });

  it("logs a clean-up that fails by key, still removes the others, and throws the store's error, not the clean-up's", async () => {
    // Prepare
    const removed: string[] = [];
    const { steps } = stepsWith({
      store: async (written) => {
        written("a.html");
        written("b.json");
        throw new Error("PutItem unavailable");
      },
      removeObject: async (key) => {
        if (key === "a.html") throw new Error("DeleteObject unavailable");
        removed.push(key);
      },
    });
    const recorder = memoryRecorder();
    // Act
    const run = finishRecording(steps, recorder);
    // Assess
    await expect(run).rejects.toThrow("PutItem unavailable");
    expect(removed).toEqual(["b.json"]);
    expect(recorder.lines).toHaveLength(1);
    expect(recorder.lines[0]!.fields).toMatchObject({ checkId: "c1", key: "a.html", error: "Error: DeleteObject unavailable" });
  });

  const failures: { name: string; change: Partial<FinishingSteps<{ id: string }, Alert, RetrainingResult>>; step: FinishingStep; error: string; ran: string[] }[] = [
    { name: "metrics throw", change: { publishMetrics: boom("PutMetricData") }, step: FinishingStep.metrics, error: "Error: PutMetricData unavailable", ran: ["store", "alert", "announce", "outcome", "audit"] },
    { name: "the alert throws", change: { raiseAlert: boom("alerts table") }, step: FinishingStep.alert, error: "Error: alerts table unavailable", ran: ["store", "metrics", "announce", "outcome", "audit"] },
    { name: "the alert is not sent", change: { raiseAlert: async () => ({ sent: false, alertId: "a-1", error: "SNS unavailable" }) }, step: FinishingStep.alert, error: "SNS unavailable", ran: ["store", "metrics", "announce", "outcome", "audit"] },
    { name: "the announcement throws", change: { announce: boom("EventBridge") }, step: FinishingStep.event, error: "Error: EventBridge unavailable", ran: ["store", "metrics", "alert", "outcome", "audit"] },
    { name: "the event is refused", change: { announce: async () => ({ event: { ...sentEvent, sent: false, eventId: undefined, error: "FailedEntryCount 1" } }) }, step: FinishingStep.event, error: "FailedEntryCount 1", ran: ["store", "metrics", "alert", "outcome", "audit"] },
    { name: "the retraining request fails", change: { announce: async () => ({ event: sentEvent, retraining: { status: "failed", error: "policy table unavailable" } }) }, step: FinishingStep.retraining, error: "policy table unavailable", ran: ["store", "metrics", "alert", "outcome", "audit"] },
    { name: "the outcome cannot be stored", change: { recordOutcome: boom("UpdateItem") }, step: FinishingStep.outcome, error: "Error: UpdateItem unavailable", ran: ["store", "metrics", "alert", "announce", "audit"] },
    { name: "the audit throws", change: { audit: boom("PutLogEvents") }, step: FinishingStep.audit, error: "Error: PutLogEvents unavailable", ran: ["store", "metrics", "alert", "announce", "outcome"] },
  ];

  it.each(failures)("when $name: records the $step step as incomplete (outcome, log line, count), runs the other steps, removes nothing", async ({ change, step, error, ran }) => {
    // Prepare
    const { steps, calls, removed, outcomes, audits } = stepsWith(change);
    const recorder = memoryRecorder();
    // Act
    const { outcome } = await finishRecording(steps, recorder);
    // Assess
    expect(calls).toEqual(ran);
    expect(outcome.incomplete).toEqual([{ step, error }]);
    expect(recorder.counted).toEqual([["m1", "drift-check", step]]);
    expect(recorder.lines).toHaveLength(1);
    expect(recorder.lines[0]!.message).toContain(step);
    expect(recorder.lines[0]!.fields).toMatchObject({ checkId: "c1", model: "m1", operation: "drift-check", step, error });
    expect(removed).toEqual([]);
    // The stored outcome and the audit entry carry what did not complete before them.
    const entry = [{ step, error }];
    if (step === FinishingStep.outcome) {
      expect(outcomes).toEqual([]);
      expect(audits).toEqual([expect.objectContaining({ incomplete: entry })]);
    } else if (step === FinishingStep.audit) {
      expect(outcomes).toEqual([expect.objectContaining({ incomplete: [] })]);
      expect(audits).toEqual([]);
    } else {
      expect(outcomes).toEqual([expect.objectContaining({ incomplete: entry })]);
      expect(audits).toEqual([expect.objectContaining({ incomplete: entry })]);
    }
  });

  it("keeps what each failed step said: a thrown alert becomes { sent: false, error }, failed metrics leave metricsPublished out", async () => {
    // Prepare
    const { steps } = stepsWith({ publishMetrics: boom("PutMetricData"), raiseAlert: boom("SNS") });
    // Act
    const { outcome } = await finishRecording(steps, memoryRecorder());
    // Assess
    expect(outcome.metricsPublished).toBeUndefined();
    expect(outcome.alert).toEqual({ sent: false, error: "Error: SNS unavailable" });
  });

  it("lists several incomplete steps in step order, each logged and counted once", async () => {
    // Prepare
    const { steps } = stepsWith({ audit: boom("PutLogEvents"), publishMetrics: boom("PutMetricData"), recordOutcome: boom("UpdateItem") });
    const recorder = memoryRecorder();
    // Act
    const { outcome } = await finishRecording(steps, recorder);
    // Assess
    expect(outcome.incomplete.map((i) => i.step)).toEqual(["metrics", "outcome", "audit"]);
    expect(recorder.counted.map((c) => c[2])).toEqual(["metrics", "outcome", "audit"]);
    expect(recorder.lines).toHaveLength(3);
  });
});
