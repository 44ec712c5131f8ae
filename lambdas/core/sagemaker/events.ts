/**
 * What an incoming SageMaker event means to mlwatch: the pure reading of the two EventBridge events the
 * SageMaker rules deliver (lambdas/shared/event-rules.ts), as documented by AWS ("Automating Amazon
 * SageMaker with Amazon EventBridge": `SageMaker Training Job State Change`, `SageMaker Endpoint State
 * Change`; both carry the resource's tags in `detail.Tags` as a `{key: value}` object).
 *
 * The tag mapping:
 * - `mlwatch-model` names the model (a training job's or an endpoint's); required for both events;
 * - `mlwatch-version` names the version an endpoint serves; required for endpoint events;
 * - `mlwatch-environment` (optional) names the deployment's environment, default {@link defaultEnvironment};
 * - `mlwatch-variant` (optional) names the production variant when the event lists none by name,
 *   default `AllTraffic` (SageMaker's default variant name).
 * An event without the tags it needs, or with a value that is not a model name / version, is `ignored`
 * with a reason (the handler counts it); so is a training job that neither failed nor stopped, and an
 * endpoint state other than in service.
 *
 * No I/O, no SDK: the handler (lambdas/sagemaker/) persists what this returns.
 */

/** The tags mlwatch reads. */
export const MlwatchTag = {
  model: "mlwatch-model",
  version: "mlwatch-version",
  environment: "mlwatch-environment",
  variant: "mlwatch-variant",
} as const;

/** The event source and detail-types the rules match. */
export const SageMakerEvent = {
  source: "aws.sagemaker",
  trainingJob: "SageMaker Training Job State Change",
  endpoint: "SageMaker Endpoint State Change",
} as const;

/** Training job statuses that raise an alert. */
export const failedTrainingStatuses = ["Failed", "Stopped"] as const;
/** Endpoint statuses that mean "in service after a create or update" (the documented sample spells it `IN_SERVICE`, the API `InService`). */
export const inServiceStatuses = ["IN_SERVICE", "InService"] as const;

/** The environment of a deployment recorded from an event whose endpoint has no `mlwatch-environment` tag. */
export const defaultEnvironment = "sagemaker";
/** SageMaker's default production variant name. */
export const defaultVariant = "AllTraffic";

/** Why an event was ignored (a metric dimension value: fixed strings only). */
export const IgnoreReason = {
  notSageMaker: "not-sagemaker",
  otherStatus: "other-status",
  noModelTag: "no-model-tag",
  noVersionTag: "no-version-tag",
  invalidTag: "invalid-tag",
  unknownVersion: "unknown-version",
} as const;
export type IgnoreReason = (typeof IgnoreReason)[keyof typeof IgnoreReason];

/** The parts of an EventBridge event read here. */
export interface IncomingEvent {
  readonly id?: unknown;
  readonly source?: unknown;
  readonly "detail-type"?: unknown;
  readonly time?: unknown;
  readonly region?: unknown;
  readonly detail?: unknown;
}

/** A failed or stopped training job of a tagged model. */
export interface TrainingFailure {
  readonly kind: "training_failed";
  readonly model: string;
  readonly jobName: string;
  readonly jobArn?: string;
  readonly status: (typeof failedTrainingStatuses)[number];
  /** SageMaker's FailureReason (raw: the caller escapes it before it reaches any text a person reads). */
  readonly failureReason?: string;
  readonly at: string;
}

/** An endpoint that went into service, serving a tagged model version. */
export interface EndpointDeployment {
  readonly kind: "deployment";
  readonly model: string;
  readonly version: string;
  readonly endpointName: string;
  readonly endpointConfigName?: string;
  readonly variant: string;
  readonly environment: string;
  readonly region?: string;
  /** When the endpoint went into service (LastModifiedTime, else the event time). */
  readonly at: string;
  /** The EventBridge event id: deduplicates redeliveries. */
  readonly eventId?: string;
}

/** An event mlwatch does not act on, and why. */
export interface IgnoredEvent {
  readonly kind: "ignored";
  readonly reason: IgnoreReason;
  readonly detailType: string;
}

