/**
 * Registering a model version. Everything that can fail on the outside (dataset lookup, artifact HEAD and
 * checksum) happens before the one write, so a failure leaves nothing behind. The write is one
 * transaction: the version item (only if absent), the model record (created on first registration,
 * `highestVersion` advanced only if unchanged since read), and the history entry.
 *
 * Without an explicit version the next minor after the model's highest is taken; when a concurrent
 * registration takes it first, the conditions fail and the allocation is retried with jittered backoff,
 * so parallel registrations get distinct versions and none is lost. Version numbers are never reused,
 * even after a delete, because `highestVersion` only grows.
 */
import { compareSemver, nextMinor } from "../core/lifecycle/semver.js";
import { Stage } from "../core/lifecycle/stages.js";
import { ConflictError, UnprocessableError, ValidationError } from "../shared/errors.js";
import { keys, TableKeys } from "../shared/table.js";
import { recordAudit } from "../shared/audit.js";
import { inspectObject, ownedPrefix, parseS3Uri, presignUpload, s3Uri } from "./artifacts.js";
import { datasetExists } from "./dataset-store.js";
import type { RegisterBody } from "./schemas.js";
import { applyRetention, type RetentionOutcome } from "./retention.js";
import { serviceLogger } from "../shared/logger.js";
import { dataBucket, failedAt, getModel, historyEntry, tableName, transact, type Artifact, type VersionRecord, versionItem } from "./store.js";

/** Who asks, for the record. */
export interface Actor {
  readonly caller: string;
  readonly requestId: string;
}

/** The answer of a registration: the record, plus the upload URL when one was requested, and what retention archived. */
export type Registered = VersionRecord & { upload?: { url: string; method: "PUT"; expiresAt: string }; retention?: RetentionOutcome };

/** Retention after a registration: its failure is logged, never the registration's. */
async function retainAfterRegistration(model: string, actor: Actor): Promise<RetentionOutcome | undefined> {
  try {
    return await applyRetention(model, actor);
  } catch (err) {
    serviceLogger("registry").error("retention after registration failed", { model, requestId: actor.requestId, error: err as Error });
    return undefined;
  }
}

/** Attempts before a contended automatic version allocation gives up with a 409. */
export const maxAllocationAttempts = 30;

