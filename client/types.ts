/**
 * Request and answer types under the client's names: aliases of the types generated from the services'
 * contracts (api-types.ts, written by `npm run openapi` from docs/openapi.json). Nothing here imports a
 * service module: the client, built or not, carries no server code and needs no zod.
 */
import type { Answer, Body, Query } from "./api-types.js";

/** `POST /models/{model}/versions` body. */
export type RegisterVersionInput = Body<"registerVersion">;
/** `POST …/promote` body. */
export type PromoteInput = Body<"promote">;
/** `POST /models/{model}/rollback` body. */
export type RollbackInput = Body<"rollback">;
/** `POST …/deployments` body. */
export type RecordDeploymentInput = Body<"recordDeployment">;
/** `POST /datasets/{name}/versions` body. */
export type RegisterDatasetInput = Body<"registerDatasetVersion">;
/** `POST /events` body. */
export type PipelineEventInput = Body<"recordEvent">;
/** `POST /models/{model}/baselines` body. */
export type CreateBaselineInput = Body<"createBaseline">;
/** `POST /models/{model}/drift-checks` body. */
export type DriftCheckInput = Body<"checkDrift">;
/** `PUT /models/{model}/monitoring` body. */
export type MonitoringInput = Body<"setMonitoring">;
/** `POST …/batches` body. */
export type RecordBatchInput = Body<"recordBatch">;
/** `POST …/predictions` body. */
export type LogPredictionsInput = Body<"logPredictions">;
/** `POST /models/{model}/ground-truth` body. */
export type GroundTruthInput = Body<"recordGroundTruth">;
/** `PUT /models/{model}/performance/thresholds` body. */
export type PerformanceThresholdsInput = Body<"setPerformanceThresholds">;

/** `GET /health`. */
export type Health = Answer<"health">;
/** One page of `GET /audit`. */
export type AuditPage = Answer<"listAudit">;
/** `GET /models` query. */
export type PageQuery = Query<"listModels">;
/** `GET /audit` query. */
export type AuditQuery = Query<"listAudit">;

/** `GET /alerts` query. */
export type ListAlertsOptions = Query<"listAlerts">;
/** `POST /alerts/{alertId}/acknowledge` and `…/resolve` body. */
export type AlertActionInput = Body<"acknowledgeAlert">;
/** `POST /alerts/test` body. */
export type AlertTestInput = Body<"testAlert">;

// RetrainingPolicy, RetrainingPolicyInput and RetrainingRequest come from api-types.ts (schema names).
/** `POST /models/{model}/retraining` body. */
export type RequestRetrainingInput = Body<"requestRetraining">;
/** One page of `GET /models/{model}/retraining-requests`. */
export type RetrainingRequestPage = Answer<"listRetrainingRequests">;
/** `GET /models/{model}/retraining-requests` query. */
export type RetrainingRequestsQuery = Query<"listRetrainingRequests">;

/** `POST …/approve` and `…/reject` body. */
export type ApprovalDecisionInput = Body<"approve">;
/** `PATCH /models/{model}/versions/{version}` body. */
export type UpdateVersionInput = Body<"updateVersion">;
