/**
 * The registry's front door: what other services may ask the registry. Services import this module (or
 * contract.ts) and nothing else of the registry, so its table layout can change without them.
 */
import { ErrorCode, NotFoundError } from "../shared/errors.js";
import { getModel, modelExists } from "./store/models.js";
import { getVersion } from "./store/versions.js";

/** What a registered model says about how its quality is judged. */
export interface RegisteredModel {
  readonly model: string;
  readonly primaryMetric: string;
  readonly direction: string;
}

/** What a registered version says about itself. */
export interface RegisteredVersion {
  readonly version: string;
  readonly stage: string;
  /** When this version was registered (ISO 8601); data recorded before it is not the version's. */
  readonly registeredAt: string;
  readonly metrics: Record<string, number>;
}

/**
 * The registered model, and the registered version when one is named.
 * @throws NotFoundError code `MODEL_NOT_REGISTERED` when the model does not exist, `VERSION_NOT_REGISTERED`
 *   when the version does not (never registered, or deleted)
 * @example
 * const { model, version } = await requireRegistered("churn", "1.2.0");
 */
export async function requireRegistered(model: string, version?: string): Promise<{ model: RegisteredModel; version?: RegisteredVersion }> {
  const [m, v] = await Promise.all([getModel(model), version === undefined ? undefined : getVersion(model, version)]);
  if (!m) {
    throw new NotFoundError(`model ${model} is not registered: register a version first (POST /models/${model}/versions), then record its performance`, {
      code: ErrorCode.modelNotRegistered,
      details: { model },
    });
  }
  const registeredModel: RegisteredModel = { model: m.model, primaryMetric: m.primaryMetric, direction: m.direction };
  if (version === undefined) return { model: registeredModel };
  if (!v) {
    throw new NotFoundError(`version ${version} of model ${model} is not registered: register it first (POST /models/${model}/versions), then record its performance`, {
      code: ErrorCode.versionNotRegistered,
      details: { model, version },
    });
  }
  return { model: registeredModel, version: { version: v.version, stage: v.stage, registeredAt: v.createdAt, metrics: v.metrics ?? {} } };
}

/** Whether the model is registered (one key-only read). */
export async function isModelRegistered(model: string): Promise<boolean> {
  return modelExists(model);
}

/** The registered version, or undefined when it is not (or its model is not) registered. */
export async function findRegisteredVersion(model: string, version: string): Promise<RegisteredVersion | undefined> {
  const v = await getVersion(model, version);
  return v ? { version: v.version, stage: v.stage, registeredAt: v.createdAt, metrics: v.metrics ?? {} } : undefined;
}

/**
 * The registered model, checking that every named version is registered too.
 * @throws NotFoundError `MODEL_NOT_REGISTERED`, or `VERSION_NOT_REGISTERED` naming every missing version
 */
export async function requireRegisteredVersions(model: string, versions: readonly string[]): Promise<RegisteredModel> {
  const { model: registered } = await requireRegistered(model);
  const found = await Promise.all(versions.map((v) => getVersion(model, v)));
  const missing = versions.filter((_, i) => found[i] === undefined);
  if (missing.length > 0) {
    throw new NotFoundError(`model ${model} has no registered version ${missing.join(", ")}`, { code: ErrorCode.versionNotRegistered, details: { model, versions: missing } });
  }
  return registered;
}

/** Recording a deployment the platform reported (SageMaker endpoint events), once per event. */
export { recordDeploymentOnce, type DeploymentRecord } from "./deployments.js";
