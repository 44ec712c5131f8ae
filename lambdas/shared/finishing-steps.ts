/**
 * The names of the finishing steps (lambdas/shared/finishing.ts), apart from the helper so the contracts'
 * schemas read them without loading the logger or the metrics publisher.
 */

/** The steps after step 1, as recorded in `incomplete`. */
export const FinishingStep = {
  metrics: "metrics",
  alert: "alert",
  event: "event",
  retraining: "retraining",
  outcome: "outcome",
  audit: "audit",
} as const;
export type FinishingStep = (typeof FinishingStep)[keyof typeof FinishingStep];

/** A step that did not complete, and why (the error's text, cut to 1,000 characters). */
export interface IncompleteStep {
  readonly step: FinishingStep;
  readonly error: string;
}
