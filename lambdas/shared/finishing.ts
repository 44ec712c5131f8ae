/**
 * The one way a drift check or a performance batch is finished once its numbers are known, in six steps:
 *
 * 1. **store** — the data objects (a report and its pages, raw rows) and then the summary item. Each object is
 *    declared with `written(key)` as soon as it exists; if any later write of this step fails, every declared
 *    object is removed (a clean-up failure is logged by key, never thrown over the cause) and the error is
 *    rethrown: a failed step 1 leaves nothing behind and the caller answers or retries as for any failure;
 * 2. **metrics** — CloudWatch;
 * 3. **alert** — when there is one to raise;
 * 4. **event** and **retraining** — the `mlwatch` event and the retraining policy;
 * 5. **outcome** — what steps 2–4 did, stored on the summary;
 * 6. **audit** — the audit entry, which carries the outcome.
 *
 * Steps 2–6 never undo step 1 (a retry would record the check or batch twice). A step that does not complete
 * — it throws, or reports an error: an alert whose publish failed, an event EventBridge refused, a failed
 * retraining request — is recorded in one way, whatever the service: an entry `{ step, error }` in the
 * outcome's `incomplete` list (stored with the outcome in step 5 and in the audit entry), one error log line
 * naming the step, and one `IncompleteSteps` metric by model, operation and step. Failures of step 5 and 6
 * come after the outcome is stored: they are in the returned outcome, the log and the metric only.
 * docs/reliability.md describes it for users.
 *
 * Platform code: the steps are the service's, passed in as functions; this module imports no service.
 */
import type { EventOutcome } from "./events-bus.js";
import { resourceNames } from "./env.js";
import { serviceLogger } from "./logger.js";
import { Dimension, MetricName, publishMetrics } from "./metrics.js";
import { FinishingStep, type IncompleteStep } from "./finishing-steps.js";

export { FinishingStep, type IncompleteStep } from "./finishing-steps.js";

/** What an alert step answers: whether the alert was sent, or the error that stopped it. */
export interface AlertResult {
  readonly sent: boolean;
  readonly error?: string;
}

/** What a retraining policy answers: the request's status (`failed` with an error when it failed). */
export interface RetrainingResult {
  readonly status: string;
  readonly error?: string;
}

/** What steps 2–4 did, and the steps that did not complete. */
export interface FinishingOutcome<A extends AlertResult, R extends RetrainingResult> {
  /** How many values went to CloudWatch; absent when the metrics step did not complete. */
  readonly metricsPublished?: number;
  /** The alert's outcome (absent when there was nothing to alert); `{ sent: false, error }` when the step threw. */
  readonly alert?: A | { readonly sent: false; readonly error: string };
  readonly event?: EventOutcome;
  readonly retraining?: R;
  /** The steps that did not complete, in step order; empty when all did. */
  readonly incomplete: readonly IncompleteStep[];
}

/** A service's steps (see the module comment); `S` is what step 1 stored. */
export interface FinishingSteps<S, A extends AlertResult, R extends RetrainingResult> {
  /** What is finished, for the metric's `Operation` dimension and the log (`drift-check`, `batch`). */
  readonly operation: string;
  /** The model (the metric's `ModelName` dimension). */
  readonly model: string;
  /** Fields every log line carries (ids, request id). */
  readonly context: Readonly<Record<string, unknown>>;
  /** Step 1: writes the objects, declaring each with `written(key)`, then the summary. */
  readonly store: (written: (key: string) => void) => Promise<S>;
  /** Removes one object step 1 declared (clean-up of a failed step 1). */
  readonly removeObject: (key: string) => Promise<void>;
  /** Step 2: publishes the metrics; answers how many values were sent. */
  readonly publishMetrics: (stored: S) => Promise<number>;
  /** Step 3: raises the alert, or answers undefined when there is nothing to alert. */
  readonly raiseAlert: (stored: S) => Promise<A | undefined>;
  /** Step 4: publishes the event and applies the retraining policy (either may be absent). */
  readonly announce: (stored: S) => Promise<{ readonly event?: EventOutcome; readonly retraining?: R }>;
  /** Step 5: stores the outcome on the summary. */
  readonly recordOutcome: (stored: S, outcome: FinishingOutcome<A, R>) => Promise<void>;
  /** Step 6: writes the audit entry (with the outcome). */
  readonly audit: (stored: S, outcome: FinishingOutcome<A, R>) => Promise<void>;
}

