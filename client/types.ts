/**
 * Request and answer types of the API, inferred from the services' zod schemas — the same schemas that
 * validate requests and generate docs/openapi.json. Type-only imports: the client ships no server code.
 */
import type { z } from "@hono/zod-openapi";
import type {
  aliasedVersionSchema,
  aliasSchema,
  approvalPageSchema,
  approvalSchema,
  decisionBody,
  pendingPromotionSchema,
  promotionPolicyBody,
  promotionPolicySchema,
  rejectionSchema,
  versionPatchBody,
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
import type { baselineBody, checkBody } from "../lambdas/drift/contract.js";
import type { batchBody, performanceReportSchema } from "../lambdas/performance/schemas.js";

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

/** `POST …/approve` and `…/reject` body. */
export type ApprovalDecisionInput = z.input<typeof decisionBody>;
/** `PUT /models/{model}/promotion-policy` body. */
export type PromotionPolicyInput = z.input<typeof promotionPolicyBody>;
/** `PATCH /models/{model}/versions/{version}` body. */
export type UpdateVersionInput = z.input<typeof versionPatchBody>;

export type PendingPromotion = z.output<typeof pendingPromotionSchema>;
export type Approval = z.output<typeof approvalSchema>;
export type ApprovalPage = z.output<typeof approvalPageSchema>;
export type Rejection = z.output<typeof rejectionSchema>;
export type PromotionPolicy = z.output<typeof promotionPolicySchema>;
export type Alias = z.output<typeof aliasSchema>;
export type AliasedVersion = z.output<typeof aliasedVersionSchema>;
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
