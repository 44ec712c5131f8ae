/**
 * Deployment records: where and when each version was deployed. A deployment is written in one
 * transaction with the version's `lastDeployment` (which also proves the version exists) and the
 * model's history entry.
 */
import { randomUUID } from "node:crypto";
import { padSemver } from "../core/lifecycle/semver.js";
import { keys } from "../shared/table.js";
import { recordAudit } from "../shared/audit.js";
import type { Actor } from "./registration.js";
import { historyEntry, queryPage, requireVersion, tableName, transact, type Page } from "./store.js";
import { NotFoundError } from "../shared/errors.js";
import { TableKeys } from "../shared/table.js";

/** A deployment as the API returns it. */
export type DeploymentRecord = {
  id: string;
  model: string;
  version: string;
  endpointName: string;
  environment: string;
  region: string;
  deployedAt: string;
  deployedBy: string;
  stageAtDeployment: string;
};

/** Records that `version` of `model` was deployed to an endpoint. */
export async function recordDeployment(
  model: string,
  version: string,
  input: { endpointName: string; environment: string; region?: string },
  actor: Actor,
): Promise<DeploymentRecord> {
  const current = await requireVersion(model, version);
  const now = new Date().toISOString();
  const id = randomUUID();
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
  };
  const codes = await transact([
    {
      Update: {
        TableName: tableName(),
        Key: keys.modelVersion(model, padSemver(version)),
        UpdateExpression: "SET lastDeployment = :d",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: { ":d": { endpointName: record.endpointName, environment: record.environment, region, deployedAt: now } },
      },
    },
    { Put: { TableName: tableName(), Item: { ...keys.modelDeployment(model, now, id), type: "deployment", ...record } } },
    {
      Put: {
        TableName: tableName(),
        Item: historyEntry(
          { event: "deploy", model, version, from: null, to: `${input.environment}/${input.endpointName}`, actor: actor.caller, reason: null, requestId: actor.requestId, details: { endpointName: input.endpointName, environment: input.environment, region, deploymentId: id } },
          now,
        ).item,
      },
    },
  ]);
  if (codes) throw new NotFoundError(`version ${version} of model ${model} does not exist (deleted concurrently)`);
  await recordAudit({ type: "model.deployed", actor: actor.caller, model, version, target: `models/${model}/versions/${version}`, after: record, requestId: actor.requestId });
  return record;
}

/** A model's deployments, newest first, optionally of one version or environment. */
export async function listDeployments(model: string, limit: number, nextToken?: string, filter: { version?: string; environment?: string } = {}): Promise<Page<DeploymentRecord>> {
  const page = await queryPage({ partitionAttr: TableKeys.partitionKey, partition: keys.modelPk(model), skPrefix: keys.deploySkPrefix, newestFirst: true, limit, nextToken });
  const items = page.items
    .map(({ pk: _pk, sk: _sk, type: _t, ...rest }) => rest as DeploymentRecord)
    .filter((d) => (filter.version === undefined || d.version === filter.version) && (filter.environment === undefined || d.environment === filter.environment));
  return { items, nextToken: page.nextToken };
}
