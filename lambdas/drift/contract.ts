/**
 * The drift service's contract: baselines, on-demand checks (inline → synchronous, S3 → asynchronous),
 * check history, and scheduled monitoring settings. Request and response schemas (contract/schemas.ts,
 * re-exported here) and every route's definition; the handlers are bound in routes/*.ts.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { defineContract } from "../shared/contract.js";
import { errorSchema } from "../shared/schemas.js";
import {
  baselineBody,
  baselineListSchema,
  baselineParams,
  baselineSchema,
  checkBody,
  checkParams,
  driftCheckListSchema,
  driftCheckSchema,
  modelParams,
  monitoringBody,
  pageQuery,
} from "./contract/schemas.js";

export * from "./contract/schemas.js";

const anyObject = z.record(z.string(), z.unknown());
const json = (schema: z.ZodType, description: string) => ({ description, content: { "application/json": { schema } } });
const errors = {
  400: json(errorSchema, "invalid request"),
  404: json(errorSchema, "not found"),
  409: json(errorSchema, "conflict with the current state"),
  422: json(errorSchema, "data cannot be processed"),
};

/** The drift service's routes, by operation. */
export const driftContract = defineContract("drift", {
  // --------------------------------------------------------------------------------- baselines
  createBaseline: createRoute({
    method: "post",
    path: "/models/{model}/baselines",
    summary: "Create a baseline profile from inline records (ready at once) or S3 data (built asynchronously)",
    request: { params: modelParams, body: { required: true, content: { "application/json": { schema: baselineBody } } } },
    responses: { 201: json(baselineSchema, "baseline ready"), 202: json(baselineSchema, "baseline building"), ...errors, 413: json(errorSchema, "too large") },
  }),
  listBaselines: createRoute({
    method: "get",
    path: "/models/{model}/baselines",
    summary: "List a model's baselines, newest first, with the active one marked",
    request: { params: modelParams, query: pageQuery },
    responses: { 200: json(baselineListSchema, "the baselines"), ...errors },
  }),
  getBaseline: createRoute({
    method: "get",
    path: "/models/{model}/baselines/{baselineId}",
    summary: "One baseline: status, features, and its profile when ready",
    request: { params: baselineParams, query: z.object({ profile: z.enum(["true", "false"]).optional() }) },
    responses: { 200: json(baselineSchema, "the baseline (with `profile` when asked)"), ...errors },
  }),
  activateBaseline: createRoute({
    method: "post",
    path: "/models/{model}/baselines/{baselineId}/activate",
    summary: "Make a ready baseline the model's active one",
    request: { params: baselineParams },
    responses: {
      200: json(
        z.object({ model: z.string(), baselineId: z.string(), active: z.literal(true), previousBaselineId: z.string().nullable().describe("the baseline active before, if any") }).openapi("BaselineActivation"),
        "activated",
      ),
      ...errors,
    },
  }),
  getBaselineStatistics: createRoute({
    method: "get",
    path: "/models/{model}/baselines/{baselineId}/statistics.json",
    summary: "A ready baseline as Model Monitor's statistics.json (KLL sketch, 10 buckets, categorical counts)",
    request: { params: baselineParams },
    responses: { 200: json(anyObject, "statistics.json"), ...errors },
  }),
  getBaselineConstraints: createRoute({
    method: "get",
    path: "/models/{model}/baselines/{baselineId}/constraints.json",
    summary: "A ready baseline's constraints as Model Monitor's constraints.json: the imported ones, else suggested from the profile",
    request: { params: baselineParams },
    responses: { 200: json(anyObject, "constraints.json"), ...errors },
  }),
  // ------------------------------------------------------------------------------------ checks
  checkDrift: createRoute({
    method: "post",
    path: "/models/{model}/drift-checks",
    summary: "Check data for drift: inline records answer with the report; S3 data answers 202 and runs asynchronously",
    request: { params: modelParams, body: { required: true, content: { "application/json": { schema: checkBody } } } },
    responses: { 201: json(driftCheckSchema, "check completed (inline records), with the report"), 202: json(driftCheckSchema, "check accepted (S3 data)"), ...errors, 413: json(errorSchema, "too large") },
  }),
  listDriftChecks: createRoute({
    method: "get",
    path: "/models/{model}/drift-checks",
    summary: "A model's drift checks, newest first (summaries)",
    request: { params: modelParams, query: pageQuery },
    responses: { 200: json(driftCheckListSchema, "the checks"), ...errors },
  }),
  getDriftCheck: createRoute({
    method: "get",
    path: "/models/{model}/drift-checks/{checkId}",
    summary: "One check: its status, summary and, once completed, the full report",
    request: { params: checkParams },
    responses: { 200: json(driftCheckSchema, "the check"), ...errors },
  }),
  getDriftReportHtml: createRoute({
    method: "get",
    path: "/models/{model}/drift-checks/{checkId}/report.html",
    summary: "A completed check's report as one self-contained HTML page: summary first, then per-feature histograms",
    request: { params: checkParams },
    responses: {
      200: { description: "the page (inline CSS and SVG, no script)", content: { "text/html": { schema: z.string() } } },
      ...errors,
    },
  }),
  getConstraintViolations: createRoute({
    method: "get",
    path: "/models/{model}/drift-checks/{checkId}/constraint_violations.json",
    summary: "A completed check's Model Monitor constraint violations (constraint_violations.json)",
    request: { params: checkParams },
    responses: {
      200: json(z.object({ violations: z.array(z.object({ feature_name: z.string(), constraint_check_type: z.string(), description: z.string() })) }).openapi("ConstraintViolations"), "constraint_violations.json"),
      ...errors,
    },
  }),
  // -------------------------------------------------------------------------------- monitoring
  setMonitoring: createRoute({
    method: "put",
    path: "/models/{model}/monitoring",
    summary: "Set scheduled drift monitoring of a model's SageMaker data capture",
    request: { params: modelParams, body: { required: true, content: { "application/json": { schema: monitoringBody } } } },
    responses: { 200: json(anyObject, "the settings"), ...errors },
  }),
  getMonitoring: createRoute({
    method: "get",
    path: "/models/{model}/monitoring",
    summary: "A model's drift monitoring settings and last run",
    request: { params: modelParams },
    responses: { 200: json(anyObject, "the settings"), ...errors },
  }),
});
