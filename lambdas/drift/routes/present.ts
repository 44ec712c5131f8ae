/**
 * Helpers the drift routes share: how a stored check or baseline is shown (a job that died is shown
 * failed), and the request checks the schemas cannot express (inline size, thresholds the core accepts).
 */
import { buildDriftReport } from "../../core/drift/index.js";
import { PayloadTooLargeError } from "../../shared/errors.js";
import { maxInlineBytes } from "../contract.js";

/** Refuses inline records larger than {@link maxInlineBytes} (the declared length, else the serialized size). */
export function checkInlineSize(c: { req: { header(name: string): string | undefined } }, records: unknown): void {
  const declared = Number(c.req.header("content-length") ?? "0");
  const size = declared > 0 ? declared : Buffer.byteLength(JSON.stringify(records));
  if (size > maxInlineBytes) throw new PayloadTooLargeError(`inline records exceed ${maxInlineBytes / (1024 * 1024)} MB; put the data in S3 and pass dataUri`);
}

// A job may wait up to an hour for a free worker (reserved concurrency; the event's maximum age), then
// runs at most 15 minutes, plus one retry after a crash. The worker's on-failure handler marks a job that
// died failed (job-failure.ts); should that too be lost, a job still open well after the worst case is
// shown as failed rather than pending for ever.
const staleAfterMs = 100 * 60_000;
const staleMessage = "the drift worker did not finish (timeout or out of memory); see the worker's log";

/** A check as answered: pending or running long past the worker's limit is shown failed. */
export function presentCheck<T extends { status: string; createdAt: string; error?: string }>(record: T, now = Date.now()): T {
  if ((record.status === "pending" || record.status === "running") && now - Date.parse(record.createdAt) > staleAfterMs) {
    return { ...record, status: "failed", error: staleMessage };
  }
  return record;
}

/** A baseline as answered: building long past the worker's limit is shown failed. */
export function presentBaseline<T extends { status: string; createdAt: string; error?: string }>(record: T, now = Date.now()): T {
  if (record.status === "building" && now - Date.parse(record.createdAt) > staleAfterMs) return { ...record, status: "failed", error: staleMessage };
  return record;
}

/** Refuses thresholds the core would refuse, before anything is stored. */
export function validateThresholds(thresholds: Record<string, number | undefined> | undefined): void {
  // The core resolves (and validates) thresholds before comparing anything; an empty report costs nothing.
  if (thresholds) buildDriftReport({}, thresholds);
}
