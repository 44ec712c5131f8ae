/**
 * Delayed ground truth: predictions are logged now (one item per id, own partition per model) and actuals
 * joined later. A join is a conditional update (the prediction exists and has no actual yet), so concurrent
 * or repeated ground-truth posts never count a record twice. The newly joined records of each version form
 * a "joined batch" (source `ground_truth`) recorded exactly like a posted batch — same metrics, alerts and
 * reports. If recording a joined batch fails, its joins are undone (conditional on this post's join id)
 * before the error propagates, so a retry can join the records again.
 */
import { randomUUID } from "node:crypto";
import { UnprocessableError, ValidationError } from "../shared/errors.js";
import { recordAudit } from "../shared/audit.js";
import { checkBatchColumns, labelProblem, toLabel } from "../core/performance/batch-columns.js";
import type { Task } from "../core/performance/metric-names.js";
import type { PerformanceThresholds } from "../core/performance/thresholds.js";
import { deleteRawObject, putRawObject, rawBatchKey } from "./store/raw.js";
import { joinActual, putPrediction, undoJoin, predictionRetentionDays, type StoredPrediction } from "./store/predictions.js";
import { mapLimit } from "../shared/map-limit.js";
import { bucketKeys } from "../shared/buckets.js";
import { recordBatch, type RecordedBatch } from "./record-batch.js";
import { findRegisteredVersion } from "../registry/index.js";
import type { GroundTruthBody, PredictionsBody } from "./contract/schemas.js";
import { cellStride, histogramCount, scoreHistogram, type ScoreHistogram } from "../core/performance/estimation-histogram.js";
import { maxScoreCells } from "./record-batch.js";
import { putScores } from "./store/estimation.js";
import type { EstimationCheck, TrackRecordOutcome } from "./estimation.js";

const binaryLabel = (v: unknown): boolean => v === 0 || v === 1 || v === "0" || v === "1";

/**
 * Score histograms by UTC day of prediction of the rows that have a score and 0/1 labels (`actual` absent:
 * unlabelled); undefined when none has, or when they would exceed `maxScoreCells` cells (a log spread over
 * very many days: those rows are then not estimated).
 */
export function scoresByPredictionDay(rows: ReadonlyArray<{ score?: number; prediction: unknown; actual?: unknown; timestamp: string }>, labelled: boolean): Record<string, ScoreHistogram> | undefined {
  const days = new Map<string, { scores: number[]; predicted: Array<string | number>; actual: Array<string | number> }>();
  for (const r of rows) {
    if (typeof r.score !== "number" || !binaryLabel(r.prediction) || (labelled && !binaryLabel(r.actual))) continue;
    const day = r.timestamp.slice(0, 10);
    let d = days.get(day);
    if (!d) days.set(day, (d = { scores: [], predicted: [], actual: [] }));
    d.scores.push(r.score);
    d.predicted.push(r.prediction as string | number);
    if (labelled) d.actual.push(r.actual as string | number);
  }
  if (days.size === 0) return undefined;
  const out: Record<string, ScoreHistogram> = {};
  let cells = 0;
  for (const [day, d] of days) {
    out[day] = scoreHistogram(d.scores, d.predicted, labelled ? d.actual : undefined);
    cells += out[day].cells.length / cellStride;
  }
  return cells > maxScoreCells ? undefined : out;
}

/** DynamoDB calls in flight per request. */
const concurrency = 25;
/** Largest tolerated clock skew of a caller's timestamp. */
const futureToleranceMs = 3_600_000;

/** Who asks, for raw objects and the audit trail. */
export interface RequestContext {
  readonly requestId: string;
  readonly caller: string;
}

function duplicateIds(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const id of ids) (seen.has(id) ? dup : seen).add(id);
  return [...dup];
}

/** Refuses a timestamp more than an hour ahead of the server's clock. */
export function checkNotFuture(timestamp: string | undefined, field: string): void {
  if (timestamp !== undefined && Date.parse(timestamp) > Date.now() + futureToleranceMs) {
    throw new ValidationError(`${field}: ${timestamp} is more than an hour in the future`);
  }
}

