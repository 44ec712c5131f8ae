/**
 * Request and answer types of the API, inferred from the services' zod schemas — the same schemas that
 * validate requests and generate docs/openapi.json. Type-only imports: the client ships no server code.
 */
import type { z } from "@hono/zod-openapi";
import type {
  modelDetailSchema,
  modelPageSchema,
  productionSchema,
  promoteBody,
  promotionSchema,
  registerBody,
  registeredSchema,
  rollbackBody,
  rollbackResultSchema,
  versionPageSchema,
  versionSchema,
} from "../lambdas/registry/schemas.js";
import type { baselineListSchema, baselineSchema, driftCheckListSchema, driftCheckSchema, driftReportSchema } from "../lambdas/drift/schemas.js";
import type { baselineBody, checkBody } from "../lambdas/drift/app.js";
import type { batchBody, performanceReportSchema } from "../lambdas/performance/schemas.js";
import type { listRequestsRoute, retrainingBody, retrainingPolicyBody, retrainingPolicySchema, retrainingRequestSchema } from "../lambdas/retraining/contract.js";

/** `POST /models/{model}/versions` body. */
export type RegisterVersionInput = z.input<typeof registerBody>;
/** `POST …/promote` body. */
export type PromoteInput = z.input<typeof promoteBody>;
/** `POST /models/{model}/rollback` body. */
export type RollbackInput = z.input<typeof rollbackBody>;
/** `POST /models/{model}/baselines` body. */
export type CreateBaselineInput = z.input<typeof baselineBody>;
/** `POST /models/{model}/drift-checks` body. */
export type DriftCheckInput = z.input<typeof checkBody>;
/** `POST …/batches` body. */
export type RecordBatchInput = z.input<typeof batchBody>;

export type Model = z.output<typeof modelDetailSchema>;
export type ModelPage = z.output<typeof modelPageSchema>;
export type ModelVersion = z.output<typeof versionSchema>;
export type ModelVersionPage = z.output<typeof versionPageSchema>;
export type RegisteredVersion = z.output<typeof registeredSchema>;
export type Promotion = z.output<typeof promotionSchema>;
export type RollbackResult = z.output<typeof rollbackResultSchema>;
export type ProductionVersion = z.output<typeof productionSchema>;
export type Baseline = z.output<typeof baselineSchema>;
export type BaselineList = z.output<typeof baselineListSchema>;
export type DriftCheck = z.output<typeof driftCheckSchema>;
export type DriftCheckList = z.output<typeof driftCheckListSchema>;
export type DriftReport = z.output<typeof driftReportSchema>;
export type PerformanceReport = z.output<typeof performanceReportSchema>;

// Retraining (lambdas/retraining/contract.ts).
/** `POST /models/{model}/retraining` body. */
export type RequestRetrainingInput = z.input<typeof retrainingBody>;
/** `PUT /models/{model}/retraining-policy` body. */
export type RetrainingPolicyInput = z.input<typeof retrainingPolicyBody>;
export type RetrainingPolicy = z.output<typeof retrainingPolicySchema>;
export type RetrainingRequest = z.output<typeof retrainingRequestSchema>;
export type RetrainingRequestPage = z.output<(typeof listRequestsRoute)["responses"][200]["content"]["application/json"]["schema"]>;
