/**
 * Schemas of a ground-truth join run in the worker (inputs above the size bound): the 202 answer of
 * `POST /models/{model}/ground-truth` and `GET /models/{model}/performance/ground-truth-jobs/{jobId}`.
 */
import { z } from "@hono/zod-openapi";
import { modelParams } from "./schemas.js";

/**
 * Bytes of a Model Monitor join's ground-truth and capture objects together above which it runs in the worker
 * (202 + a job), by default; the stack's setting `groundTruthJoinInlineBytes` overrides it.
 */
export const defaultGroundTruthInlineBytes = 64 * 1024 ** 2;

/** Path of a join job. */
export const joinJobParams = modelParams.extend({
  jobId: z
    .string()
    .regex(/^[0-9TZ]+-[0-9a-f]{6}$/, "must be a job id such as 20261206T072000123Z-1a2b3c")
    .openapi({ param: { name: "jobId", in: "path" }, example: "20261206T072000123Z-1a2b3c" }),
});

/** The 202 answer: the join was handed to the worker. */
export const acceptedJoinSchema = z
  .looseObject({
    model: z.string(),
    jobId: z.string(),
    status: z.literal("pending"),
    format: z.literal("model_monitor"),
    version: z.string(),
    objects: z.number().openapi({ description: "ground-truth and capture objects together" }),
    bytes: z.number().openapi({ description: "their bytes, above the stack's groundTruthJoinInlineBytes" }),
    location: z.string().openapi({ description: "where the job's state and result are read" }),
  })
  .openapi("AcceptedGroundTruthJoin");

/** A join job: its request, state and, once done, the join's answer or the error. */
export const joinJobSchema = z
  .looseObject({
    model: z.string(),
    jobId: z.string(),
    status: z.enum(["pending", "running", "completed", "failed"]),
    format: z.literal("model_monitor"),
    origin: z.enum(["request", "schedule"]).openapi({ description: "request: POST /models/{model}/ground-truth; schedule: a run of the model's ground-truth schedule" }),
    spec: z.record(z.string(), z.unknown()).openapi({ description: "dataUri, captureUri, version, task, probabilityThreshold, thresholds; a scheduled run's groundTruthWindow and captureWindow" }),
    objects: z.number(),
    bytes: z.number(),
    createdAt: z.string(),
    createdBy: z.string(),
    requestId: z.string().openapi({ description: "the request that accepted it (scheduled-… for a scheduled run); the worker's log lines carry it" }),
    startedAt: z.string().optional(),
    completedAt: z.string().optional(),
    result: z.record(z.string(), z.unknown()).optional().openapi({ description: "completed: the answer the API gives for a join within the bound (join, batch); a scheduled run's join and batchId" }),
    join: z.record(z.string(), z.unknown()).optional().openapi({ description: "failed after the files were read (nothing matched): the join's counts and first unmatched ids" }),
    error: z.string().optional().openapi({ description: "failed: why" }),
  })
  .openapi("GroundTruthJoinJob");
