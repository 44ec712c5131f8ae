/**
 * Schemas of a model's scheduled ground-truth join (`GET`/`PUT /models/{model}/performance/ground-truth-schedule`):
 * Model Monitor's ground truth under `dataUri` joined to the data capture under `captureUri` on every monitor
 * pass (lambdas/performance/ground-truth-schedule.ts).
 */
import { z } from "@hono/zod-openapi";
import { earliestTimestamp, s3UriPattern, semverSchema } from "./schemas.js";

const s3Prefix = z.string().regex(s3UriPattern, "must be an s3://bucket/key URI");

/** Hours before the oldest new ground truth that captured predictions are looked for, by default. */
export const defaultCaptureLookbackHours = 48;

/** Body of `PUT /models/{model}/performance/ground-truth-schedule`. */
export const groundTruthScheduleBody = z
  .strictObject({
    format: z.literal("model_monitor").openapi({ description: "ground truth in SageMaker Model Monitor's format (docs/model-monitor.md)" }),
    dataUri: s3Prefix.openapi({ description: "the prefix Model Monitor's ground truth is uploaded under (JSON Lines of groundTruthData + eventMetadata.eventId)" }),
    captureUri: s3Prefix.openapi({ description: "the endpoint's data capture prefix (endpointOutput is the prediction)" }),
    version: semverSchema.openapi({ description: "the model version the captured predictions came from" }),
    task: z.enum(["regression", "classification"]).optional().openapi({ description: "the task (classification when probabilityThreshold is given)" }),
    probabilityThreshold: z.number().min(0).max(1).optional().openapi({ description: "predictions are probabilities of class 1; label 1 when ≥ this" }),
    captureLookbackHours: z
      .number()
      .int("must be a whole number of hours")
      .min(1)
      .max(720)
      .optional()
      .openapi({ description: `captured predictions are looked for from this many hours before the oldest new ground truth (default ${defaultCaptureLookbackHours})` }),
    since: z.iso
      .datetime({ offset: true, error: "must be an ISO 8601 date-time such as 2026-01-31T12:00:00Z" })
      .refine((t) => Date.parse(t) >= Date.parse(earliestTimestamp), `must be on or after ${earliestTimestamp}`)
      .optional()
      .openapi({ description: "join ground truth uploaded after this time (resets the schedule's watermark; default for a new schedule: now)" }),
    enabled: z.boolean().optional().openapi({ description: "default true; false keeps the settings and stops the runs" }),
  })
  .superRefine((b, ctx) => {
    if (b.task === undefined && b.probabilityThreshold === undefined) ctx.addIssue({ code: "custom", path: ["task"], message: "required unless probabilityThreshold is given" });
    if (b.task === "regression" && b.probabilityThreshold !== undefined) ctx.addIssue({ code: "custom", path: ["probabilityThreshold"], message: "only for task classification" });
  })
  .openapi("GroundTruthScheduleSettings");
export type GroundTruthScheduleBody = z.infer<typeof groundTruthScheduleBody>;

/** A schedule as `GET`/`PUT` answer it: its settings and what its runs did. */
export const groundTruthScheduleSchema = z
  .looseObject({
    model: z.string(),
    format: z.literal("model_monitor"),
    dataUri: z.string(),
    captureUri: z.string(),
    version: z.string(),
    task: z.enum(["regression", "classification"]).optional(),
    probabilityThreshold: z.number().optional(),
    captureLookbackHours: z.number(),
    enabled: z.boolean(),
    updatedAt: z.string(),
    updatedBy: z.string(),
    watermark: z.string().openapi({ description: "ground truth modified at or before this time was taken by a run" }),
    lastRunAt: z.string().optional(),
    lastOutcome: z.string().optional(),
    lastBatchId: z.string().optional().openapi({ description: "the batch the last successful join recorded" }),
    lastObjects: z.number().optional().openapi({ description: "ground-truth objects the last run with new data read" }),
    lastJoin: z.record(z.string(), z.unknown()).optional().openapi({ description: "the last join's counts: matched, unmatched ground truth and captures (with the first ids), duplicates" }),
    lastJobId: z.string().optional().openapi({ description: "the last run above groundTruthJoinInlineBytes: its join job in the worker (GET …/performance/ground-truth-jobs/{jobId})" }),
  })
  .openapi("GroundTruthSchedule");
