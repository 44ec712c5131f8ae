/**
 * Deployment records: where and when each version was deployed. A deployment is written in one
 * transaction with the version's `lastDeployment` (which also proves the version exists) and the
 * model's history entry.
 */
import { randomUUID } from "node:crypto";
import { recordAudit } from "../shared/audit.js";
import type { Actor } from "../shared/actor.js";
import { NotFoundError } from "../shared/errors.js";
import { deploymentPut, deploymentsPage, type DeploymentRecord, type DeploymentSource } from "./store/deployments.js";
import { historyPut } from "./store/history.js";
import type { Page } from "./store/page.js";
import { failedAt, transact } from "./store/transact.js";
import { lastDeploymentUpdate, requireVersion } from "./store/versions.js";

export type { DeploymentRecord, DeploymentSource } from "./store/deployments.js";

/** What an event-sourced deployment adds: its own time and a stable id (the EventBridge event id), so a redelivered event records nothing twice. */
export interface DeploymentOrigin {
  readonly source: DeploymentSource;
  readonly variant?: string;
  readonly endpointConfigName?: string;
  /** When it happened (default now). */
  readonly at?: string;
  /** A stable id; with it, a second record of the same id is a no-op ({@link recordDeployment} answers `null`). */
  readonly id?: string;
}

/**
 * Records that `version` of `model` was deployed to an endpoint.
 * @returns the record, or `null` when `origin.id` was recorded before (a redelivered event)
 */
export async function recordDeployment(
  model: string,
  version: string,
  input: { endpointName: string; environment: string; region?: string },
  actor: Actor,
  origin: DeploymentOrigin = { source: "api" },
): Promise<DeploymentRecord> {
  const record = await writeDeployment(model, version, input, actor, origin);
  if (!record) throw new Error("unreachable: a deployment without a stable id is never a duplicate");
  return record;
}

/** {@link recordDeployment} for event-sourced records: `null` when the same `origin.id` was recorded before. */
export async function recordDeploymentOnce(
  model: string,
  version: string,
  input: { endpointName: string; environment: string; region?: string },
  actor: Actor,
  origin: DeploymentOrigin & { id: string; at: string },
): Promise<DeploymentRecord | null> {
  return writeDeployment(model, version, input, actor, origin);
}

async function writeDeployment(
  model: string,
  version: string,
  input: { endpointName: string; environment: string; region?: string },
  actor: Actor,
  origin: DeploymentOrigin,
): Promise<DeploymentRecord | null> {
  const current = await requireVersion(model, version);
  const now = origin.at ?? new Date().toISOString();
  const id = origin.id ?? randomUUID();
  const region = input.region ?? process.env.AWS_REGION ?? "us-east-1";
  const record: DeploymentRecord = {
    id,
    model,
    version,
    endpointName: input.endpointName,
    environment: input.environment,
    region,
    deployedAt: now,
    deployedBy: actor.caller,
    stageAtDeployment: current.stage,
    source: origin.source,
    ...(origin.variant ? { variant: origin.variant } : {}),
    ...(origin.endpointConfigName ? { endpointConfigName: origin.endpointConfigName } : {}),
  };
  const codes = await transact([
    lastDeploymentUpdate(model, version, { endpointName: record.endpointName, environment: record.environment, region, deployedAt: now }),
    // A stable id (an event's) makes the record's key deterministic: the condition refuses a second copy.
    deploymentPut(record),
    historyPut(
      { event: "deploy", model, version, from: null, to: `${input.environment}/${input.endpointName}`, actor: actor.caller, reason: null, requestId: actor.requestId, details: { endpointName: input.endpointName, environment: input.environment, region, deploymentId: id, source: origin.source, ...(origin.variant ? { variant: origin.variant } : {}) } },
      now,
    ),
  ]);
  if (codes) {
    if (origin.id !== undefined && failedAt(codes, 1)) return null;
    throw new NotFoundError(`version ${version} of model ${model} does not exist (deleted concurrently)`);
  }
  await recordAudit({ type: "model.deployed", actor: actor.caller, model, version, target: `models/${model}/versions/${version}`, after: record, requestId: actor.requestId });
  return record;
}

/** A model's deployments, newest first, optionally of one version or environment. */
export async function listDeployments(model: string, limit: number, nextToken?: string, filter: { version?: string; environment?: string } = {}): Promise<Page<DeploymentRecord>> {
  const page = await deploymentsPage(model, limit, nextToken, filter);
  const items = page.items.filter((d) => (filter.version === undefined || d.version === filter.version) && (filter.environment === undefined || d.environment === filter.environment));
  return { items, nextToken: page.nextToken };
}
