/**
 * The active baseline of a model (`keys.driftActiveBaseline`): the one a check compares with when it names
 * none. Activation is conditional on the baseline being ready, in one transaction. `loadBaseline` resolves
 * the given or the active baseline to its record and profile.
 */
import { ConflictError, NotFoundError } from "../../shared/errors.js";
import { keys } from "../../shared/table.js";
import { sendConditional } from "../../shared/conditional-write.js";
import { loadDynamo } from "../../shared/sdk/dynamodb.js";
import { transactWrite } from "../../shared/transact.js";
import { parseProfile, type BaselineProfile } from "../profile.js";
import { getBaseline, type BaselineRecord } from "./baselines.js";
import { table } from "./items.js";
import { getText, profileKey } from "./objects.js";

/** The active baseline's id, if the model has one. */
export async function getActiveBaselineId(model: string): Promise<string | undefined> {
  const { GetCommand, documentClient } = await loadDynamo();
  const out = await documentClient().send(new GetCommand({ TableName: table(), Key: keys.driftActiveBaseline(model), ConsistentRead: true }));
  return out.Item?.baselineId as string | undefined;
}

/**
 * Makes a ready baseline the active one, atomically with a check that it exists and is ready.
 * @returns the previously active id
 * @throws {NotFoundError} when the baseline does not exist; {ConflictError} when it is not ready.
 */
export async function activateBaseline(model: string, baselineId: string, actor: string, now = new Date()): Promise<string | undefined> {
  const { TransactionCanceledException } = await loadDynamo();
  const previous = await getActiveBaselineId(model);
  try {
    await transactWrite([
          {
            ConditionCheck: {
              TableName: table(),
              Key: keys.driftBaseline(model, baselineId),
              ConditionExpression: "attribute_exists(pk) AND #s = :ready",
              ExpressionAttributeNames: { "#s": "status" },
              ExpressionAttributeValues: { ":ready": "ready" },
            },
          },
          {
            Put: {
              TableName: table(),
              Item: { ...keys.driftActiveBaseline(model), model, baselineId, activatedAt: now.toISOString(), activatedBy: actor },
            },
          },
    ]);
  } catch (err) {
    if (err instanceof TransactionCanceledException) {
      const existing = await getBaseline(model, baselineId);
      if (!existing) throw new NotFoundError(`model "${model}" has no baseline "${baselineId}"`, { cause: err });
      if (existing.status !== "ready") {
        throw new ConflictError(`baseline "${baselineId}" is ${existing.status}; only a ready baseline can be activated`, { cause: err });
      }
    }
    throw err;
  }
  return previous;
}

/** Makes a baseline active only when the model has none yet (the first ready baseline). */
export async function activateIfNone(model: string, baselineId: string, actor: string, now = new Date()): Promise<boolean> {
  const { PutCommand } = await loadDynamo();
  const written = await sendConditional(
    new PutCommand({
      TableName: table(),
      Item: { ...keys.driftActiveBaseline(model), model, baselineId, activatedAt: now.toISOString(), activatedBy: actor },
      ConditionExpression: "attribute_not_exists(pk)",
    }),
  );
  return written !== undefined;
}

/**
 * The profile of a baseline — the given one or the active one.
 * @throws {NotFoundError} when there is no such baseline or no active one; {ConflictError} when not ready.
 */
export async function loadBaseline(model: string, baselineId?: string): Promise<{ record: BaselineRecord; profile: BaselineProfile }> {
  const id = baselineId ?? (await getActiveBaselineId(model));
  if (id === undefined) {
    throw new NotFoundError(`model "${model}" has no active baseline; create one with POST /models/${model}/baselines or name one with baselineId`);
  }
  const record = await getBaseline(model, id);
  if (!record) throw new NotFoundError(`model "${model}" has no baseline "${id}"`);
  if (record.status !== "ready") throw new ConflictError(`baseline "${id}" is ${record.status}${record.error ? `: ${record.error}` : ""}`);
  const profile = parseProfile(await getText(profileKey(model, id)));
  return { record, profile };
}
