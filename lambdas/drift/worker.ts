/**
 * The drift worker: the long-running half of the API. Builds baselines from S3 data and runs checks of S3
 * data, started asynchronously by the API (`dispatch.ts`) after it wrote a `building` baseline or a `pending`
 * check. A job that fails marks its item `failed` with the error message; the worker itself does not throw,
 * so Lambda's asynchronous retries never run a job twice after a recorded failure.
 */
import { measureUsage } from "../shared/usage.js";
import { recordAudit } from "../shared/audit.js";
import { MlwatchError } from "../shared/errors.js";
import { serviceLogger } from "../shared/logger.js";
import { checkContextOf, completeCheck } from "./check.js";
import { loadS3 } from "./ingest.js";
import { shouldFanOut, startFanOut } from "./fanout.js";
import { resolveThresholds } from "../core/drift/index.js";
import { listS3Objects } from "../shared/readers/s3-source.js";
import { profileFromModelMonitor, readJsonDocument } from "./model-monitor/import.js";
import { type BaselineProfile, buildProfile, profileKinds } from "./profile.js";
import { profileKey, putJson, removeOrphan } from "./store/objects.js";
import { finishBaseline, getBaseline } from "./store/baselines.js";
import { activateIfNone, loadBaseline } from "./store/active-baseline.js";
import { getCheck, updateCheck } from "./store/checks.js";

const logger = serviceLogger("drift-worker");

/** A job for the worker. */
export type WorkerJob =
  | { readonly kind: "check"; readonly model: string; readonly checkId: string; readonly requestId?: string }
  | { readonly kind: "baseline"; readonly model: string; readonly baselineId: string; readonly requestId?: string }
  /** A large Model Monitor ground-truth join, handed over by the performance API or the monitor (lambdas/performance/join-job.ts). */
  | { readonly kind: "ground_truth_join"; readonly model: string; readonly jobId: string };

/**
 * The message a caller sees for a failed job: ours verbatim; anything else (an SDK or runtime error) is
 * not the caller's to read — it is logged in full and the record names only the kind of failure and where
 * to find it.
 */
export function failureMessage(err: unknown, requestId?: string): string {
  if (err instanceof MlwatchError) return err.message;
  const e = err as { name?: string };
  const name = typeof e?.name === "string" && /^[A-Za-z][A-Za-z0-9]{0,63}$/.test(e.name) ? e.name : "Error";
  return `internal error (${name}) while running the job; it was logged${requestId ? ` with request id ${requestId}` : ""} — retry, or report it`;
}

/** Runs a pending S3 check. */
export async function runCheckJob(model: string, checkId: string, requestId?: string): Promise<void> {
  // The check's cost is measured from here: reading the row, the baseline, the listing and the data count.
  return measureUsage(() => checkJob(model, checkId, requestId));
}

async function checkJob(model: string, checkId: string, requestId?: string): Promise<void> {
  const check = await getCheck(model, checkId);
  if (!check) {
    logger.warn("check job for an unknown check", { model, checkId });
    return;
  }
  if (check.status === "completed" || check.status === "failed") return;
  const startedAt = new Date().toISOString();
  try {
    await updateCheck(model, checkId, { status: "running", startedAt });
    const { profile } = await loadBaseline(model, check.baselineId);
    // The size switch (fanout.ts): a large listing is summarised in shards and merged, not read here.
    const refs = await listS3Objects(check.dataUri as string, { maxObjects: 100_000 });
    if (shouldFanOut(refs)) {
      await startFanOut({ model, checkId, baselineId: check.baselineId, psiBins: resolveThresholds(check.thresholds).psiBins }, profile, refs);
      return;
    }
    const data = await loadS3(refs, { kinds: profileKinds(profile), onlyKnown: true, positionalNames: profile.features });
    await completeCheck(checkContextOf(check, requestId), profile, data, true);
  } catch (err) {
    logger.error("drift check failed", { model, checkId, error: err as Error });
    await updateCheck(model, checkId, { status: "failed", error: failureMessage(err, requestId), completedAt: new Date().toISOString() });
  }
}

/** Builds a baseline from its S3 data. */
export async function runBaselineJob(model: string, baselineId: string, requestId?: string): Promise<void> {
  const record = await getBaseline(model, baselineId);
  if (!record) {
    logger.warn("baseline job for an unknown baseline", { model, baselineId });
    return;
  }
  if (record.status !== "building") return;
  try {
    let profile: BaselineProfile;
    let details: Record<string, unknown>;
    if (record.source.kind === "model_monitor") {
      const statisticsUri = record.source.statisticsUri as string;
      const constraintsUri = record.source.constraintsUri as string;
      const [statistics, constraints] = await Promise.all([readJsonDocument(statisticsUri, "statisticsUri"), readJsonDocument(constraintsUri, "constraintsUri")]);
      const imported = profileFromModelMonitor({ statistics, constraints, statisticsUri, constraintsUri }, { model, baselineId, createdAt: record.createdAt });
      profile = imported.profile;
      details = { source: "model_monitor", statisticsUri, constraintsUri, warnings: imported.warnings };
    } else {
      const data = await loadS3(record.source.dataUri as string, {
        categorical: record.options.categorical,
        include: record.options.features,
        exclude: record.options.exclude,
        positionalNames: record.options.features,
      });
      profile = buildProfile(data.columns, {
        model,
        baselineId,
        createdAt: record.createdAt,
        rows: data.rows,
        source: { kind: "s3", dataUri: record.source.dataUri, objects: data.objects, bytes: data.bytes },
      });
      details = { dataUri: record.source.dataUri, objects: data.objects, formats: data.formats, warnings: data.warnings };
    }
    const rows = profile.rows;
    const readyAt = new Date().toISOString();
    const profileUri = await putJson(profileKey(model, baselineId), profile);
    const features = profileKinds(profile);
    try {
      await finishBaseline(model, baselineId, { status: "ready", rows, features, profileUri, readyAt });
    } catch (err) {
      // The baseline stays unusable (it is marked failed below), so its profile must not outlive it.
      await removeOrphan(profileKey(model, baselineId), { model, baselineId, requestId });
      throw err;
    }
    const activated = await activateIfNone(model, baselineId, record.createdBy);
    await recordAudit({
      type: "drift.baseline_created",
      actor: record.createdBy,
      model,
      target: `models/${model}/baselines/${baselineId}`,
      after: { baselineId, rows, features, profileUri, active: activated },
      details,
      requestId,
    });
  } catch (err) {
    logger.error("baseline build failed", { model, baselineId, error: err as Error });
    await finishBaseline(model, baselineId, { status: "failed", error: failureMessage(err, requestId) });
  }
}

/** Runs one job. Never throws for a job failure (it is recorded on the item). */
export async function runJob(job: WorkerJob): Promise<void> {
  if (job.kind === "check") await runCheckJob(job.model, job.checkId, job.requestId);
  else if (job.kind === "ground_truth_join") {
    // The performance service's job, loaded on first use: checks and baselines do not carry its code.
    const { runGroundTruthJoinJob } = await import("../performance/index.js");
    await runGroundTruthJoinJob(job.model, job.jobId);
  }
  else await runBaselineJob(job.model, job.baselineId, job.requestId);
}
