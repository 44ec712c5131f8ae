/**
 * Deployment records: where and when a version was deployed (deployments.ts records them), their item,
 * and the listing of a model's deployments.
 */
import { keys, TableKeys } from "../../shared/table.js";
import { queryPage, type Page } from "./page.js";
import { tableName } from "./table.js";
import type { TransactItem } from "./transact.js";

/** How a deployment was recorded. */
export type DeploymentSource = "api" | "eventbridge";

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
  /** How mlwatch learned of it: `api` (POST …/deployments) or `eventbridge` (a SageMaker endpoint event). */
  source: DeploymentSource;
  /** The endpoint's production variant (deployments from SageMaker events). */
  variant?: string;
  endpointConfigName?: string;
};

/**
 * Writes a deployment record. Its key is made of its time and id: with a stable id (an event's) the key is
 * deterministic, and the condition refuses a second copy.
 */
export function deploymentPut(record: DeploymentRecord): TransactItem {
  return { Put: { TableName: tableName(), Item: { ...keys.modelDeployment(record.model, record.deployedAt, record.id), type: "deployment", ...record }, ConditionExpression: "attribute_not_exists(pk)" } };
}

/** One page of a model's deployments, newest first (the listing's tokens are bound to `scope`). */
export async function deploymentsPage(model: string, limit: number, nextToken: string | undefined, scope: { version?: string; environment?: string }): Promise<Page<DeploymentRecord>> {
  const page = await queryPage({
    listing: "deployments",
    scope: { version: scope.version, environment: scope.environment },
    partitionAttr: TableKeys.partitionKey,
    partition: keys.modelPk(model),
    skPrefix: keys.deploySkPrefix,
    newestFirst: true,
    limit,
    nextToken,
  });
  // Records from before deployments carried a source were all recorded through the API.
  return { items: page.items.map(({ pk: _pk, sk: _sk, type: _t, ...rest }) => ({ source: "api", ...rest }) as DeploymentRecord), nextToken: page.nextToken };
}
