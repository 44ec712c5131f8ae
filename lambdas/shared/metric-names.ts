/**
 * Metric names, dimensions and the namespace: the one definition used by the publishers (services,
 * through metrics.ts), the alarms (lib/alarms.ts) and the dashboard (lib/dashboard-body.ts) — and the AWS
 * services' own metrics the alarms and the dashboard read.
 * No SDK here: CDK imports it without loading any client.
 */

/** The default CloudWatch namespace (context `metricsNamespace` overrides it). */
export const defaultMetricsNamespace = "MLWatch";

/** Every metric mlwatch publishes. */
export const MetricName = {
  dataDriftScore: "DataDriftScore",
  driftDetected: "DriftDetected",
  featurePsi: "FeaturePSI",
  driftChecks: "DriftChecks",
  batchRmse: "BatchRMSE",
  batchMae: "BatchMAE",
  batchMape: "BatchMAPE",
  batchR2: "BatchR2Score",
  batchAccuracy: "BatchAccuracy",
  batchPrecision: "BatchPrecision",
  batchRecall: "BatchRecall",
  batchF1: "BatchF1",
  batchAuc: "BatchAUC",
  predictionCount: "PredictionCount",
  performanceDrift: "PerformanceDrift",
  /** The estimated primary metric of a day's predictions without labels yet (performance estimation). */
  estimatedPerformance: "EstimatedPerformance",
  monitorRuns: "MonitorRuns",
  /** Unresolved (open or acknowledged) alerts of a model, published on every change. */
  openAlerts: "OpenAlerts",
  /** mlwatch events whose PutEvents failed (recorded on the check, batch or version, never dropped silently). */
  eventPublishFailures: "EventPublishFailures",
  /** Retraining requests by trigger (requested, not suppressed). */
  retrainingRequests: "RetrainingRequests",
  /** Failed or stopped SageMaker training jobs, by model (tag `mlwatch-model`), from EventBridge. */
  trainingJobFailures: "TrainingJobFailures",
  /** SageMaker events mlwatch did not act on (no or invalid tags, unknown version), by detail-type and reason. */
  sageMakerEventsIgnored: "SageMakerEventsIgnored",
  /** Model Monitor constraint violations of a drift check, by model and constraint_check_type (0 when none). */
  constraintViolations: "ConstraintViolations",
  /** A drift check's estimated cost in US dollars (its report's cost.estimatedUsd), by model; summed per month on the dashboard. */
  driftCheckCost: "DriftCheckCostUSD",
  /** Finishing steps of a check or batch that did not complete (lambdas/shared/finishing.ts), by model, operation and step. */
  incompleteSteps: "IncompleteSteps",
} as const;
export type MetricName = (typeof MetricName)[keyof typeof MetricName];

/** Dimension names. */
export const Dimension = {
  model: "ModelName",
  version: "ModelVersion",
  feature: "FeatureName",
  detailType: "DetailType",
  trigger: "Trigger",
  reason: "Reason",
  constraintCheckType: "ConstraintCheckType",
  /** What was being finished: `drift-check` or `batch` (IncompleteSteps). */
  operation: "Operation",
  /** The finishing step that did not complete: metrics, alert, event, retraining, outcome, audit (IncompleteSteps). */
  step: "Step",
} as const;

/**
 * AWS services' own metrics that mlwatch's alarms and dashboard read (AWS publishes them, mlwatch does not):
 * each service's namespace, metric names and dimension names.
 */
export const AwsMetric = {
  sageMaker: {
    namespace: "AWS/SageMaker",
    modelLatency: "ModelLatency",
    invocations: "Invocations",
    invocation4xxErrors: "Invocation4XXErrors",
    invocation5xxErrors: "Invocation5XXErrors",
    dimensions: { endpoint: "EndpointName", variant: "VariantName" },
  },
  apiGateway: {
    namespace: "AWS/ApiGateway",
    latency: "Latency",
    count: "Count",
    clientErrors: "4XXError",
    serverErrors: "5XXError",
    dimensions: { api: "ApiName", stage: "Stage" },
  },
  lambda: {
    namespace: "AWS/Lambda",
    errors: "Errors",
    throttles: "Throttles",
    duration: "Duration",
    dimensions: { function: "FunctionName" },
  },
} as const;