/** The task of a predictions post: given, or inferred when the values leave no doubt. */
export function inferTask(body: PredictionsBody): { task: Task; inferred: boolean } {
  if (body.task) return { task: body.task, inferred: false };
  const values = body.records.map((r) => r.prediction);
  if (body.records.some((r) => r.score !== undefined) || values.some((v) => typeof v !== "number")) return { task: "classification", inferred: true };
  if (values.some((v) => !Number.isInteger(v))) return { task: "regression", inferred: true };
  throw new ValidationError('body.task: required when every prediction is an integer (class labels or counts?); give "regression" or "classification"');
}

/** Logs predictions for a later ground-truth join. */
export async function logPredictions(model: string, version: string, body: PredictionsBody, ctx: RequestContext) {
  const dup = duplicateIds(body.records.map((r) => r.id));
  if (dup.length > 0) throw new ValidationError(`body.records: duplicate id(s) ${dup.slice(0, 5).join(", ")}${dup.length > 5 ? ` and ${dup.length - 5} more` : ""}`);
  const { task, inferred } = inferTask(body);
  const problems: string[] = [];
  body.records.forEach((r, i) => {
    if (problems.length >= 5) return;
    checkNotFuture(r.timestamp, `body.records.${i}.timestamp`);
    if (task === "regression") {
      if (typeof r.prediction !== "number") problems.push(`body.records.${i}.prediction = ${JSON.stringify(r.prediction)} is not a number (task regression)`);
      if (r.score !== undefined) problems.push(`body.records.${i}.score: scores are only accepted for task classification`);
    } else {
      const label = toLabel(r.prediction);
      if (label === undefined) problems.push(`body.records.${i}.prediction = ${labelProblem(r.prediction)}`);
      else if (r.score !== undefined && String(label) !== "0" && String(label) !== "1") {
        problems.push(`body.records.${i}.score: scores are accepted only for binary 0/1 labels (probability of class 1); prediction is ${JSON.stringify(r.prediction)}`);
      }
    }
  });
  if (problems.length > 0) throw new ValidationError(problems.join("; "));

  const loggedAt = new Date().toISOString();
  const logId = `predictions-${loggedAt.replace(/[-:.TZ]/g, "").slice(0, 14)}-${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const rawUri = await putRawObject(rawBatchKey(model, version, loggedAt.slice(0, 10), logId), {
    logId,
    model,
    version,
    task,
    loggedAt,
    requestId: ctx.requestId,
    caller: ctx.caller,
    records: body.records,
  });
  const outcomes = await mapLimit(body.records, concurrency, (r) =>
    putPrediction({
      id: r.id,
      model,
      version,
      task,
      prediction: task === "regression" ? (r.prediction as number) : (toLabel(r.prediction) as string | number),
      ...(r.score !== undefined ? { score: r.score } : {}),
      timestamp: r.timestamp ? new Date(r.timestamp).toISOString() : loggedAt,
      loggedAt,
    }),
  );
  const duplicates = body.records.filter((_, i) => !outcomes[i]).map((r) => r.id);
  const logged = body.records.length - duplicates.length;
  const estimation = task === "classification" ? await estimateLogged(model, version, logId, loggedAt, rawUri, body.records.filter((_, i) => outcomes[i]), ctx) : null;
  await recordAudit({
    type: "performance.predictions_logged",
    actor: ctx.caller,
    model,
    version,
    target: `models/${model}/versions/${version}/predictions`,
    after: { logged, duplicates: duplicates.length, rawUri, task },
    requestId: ctx.requestId,
  });
  return {
    model,
    version,
    task,
    taskInferred: inferred,
    received: body.records.length,
    logged,
    duplicateIds: duplicates,
    rawUri,
    estimation,
    warnings: estimation?.warnings ?? [],
    awaitingGroundTruthUntil: new Date(Date.parse(loggedAt) + predictionRetentionDays * 86_400_000).toISOString(),
  };
}

/**
 * Keeps the scored rows of a prediction log as score histograms for performance estimation and estimates
 * their days. Never throws: the predictions are logged whatever happens here.
 */
async function estimateLogged(
  model: string,
  version: string,
  logId: string,
  loggedAt: string,
  rawUri: string,
  records: PredictionsBody["records"],
  ctx: RequestContext,
): Promise<EstimationCheck | null> {
  const byDay = scoresByPredictionDay(
    records.map((r) => ({ score: r.score, prediction: toLabel(r.prediction), timestamp: r.timestamp ? new Date(r.timestamp).toISOString() : loggedAt })),
    false,
  );
  if (!byDay) return null;
  const count = Object.values(byDay).reduce((s, h) => s + histogramCount(h), 0);
  try {
    await putScores({
      id: logId,
      model,
      version,
      source: "predictions",
      timestamp: loggedAt,
      count,
      byDay,
      rawUri,
      caller: ctx.caller,
      requestId: ctx.requestId,
      expiresAt: Math.floor(Date.parse(loggedAt) / 1000) + predictionRetentionDays * 86_400,
    });
  } catch (err) {
    return { checked: false, reason: "the scores were not stored", days: [], drop: null, alert: null, event: null, retraining: null, metricsPublished: 0, warnings: [`the scores were not kept for performance estimation: ${(err as Error).message}`] };
  }
  const { checkEstimatedDays } = await import("./estimation.js");
  return checkEstimatedDays(model, version, Object.keys(byDay), { id: logId, description: `prediction log ${logId} (${count} scored predictions)` }, ctx);
}

/** The only task an actual's JSON type allows, if it allows only one. */
function taskOfActual(actual: number | string | boolean): Task | undefined {
  if (typeof actual === "string" || typeof actual === "boolean") return "classification";
  return Number.isInteger(actual) ? undefined : "regression";
}

/** Joins actuals to logged predictions and records a joined batch per version. */
export async function joinGroundTruth(model: string, body: GroundTruthBody & { records: NonNullable<GroundTruthBody["records"]> }, ctx: RequestContext) {
  const dup = duplicateIds(body.records.map((r) => r.id));
  if (dup.length > 0) throw new ValidationError(`body.records: duplicate id(s) ${dup.slice(0, 5).join(", ")}${dup.length > 5 ? ` and ${dup.length - 5} more` : ""}`);
  const joinedAt = new Date().toISOString();
  const joinId = `gt-${joinedAt.replace(/[-:.TZ]/g, "").slice(0, 14)}-${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const rawUri = await putRawObject(bucketKeys.groundTruthJoin(model, joinedAt.slice(0, 10), joinId), {
    joinId,
    model,
    receivedAt: joinedAt,
    requestId: ctx.requestId,
    caller: ctx.caller,
    records: body.records,
  });

  const unknownIds: string[] = [];
  const alreadyJoinedIds: string[] = [];
  const rejected: Array<{ id: string; reason: string }> = [];
  const joined: Array<StoredPrediction & { actual: string | number }> = [];
  // Every join runs to its end before a failure is answered, so the joins this post made can all be undone
  // (a join that failed — DynamoDB unavailable past its retries — wrote nothing) and nothing is left half-joined.
  let joinFailure: { error: unknown } | undefined;
  await mapLimit(body.records, concurrency, async (r) => {
    if (joinFailure) return;
    const actual = typeof r.actual === "boolean" ? (r.actual ? 1 : 0) : r.actual;
    let outcome;
    try {
      outcome = await joinActual(model, r.id, actual, joinId, joinedAt, taskOfActual(r.actual));
    } catch (error) {
      joinFailure ??= { error };
      return;
    }
    if (outcome.status === "joined") joined.push({ ...outcome.prediction, actual });
    else if (outcome.status === "unknown") unknownIds.push(r.id);
    else if (outcome.status === "alreadyJoined") alreadyJoinedIds.push(r.id);
    else rejected.push({ id: r.id, reason: `actual ${JSON.stringify(r.actual)} does not fit the prediction's task ${outcome.task}` });
  });
  if (joinFailure) {
    await mapLimit(joined, concurrency, (p) => undoJoin(model, p.id, joinId));
    await deleteRawObject(bucketKeys.groundTruthJoin(model, joinedAt.slice(0, 10), joinId)).catch(() => undefined);
    throw joinFailure.error;
  }

  // One joined batch per version (and task, should a version's predictions have been logged with both).
  const groups = new Map<string, typeof joined>();
  for (const p of joined) {
    const key = `${p.version}\u0000${p.task}`;
    const list = groups.get(key);
    if (list) list.push(p);
    else groups.set(key, [p]);
  }
  // Predictions logged for a version that is no longer registered (deleted since) are not joined: their
  // joins are undone and they are answered as rejected, so the rest of the post is still recorded.
  const registered = await Promise.all([...groups.values()].map((g) => findRegisteredVersion(model, g[0].version)));
  const pending = [...groups.values()].filter((g, i) => registered[i] !== undefined);
  for (const g of [...groups.values()].filter((_, i) => registered[i] === undefined)) {
    await mapLimit(g, concurrency, (p) => undoJoin(model, p.id, joinId));
    for (const p of g) rejected.push({ id: p.id, reason: `version ${p.version} of model ${model} is not registered (deleted since the prediction was logged)` });
  }
  const joinedCount = pending.reduce((n, g) => n + g.length, 0);
  const batches: RecordedBatch[] = [];
  const scored: Array<{ batchId: string; version: string; timestamp: string; scoresByDay: Record<string, ScoreHistogram> }> = [];
  try {
    while (pending.length > 0) {
      const group = pending[0];
      group.sort((a, b) => a.id.localeCompare(b.id));
      const { version, task } = group[0];
      const binary = group.every((p) => ["0", "1"].includes(String(p.prediction)) && ["0", "1"].includes(String(p.actual)));
      const withScores = task === "classification" && binary && group.every((p) => typeof p.score === "number");
      let columns;
      try {
        columns = checkBatchColumns(
          task,
          group.map((p) => p.prediction),
          group.map((p) => p.actual),
          withScores ? group.map((p) => p.score) : undefined,
        );
      } catch (err) {
        throw new UnprocessableError(`joined records of version ${version} cannot be evaluated: ${(err as Error).message}`, { cause: err });
      }
      const scoresByDay = scoresByPredictionDay(group, true);
      const recorded = await recordBatch({
        model,
        version,
        source: "ground_truth",
        columns,
        timestamp: joinedAt,
        raw: { groundTruthUri: rawUri, joinId, records: group.map((p) => ({ id: p.id, prediction: p.prediction, score: p.score, actual: p.actual, predictedAt: p.timestamp })) },
        thresholds: body.thresholds as Partial<PerformanceThresholds> | undefined,
        scoresByDay,
        requestId: ctx.requestId,
        caller: ctx.caller,
      });
      batches.push(recorded);
      if (scoresByDay) scored.push({ batchId: recorded.batchId, version, timestamp: recorded.timestamp, scoresByDay });
      pending.shift();
    }
  } catch (err) {
    await mapLimit(pending.flat(), concurrency, (p) => undoJoin(model, p.id, joinId));
    // Nothing recorded from this post: its request record goes too, so a failed post leaves no object.
    if (batches.length === 0) await deleteRawObject(bucketKeys.groundTruthJoin(model, joinedAt.slice(0, 10), joinId)).catch(() => undefined);
    throw err;
  }
  // The labels of estimated predictions: how good those estimates were goes into the track record.
  let trackRecord: TrackRecordOutcome[] = [];
  if (scored.length > 0) {
    const { recordTrackRecord } = await import("./estimation.js");
    trackRecord = await Promise.all(scored.map((b) => recordTrackRecord(model, { ...b, source: "ground_truth" }, ctx)));
    for (const [i, t] of trackRecord.entries()) batches.find((b) => b.batchId === scored[i].batchId)?.warnings.push(...t.warnings);
  }
  await recordAudit({
    type: "performance.ground_truth_joined",
    actor: ctx.caller,
    model,
    target: `models/${model}/ground-truth`,
    after: { joinId, joined: joinedCount, unknown: unknownIds.length, alreadyJoined: alreadyJoinedIds.length, rejected: rejected.length, batchIds: batches.map((b) => b.batchId) },
    requestId: ctx.requestId,
  });
  return {
    model,
    joinId,
    received: body.records.length,
    joined: joinedCount,
    unknownIds,
    alreadyJoinedIds,
    rejected,
    rawUri,
    batches,
    trackRecord: trackRecord.map(({ batchId, recorded, windows, reason }) => ({ batchId, recorded, windows, ...(reason ? { reason } : {}) })),
  };
}