/** Where the helper logs and counts; tests pass their own. */
export interface FinishingRecorder {
  /** Logs one line at error level. */
  readonly error: (message: string, fields: Record<string, unknown>) => void;
  /** Counts one incomplete step (a failure to count is the recorder's to log, never thrown). */
  readonly count: (model: string, operation: string, step: FinishingStep) => Promise<void>;
}

const logger = serviceLogger("finishing");

/** The production recorder: the structured log, and `IncompleteSteps` in the service's namespace. */
export const defaultRecorder: FinishingRecorder = {
  error: (message, fields) => logger.error(message, fields),
  count: async (model, operation, step) => {
    try {
      await publishMetrics(resourceNames().metricsNamespace, [
        { name: MetricName.incompleteSteps, value: 1, unit: "Count", dimensions: { [Dimension.model]: model, [Dimension.operation]: operation, [Dimension.step]: step } },
      ]);
    } catch (err) {
      logger.error("counting an incomplete step failed too", { model, operation, step, error: err as Error });
    }
  },
};

const text = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 1000);

/**
 * Finishes a check or a batch (see the module comment for the steps and what a failure does).
 * @returns what step 1 stored and the outcome of steps 2–6 (`incomplete` lists what did not complete)
 * @throws whatever step 1 threw, after removing the objects it had written
 * @example
 * const { stored, outcome } = await finishRecording({ operation: "batch", model, context: { batchId }, store, removeObject, publishMetrics, raiseAlert, announce, recordOutcome, audit });
 */
export async function finishRecording<S, A extends AlertResult, R extends RetrainingResult>(
  steps: FinishingSteps<S, A, R>,
  recorder: FinishingRecorder = defaultRecorder,
): Promise<{ stored: S; outcome: FinishingOutcome<A, R> }> {
  const written: string[] = [];
  let stored: S;
  try {
    stored = await steps.store((key) => void written.push(key));
  } catch (err) {
    // No summary, no objects: a failed store leaves nothing behind (the caller sees the failure and retries).
    await Promise.all(
      written.map((key) =>
        steps.removeObject(key).catch((cleanup: unknown) =>
          recorder.error(`removing an object of a ${steps.operation} that was not stored failed`, { ...steps.context, key, error: text(cleanup) }),
        ),
      ),
    );
    throw err;
  }

  const incomplete: IncompleteStep[] = [];
  const failed = async (step: FinishingStep, error: string): Promise<void> => {
    incomplete.push({ step, error });
    recorder.error(`a ${steps.operation}'s ${step} step did not complete`, { ...steps.context, model: steps.model, operation: steps.operation, step, error });
    await recorder.count(steps.model, steps.operation, step);
  };

  let metricsPublished: number | undefined;
  try {
    metricsPublished = await steps.publishMetrics(stored);
  } catch (err) {
    await failed(FinishingStep.metrics, text(err));
  }

  let alert: FinishingOutcome<A, R>["alert"];
  try {
    alert = await steps.raiseAlert(stored);
    if (alert?.error) await failed(FinishingStep.alert, alert.error);
  } catch (err) {
    alert = { sent: false, error: text(err) };
    await failed(FinishingStep.alert, alert.error as string);
  }

  let announced: { readonly event?: EventOutcome; readonly retraining?: R } = {};
  try {
    announced = await steps.announce(stored);
    if (announced.event && !announced.event.sent) await failed(FinishingStep.event, announced.event.error ?? "not sent");
    if (announced.retraining?.status === "failed") await failed(FinishingStep.retraining, announced.retraining.error ?? "failed");
  } catch (err) {
    await failed(FinishingStep.event, text(err));
  }

  const outcomeOf = (): FinishingOutcome<A, R> => ({
    ...(metricsPublished !== undefined ? { metricsPublished } : {}),
    ...(alert ? { alert } : {}),
    ...(announced.event ? { event: announced.event } : {}),
    ...(announced.retraining ? { retraining: announced.retraining } : {}),
    incomplete: [...incomplete],
  });
  try {
    await steps.recordOutcome(stored, outcomeOf());
  } catch (err) {
    await failed(FinishingStep.outcome, text(err));
  }
  try {
    await steps.audit(stored, outcomeOf());
  } catch (err) {
    await failed(FinishingStep.audit, text(err));
  }
  return { stored, outcome: outcomeOf() };
}
