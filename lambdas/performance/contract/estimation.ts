/**
 * Schemas of performance estimation (docs/performance.md "Estimated performance"): the reference window's
 * body, the report's `estimated` section and the reference's answer. Re-exported by schemas.ts.
 */
import { z } from "@hono/zod-openapi";
import { timestampSchema } from "./timestamp.js";

/** Body of `PUT /models/{model}/versions/{version}/estimation-reference`. */
export const estimationReferenceBody = z
  .strictObject({
    from: timestampSchema.openapi({ description: "start of the labelled window: the version's labelled batches with scores placed in [from, to] are the reference" }),
    to: timestampSchema.openapi({ description: "end of the labelled window" }),
    method: z.enum(["auto", "isotonic", "platt"]).optional().openapi({ description: "calibration (default auto: isotonic from 1,000 rows with 100 of each class, else Platt)" }),
  })
  .refine((b) => Date.parse(b.from) < Date.parse(b.to), { path: ["to"], message: "must be after from" })
  .openapi("EstimationReference");
export type EstimationReferenceBody = z.infer<typeof estimationReferenceBody>;

const interval = z.tuple([z.number(), z.number()]).nullable();
const matrix = z.looseObject({ tp: z.number().nullable(), fp: z.number().nullable(), fn: z.number().nullable(), tn: z.number().nullable() });
const method = z.enum(["isotonic", "platt", "mixed"]).nullable().openapi({ description: "the calibration fitted on the reference; mixed: a multiclass reference whose classes or sides used both (see reference.calibrations)" });
const estimatedMetrics = z.looseObject({ accuracy: z.number().nullable(), precision: z.number().nullable(), recall: z.number().nullable(), f1: z.number().nullable(), auc: z.number().nullable() });
const estimateSchema = z.looseObject({
  count: z.number(),
  metrics: estimatedMetrics,
  intervals: z.looseObject({ accuracy: interval, precision: interval, recall: interval, f1: interval, auc: interval }),
  expectedConfusion: z
    .union([matrix, z.looseObject({ classes: z.array(z.string()), perClass: z.record(z.string(), matrix) })])
    .openapi({ description: "binary: the expected confusion matrix; multiclass: each class's expected one-against-the-rest matrix (precision, recall, f1 and auc are then macro averages)" }),
});

/** The report's `estimated` section: performance estimated from scores where labels have not arrived (docs/performance.md). */
export const estimatedSchema = z
  .looseObject({
    version: z.string(),
    available: z.boolean(),
    reason: z.string().optional().openapi({ description: "why there is no estimate (reference too small, calibration error too large, no reference)" }),
    method,
    level: z.number(),
    assumption: z.string(),
    reference: z.looseObject({ source: z.string(), batches: z.array(z.string()), count: z.number(), calibrationError: z.number().nullable() }),
    unlabelledCount: z.number(),
    daily: z.array(
      z.looseObject({
        date: z.string(),
        count: z.number(),
        metrics: estimatedMetrics.nullable(),
        intervals: z.record(z.string(), interval).nullable(),
        labelled: z
          .looseObject({ count: z.number(), realized: estimatedMetrics, estimated: estimateSchema, estimationError: estimatedMetrics, covered: z.record(z.string(), z.boolean().nullable()) })
          .optional()
          .openapi({ description: "the day's rows whose labels arrived (outside the reference): realized, what was estimated from their scores, and the difference" }),
      }),
    ),
    overall: estimateSchema.nullable(),
    record: z
      .looseObject({ days: z.number(), count: z.number(), meanAbsoluteError: z.record(z.string(), z.number().nullable()), meanError: z.record(z.string(), z.number().nullable()), coverage: z.record(z.string(), z.number().nullable()) })
      .nullable()
      .openapi({ description: "the window's labelled days, checked now with the current reference" }),
    trackRecord: z
      .looseObject({
        batches: z.number(),
        windows: z.number(),
        count: z.number(),
        meanAbsoluteError: z.record(z.string(), z.number().nullable()),
        meanError: z.record(z.string(), z.number().nullable()),
        coverage: z.record(z.string(), z.number().nullable()),
        since: z.string().nullable(),
        latest: z.string().nullable(),
        truncated: z.boolean(),
      })
      .optional()
      .openapi({ description: "the version's persisted track record: every window whose labels arrived, checked when they did (not recomputed)" }),
  })
  .openapi("EstimatedPerformance");

/** `GET`/`PUT …/estimation-reference`: the reference and what it gives. */
export const estimationReferenceAnswerSchema = z
  .looseObject({
    model: z.string(),
    version: z.string(),
    available: z.boolean(),
    reason: z.string().optional(),
    method,
    reference: z.looseObject({ source: z.string(), batches: z.array(z.string()), count: z.number(), calibrationError: z.number().nullable() }),
    stored: z.record(z.string(), z.unknown()).nullable().optional(),
  })
  .openapi("EstimationReference");
