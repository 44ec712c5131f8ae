/**
 * The performance service's contract: prediction batches, delayed ground truth, per-model thresholds,
 * the performance report and version comparison. Request and response schemas (contract/schemas.ts, re-exported
 * here) and every route's definition; the handlers are bound in app.ts.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { defineContract } from "../shared/contract.js";
import {
  answer,
  batchBody,
  batchParams,
  compareQuery,
  errorAnswer,
  estimationReferenceBody,
  groundTruthBody,
  deletedBatchSchema,
  estimationReferenceAnswerSchema,
  groundTruthJoinSchema,
  loggedPredictionsSchema,
  performanceComparisonSchema,
  recordedBatchSchema,
  thresholdsAnswerSchema,
  unlabelledBatchSchema,
  modelParams,
  performanceReportSchema,
  predictionsBody,
  reportQuery,
  thresholdsSchema,
  versionParams,
} from "./contract/schemas.js";
import { groundTruthScheduleBody, groundTruthScheduleSchema } from "./contract/ground-truth-schedule.js";
import { acceptedJoinSchema, joinJobParams, joinJobSchema } from "./contract/join-jobs.js";

export * from "./contract/schemas.js";
export * from "./contract/ground-truth-schedule.js";
export * from "./contract/join-jobs.js";

const body = <T>(schema: T) => ({ content: { "application/json": { schema } }, required: true });

/** The performance service's routes, by operation. */
export const performanceContract = defineContract("performance", {
  recordBatch: createRoute({
    method: "post",
    path: "/models/{model}/versions/{version}/batches",
    summary: "Record a batch of predictions with their actuals: metrics, CloudWatch, model-drift alert",
    request: { params: versionParams, body: body(batchBody) },
    responses: {
      201: answer(z.union([recordedBatchSchema, unlabelledBatchSchema]), "the batch's id, metrics, baseline comparison and alert outcome (a batch without actuals: kept for estimation)"),
      400: errorAnswer("invalid body: lengths differ, non-finite values, labels that do not fit the task, impossible baseline values"),
      404: errorAnswer("MODEL_NOT_REGISTERED: the registry does not know the model; VERSION_NOT_REGISTERED: nor the version (never registered, or deleted)"),
      409: errorAnswer("the version's batches are of the other task (fixed by its first batch)"),
      422: errorAnswer("the dataUri object cannot be read as a batch"),
    },
  }),
  deleteBatch: createRoute({
    method: "delete",
    path: "/models/{model}/versions/{version}/batches/{batchId}",
    summary: "Delete a mistaken batch (labelled or unlabelled): its summary or scored rows, its raw rows and (ground truth) its joins; audited, reports recover",
    request: { params: batchParams },
    responses: {
      200: answer(deletedBatchSchema, "what was deleted: raw rows, undone joins, and whether the version's task was released"),
      404: errorAnswer("the version has no such batch (NOT_FOUND); MODEL_NOT_REGISTERED or VERSION_NOT_REGISTERED when the registry does not know the model or version and no such batch exists"),
    },
  }),
  logPredictions: createRoute({
    method: "post",
    path: "/models/{model}/versions/{version}/predictions",
    summary: "Log predictions now, to be joined with their ground truth later",
    request: { params: versionParams, body: body(predictionsBody) },
    responses: {
      201: answer(loggedPredictionsSchema, "how many were logged and which ids were already logged"),
      400: errorAnswer("invalid records, duplicate ids, or a task that cannot be inferred"),
      404: errorAnswer("MODEL_NOT_REGISTERED: the registry does not know the model; VERSION_NOT_REGISTERED: nor the version (never registered, or deleted)"),
    },
  }),
  recordGroundTruth: createRoute({
    method: "post",
    path: "/models/{model}/ground-truth",
    summary: "Join actuals to logged predictions; the joined records are recorded as a batch per version",
    request: { params: modelParams, body: body(groundTruthBody) },
    responses: {
      200: answer(groundTruthJoinSchema, "joined count, unknown / already joined / rejected ids, and the joined batches"),
      202: answer(acceptedJoinSchema, 'format "model_monitor" with inputs above the stack\'s groundTruthJoinInlineBytes: the join runs in the worker; read the job at location'),
      400: errorAnswer("invalid records or duplicate ids"),
      404: errorAnswer("MODEL_NOT_REGISTERED: the registry does not know the model"),
    },
  }),
  getGroundTruthSchedule: createRoute({
    method: "get",
    path: "/models/{model}/performance/ground-truth-schedule",
    summary: "The model's scheduled ground-truth join (Model Monitor's files) and what its last run did",
    request: { params: modelParams },
    responses: {
      200: answer(groundTruthScheduleSchema, "the schedule's settings, watermark, last outcome, join report and batch"),
      404: errorAnswer("MODEL_NOT_REGISTERED: the registry does not know the model; NOT_FOUND: the model has no schedule"),
    },
  }),
  setGroundTruthSchedule: createRoute({
    method: "put",
    path: "/models/{model}/performance/ground-truth-schedule",
    summary: "Join Model Monitor's ground truth to the data capture on every monitor pass (replaces the settings, keeps the watermark)",
    request: { params: modelParams, body: body(groundTruthScheduleBody) },
    responses: {
      200: answer(groundTruthScheduleSchema, "the stored schedule"),
      400: errorAnswer("invalid settings"),
      404: errorAnswer("MODEL_NOT_REGISTERED: the registry does not know the model; VERSION_NOT_REGISTERED: nor the version"),
    },
  }),
  getGroundTruthJob: createRoute({
    method: "get",
    path: "/models/{model}/performance/ground-truth-jobs/{jobId}",
    summary: "A ground-truth join run in the worker (large inputs): its state and, once done, its result or error",
    request: { params: joinJobParams },
    responses: {
      200: answer(joinJobSchema, "the job: pending, running, completed (result: join and batch) or failed (error)"),
      404: errorAnswer("the model has no such job (NOT_FOUND); MODEL_NOT_REGISTERED"),
    },
  }),
  getPerformanceThresholds: createRoute({
    method: "get",
    path: "/models/{model}/performance/thresholds",
    summary: "The model's degradation thresholds: effective, stored and defaults",
    request: { params: modelParams },
    responses: { 200: answer(thresholdsAnswerSchema, "thresholds"), 404: errorAnswer("MODEL_NOT_REGISTERED: the registry does not know the model") },
  }),
  setPerformanceThresholds: createRoute({
    method: "put",
    path: "/models/{model}/performance/thresholds",
    summary: "Set the model's degradation thresholds (replaces the stored ones; null turns a rule off)",
    request: { params: modelParams, body: body(thresholdsSchema) },
    responses: { 200: answer(thresholdsAnswerSchema, "the effective thresholds"), 400: errorAnswer("invalid thresholds"), 404: errorAnswer("MODEL_NOT_REGISTERED: the registry does not know the model") },
  }),
  performanceReport: createRoute({
    method: "get",
    path: "/models/{model}/performance",
    summary: "Performance over a window: overall metrics, per-day aggregates, trend, worst batches",
    request: { params: modelParams, query: reportQuery },
    responses: {
      200: answer(performanceReportSchema, "the performance report"),
      404: errorAnswer("MODEL_NOT_REGISTERED: the registry does not know the model; VERSION_NOT_REGISTERED: nor the version (never registered, or deleted)"),
      422: errorAnswer("the window mixes regression and classification batches"),
    },
  }),
  comparePerformance: createRoute({
    method: "get",
    path: "/models/{model}/performance/compare",
    summary: "Live metrics of versions side by side over the same window",
    request: { params: modelParams, query: compareQuery },
    responses: {
      200: answer(performanceComparisonSchema, "the versions' window metrics and the best by the primary metric"),
      400: errorAnswer("invalid versions"),
      404: errorAnswer("MODEL_NOT_REGISTERED, or VERSION_NOT_REGISTERED naming every version the registry does not know (details.versions)"),
    },
  }),
  setEstimationReference: createRoute({
    method: "put",
    path: "/models/{model}/versions/{version}/estimation-reference",
    summary: "Set the labelled window a version's performance estimation calibrates on; answers the fit",
    request: { params: versionParams, body: body(estimationReferenceBody) },
    responses: { 200: answer(estimationReferenceAnswerSchema, "the stored reference and what it gives: batches, rows, method, calibration error, or why it cannot be used"), 400: errorAnswer("invalid window or method") },
  }),
  getEstimationReference: createRoute({
    method: "get",
    path: "/models/{model}/versions/{version}/estimation-reference",
    summary: "The version's estimation reference (stored, or the default rule) and what it gives",
    request: { params: versionParams },
    responses: { 200: answer(estimationReferenceAnswerSchema, "the reference and its fit") },
  }),
});