export type SageMakerEventMeaning = TrainingFailure | EndpointDeployment | IgnoredEvent;

const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const versionPattern = /^[A-Za-z0-9][A-Za-z0-9.+_-]{0,63}$/;

const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The tags of an event's detail as a Map: the documented `{key: value}` object, or the API's
 * `[{Key, Value}]` list. Tag keys are user strings: never plain-object lookups.
 */
export function tagsOf(detail: unknown): Map<string, string> {
  const tags = new Map<string, string>();
  const raw = isObject(detail) ? (Object.hasOwn(detail, "Tags") ? detail.Tags : undefined) : undefined;
  if (Array.isArray(raw)) {
    for (const t of raw) if (isObject(t) && typeof t.Key === "string" && typeof t.Value === "string") tags.set(t.Key, t.Value);
  } else if (isObject(raw)) {
    for (const [k, v] of Object.entries(raw)) if (typeof v === "string") tags.set(k, v);
  }
  return tags;
}

/** An epoch-milliseconds number or string, or an ISO time, as ISO; undefined when unreadable. */
export function eventTime(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return new Date(value).toISOString();
  if (typeof value !== "string" || value === "") return undefined;
  const ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/**
 * Reads one SageMaker event.
 * @param now the fallback time when the event carries none
 */
export function interpretSageMakerEvent(event: IncomingEvent, now: Date = new Date()): SageMakerEventMeaning {
  const detailType = typeof event["detail-type"] === "string" ? event["detail-type"] : "unknown";
  const ignored = (reason: IgnoreReason): IgnoredEvent => ({ kind: "ignored", reason, detailType: detailType === SageMakerEvent.trainingJob || detailType === SageMakerEvent.endpoint ? detailType : "unknown" });
  if (event.source !== SageMakerEvent.source || !isObject(event.detail)) return ignored(IgnoreReason.notSageMaker);
  const detail = event.detail;
  const tags = tagsOf(detail);
  const model = tags.get(MlwatchTag.model);
  const when = eventTime(detail.LastModifiedTime) ?? eventTime(event.time) ?? now.toISOString();

  if (detailType === SageMakerEvent.trainingJob) {
    const status = detail.TrainingJobStatus;
    if (!failedTrainingStatuses.includes(status as never)) return ignored(IgnoreReason.otherStatus);
    const jobName = str(detail.TrainingJobName);
    if (model === undefined) return ignored(IgnoreReason.noModelTag);
    if (!namePattern.test(model) || !jobName) return ignored(IgnoreReason.invalidTag);
    return {
      kind: "training_failed",
      model,
      jobName,
      jobArn: str(detail.TrainingJobArn),
      status: status as TrainingFailure["status"],
      failureReason: str(detail.FailureReason),
      at: eventTime(detail.TrainingEndTime) ?? when,
    };
  }

  if (detailType === SageMakerEvent.endpoint) {
    if (!inServiceStatuses.includes(detail.EndpointStatus as never)) return ignored(IgnoreReason.otherStatus);
    const endpointName = str(detail.EndpointName);
    if (model === undefined) return ignored(IgnoreReason.noModelTag);
    const version = tags.get(MlwatchTag.version);
    if (version === undefined) return ignored(IgnoreReason.noVersionTag);
    const environment = tags.get(MlwatchTag.environment) ?? defaultEnvironment;
    const variants = Array.isArray(detail.ProductionVariants) ? detail.ProductionVariants : [];
    const named = variants.map((v) => (isObject(v) ? str(v.VariantName) : undefined)).filter((v): v is string => v !== undefined);
    const variant = named[0] ?? tags.get(MlwatchTag.variant) ?? defaultVariant;
    if (!namePattern.test(model) || !versionPattern.test(version) || !namePattern.test(environment) || !endpointName || !namePattern.test(endpointName) || !namePattern.test(variant)) {
      return ignored(IgnoreReason.invalidTag);
    }
    return {
      kind: "deployment",
      model,
      version,
      endpointName,
      endpointConfigName: str(detail.EndpointConfigName),
      variant,
      environment,
      region: str(event.region),
      at: when,
      eventId: str(event.id),
    };
  }
  return ignored(IgnoreReason.notSageMaker);
}