/** Largest version record accepted (DynamoDB's item limit is 400 KB). */
const maxRecordBytes = 300_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Registers a version of `model`. */
export async function registerVersion(model: string, body: RegisterBody, actor: Actor): Promise<Registered> {
  if (body.datasetVersion && !(await datasetExists(body.datasetVersion))) {
    throw new UnprocessableError(`datasetVersion ${body.datasetVersion} does not exist; register it with POST /datasets/{name}/versions first`);
  }
  // Outside reads first: nothing is written until the artifact is known to exist and is checksummed.
  let externalArtifact: Artifact | undefined;
  if (body.artifactUri) {
    const facts = await inspectObject(parseS3Uri(body.artifactUri));
    externalArtifact = { uri: body.artifactUri, owned: false, status: "available", ...facts, verifiedAt: new Date().toISOString() };
  }

  for (let attempt = 1; ; attempt++) {
    const existing = await getModel(model);
    if (!existing && (body.primaryMetric === undefined || body.direction === undefined)) {
      throw new ValidationError(`body.primaryMetric and body.direction are required on the first registration of model ${model}`);
    }
    if (existing && body.primaryMetric !== undefined && body.primaryMetric !== existing.primaryMetric) {
      throw new ConflictError(`model ${model} already uses primary metric ${existing.primaryMetric}; omit primaryMetric or send the same one`);
    }
    if (existing && body.direction !== undefined && body.direction !== existing.direction) {
      throw new ConflictError(`model ${model} already has direction ${existing.direction}; omit direction or send the same one`);
    }
    const highest = existing?.highestVersion ?? undefined;
    const version = body.version ?? nextMinor(highest);
    const now = new Date().toISOString();
    const stage = body.stage ?? Stage.development;
    const fileName = body.artifactFileName ?? "model.tar.gz";
    const artifact: Artifact = externalArtifact ?? {
      uri: s3Uri({ bucket: dataBucket(), key: `${ownedPrefix(model, version)}${fileName}` }),
      owned: true,
      status: "pending-upload",
    };
    const record: VersionRecord = {
      model,
      version,
      stage,
      artifact,
      trainingJobName: body.trainingJobName,
      metrics: body.metrics ?? {},
      parameters: body.parameters,
      tags: body.tags,
      datasetVersion: body.datasetVersion,
      description: body.description,
      createdAt: now,
      createdBy: actor.caller,
      stageChangedAt: now,
    };
    const item = versionItem(record);
    if (JSON.stringify(item).length > maxRecordBytes) {
      throw new ValidationError(`the version record is larger than ${maxRecordBytes / 1000} KB; shorten parameters, tags or description`);
    }
    const history = historyEntry(
      { event: "register", model, version, from: null, to: stage, actor: actor.caller, reason: body.description ?? null, requestId: actor.requestId, details: { artifactUri: artifact.uri } },
      now,
    );

    const advances = highest === undefined || compareSemver(version, highest) > 0;
    const modelCondition = !existing ? "attribute_not_exists(pk)" : advances ? "highestVersion = :seen" : "attribute_exists(pk)";
    const names: Record<string, string> = { "#gpk": TableKeys.gsi1PartitionKey, "#gsk": TableKeys.gsi1SortKey };
    const values: Record<string, unknown> = {
      ":model": model,
      ":all": keys.allModelsGsi,
      ":now": now,
      ":actor": actor.caller,
      ":one": 1,
      ":zero": 0,
      ":pm": existing?.primaryMetric ?? body.primaryMetric,
      ":dir": existing?.direction ?? body.direction,
    };
    let update =
      "SET #gpk = :all, #gsk = :model, model = :model, primaryMetric = if_not_exists(primaryMetric, :pm), direction = if_not_exists(direction, :dir), " +
      "createdAt = if_not_exists(createdAt, :now), createdBy = if_not_exists(createdBy, :actor), updatedAt = :now, " +
      "lifecycleRevision = if_not_exists(lifecycleRevision, :zero), versionCount = if_not_exists(versionCount, :zero) + :one";
    if (advances) {
      update += ", highestVersion = :version";
      values[":version"] = version;
    }
    if (existing && advances) values[":seen"] = highest;
    if (stage === Stage.staging) {
      update += " ADD stagingVersions :staged";
      values[":staged"] = new Set([version]);
    }

    const codes = await transact([
      { Put: { TableName: tableName(), Item: item, ConditionExpression: "attribute_not_exists(pk)" } },
      { Update: { TableName: tableName(), Key: keys.model(model), UpdateExpression: update, ConditionExpression: modelCondition, ExpressionAttributeNames: names, ExpressionAttributeValues: values } },
      { Put: { TableName: tableName(), Item: history.item } },
    ]);
    if (!codes) {
      await recordAudit({
        type: "model.registered",
        actor: actor.caller,
        model,
        version,
        target: `models/${model}/versions/${version}`,
        after: record,
        requestId: actor.requestId,
      });
      const retained = await retainAfterRegistration(model, actor);
      const answered: Registered = { ...record, aliases: [], ...(retained ? { retention: retained } : {}) };
      if (artifact.owned) {
        const upload = await presignUpload(parseS3Uri(artifact.uri));
        return { ...answered, upload: { url: upload.url, method: "PUT", expiresAt: upload.expiresAt } };
      }
      return answered;
    }
    if (body.version !== undefined && failedAt(codes, 0)) {
      throw new ConflictError(`version ${version} of model ${model} already exists`);
    }
    if (attempt >= maxAllocationAttempts) {
      throw new ConflictError(`could not register a version of ${model}: ${attempt} attempts collided with concurrent registrations; retry`);
    }
    // Someone registered concurrently: back off (jittered, growing, capped) and read again.
    await sleep(Math.random() * Math.min(250, 10 * 2 ** Math.min(attempt, 5)));
  }
}
