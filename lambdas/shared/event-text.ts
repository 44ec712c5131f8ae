/**
 * One cap on the user strings mlwatch puts in its EventBridge events, the same as in its alerts
 * (lambdas/core/alerts/safe-text.ts, {@link userText}): control, line-separator and bidirectional characters
 * become visible escapes and the value is cut to 80 characters with an ellipsis. Events are forwarded to
 * chat, tickets and pipelines; a reason of 1,000 characters or a feature name carrying a newline must not
 * become a forged line there.
 *
 * Every string field of every detail is either free text a caller wrote ({@link eventUserTextFields}: cut
 * and escaped here, by the publisher, whoever built the event) or an identifier whose form mlwatch
 * validated (a model name, a semantic version, an id it generated, an s3:// URI it wrote, a stage, an
 * enum: {@link eventIdentifierFields}) and which a consumer matches or dereferences, so it is passed whole.
 * A unit test checks that the two lists cover every string field of every detail schema.
 */
import { userText } from "../core/alerts/safe-text.js";
import { MlwatchEventType } from "./event-types.js";

/**
 * Free-text fields of each detail-type, as paths: `reason`, or `driftedFeatures[].name` for a field of
 * every element of an array.
 */
export const eventUserTextFields: Readonly<Record<MlwatchEventType, readonly string[]>> = {
  [MlwatchEventType.driftDetected]: ["driftedFeatures[].name"],
  [MlwatchEventType.performanceDegraded]: ["metric"],
  [MlwatchEventType.performanceEstimatedDrop]: ["metric"],
  [MlwatchEventType.modelPromoted]: ["actor", "reason"],
  [MlwatchEventType.modelRolledBack]: ["actor", "reason"],
  [MlwatchEventType.retrainingRequested]: ["reason", "requestedBy"],
  [MlwatchEventType.retentionPending]: [],
};

/** Identifier fields of each detail-type, passed whole (validated names, versions, generated ids, URIs, enums). */
export const eventIdentifierFields: Readonly<Record<MlwatchEventType, readonly string[]>> = {
  [MlwatchEventType.driftDetected]: ["model", "version", "checkId", "baselineId", "severity", "reportUri"],
  [MlwatchEventType.performanceDegraded]: ["model", "version", "batchId", "severity"],
  [MlwatchEventType.performanceEstimatedDrop]: ["model", "version", "date", "method", "severity"],
  [MlwatchEventType.modelPromoted]: ["model", "version", "from", "to"],
  [MlwatchEventType.modelRolledBack]: ["model", "version", "from", "to"],
  [MlwatchEventType.retrainingRequested]: ["model", "trigger", "requestId", "evidence.checkId", "evidence.batchId", "evidenceId"],
  // caller: the IAM principal deployed, a validated actor token locally; the archives' audit names it whole.
  [MlwatchEventType.retentionPending]: ["table", "model", "caller", "requestId"],
};

function capAt(value: unknown, path: readonly string[]): unknown {
  if (path.length === 0) return typeof value === "string" ? userText(value) : value;
  const [head, ...rest] = path;
  if (head.endsWith("[]")) {
    const key = head.slice(0, -2);
    if (typeof value !== "object" || value === null) return value;
    const list = (value as Record<string, unknown>)[key];
    if (!Array.isArray(list)) return value;
    return { ...(value as Record<string, unknown>), [key]: list.map((item) => capAt(item, rest)) };
  }
  if (typeof value !== "object" || value === null || !Object.hasOwn(value, head)) return value;
  return { ...(value as Record<string, unknown>), [head]: capAt((value as Record<string, unknown>)[head], rest) };
}

/**
 * The detail with every free-text field of its type escaped and cut to 80 characters (a new object; the
 * input is not changed). Identifiers and numbers are left as they are.
 */
export function capEventDetail<D>(type: MlwatchEventType, detail: D): D {
  let out: unknown = detail;
  for (const path of eventUserTextFields[type]) out = capAt(out, path.split("."));
  return out as D;
}
