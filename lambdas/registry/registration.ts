/**
 * Registering a model version. Everything that can fail on the outside (dataset lookup, artifact HEAD and
 * checksum) happens before any write, so a failure leaves nothing behind. The registration itself is one
 * transaction: the version item (only if absent), the model record (created on first registration), and
 * the history entry.
 *
 * Without an explicit version the next minor is taken from an atomic per-model counter (`allocated` on the
 * model item, one UpdateItem with ADD semantics), then written with the transaction above, whose only
 * model condition is that the model exists. Concurrent registrations therefore never wait for each other:
 * each costs a constant number of round trips — read the model, take a number, write — instead of
 * retrying until it is the only writer. A number taken by a registration that then fails is not given out
 * again (versions are never reused, even after a delete); the model's `highestVersion` is the higher of the
 * counter and the highest explicit version. An explicit version that is higher than every other raises the
 * counter in its transaction (conditioned on the highest it read and on the counter not being past it).
 */
import { compareSemver, maxVersionPart, nextMinor } from "../core/lifecycle/semver.js";
import { Stage } from "../core/lifecycle/stages.js";
import { ConflictError, UnprocessableError, ValidationError, VersionNumberRetiredError } from "../shared/errors.js";
import { recordAudit } from "../shared/audit.js";
import { inspectObject, ownedPrefix, parseS3Uri, presignUpload, refuseEmptyArtifact, s3Uri, uploadLocation } from "./artifacts.js";
import { datasetExists } from "./store/datasets.js";
import type { RegisterBody } from "./contract/requests.js";
import { historyPut } from "./store/history.js";
import { advanceAllocation, allocationBase, allocationOf, getModel, raiseHighestCounted, registrationUpdate, versionFromAllocation, type ModelState } from "./store/models.js";
import { dataBucket } from "./store/table.js";
import { noTombstoneCheck } from "./store/tombstones.js";
import { failedAt, transact } from "./store/transact.js";
import { type Artifact, type VersionRecord, versionItem, versionPut } from "./store/versions.js";
import { getPolicy } from "./store/policies.js";
import { dispatchRetention } from "./retention-dispatch.js";
import type { Actor } from "../shared/actor.js";
import { serviceLogger } from "../shared/logger.js";

/**
 * What a registration says about retention: the model's `keepLast`, and whether the follow-up that archives
 * what it lets go was asked for (retention-dispatch.ts). The registration archives nothing itself, so its
 * time does not depend on what retention has to archive.
 */
export interface RegistrationRetention {
  readonly keepLast: number;
  readonly continuing: boolean;
}

/** The answer of a registration: the record, plus the upload URL when one was requested, and retention's follow-up. */
export type Registered = VersionRecord & { upload?: { url: string; method: "PUT"; expiresAt: string }; retention?: RegistrationRetention };

/** Retention after a registration: one policy read and one event; its failure is logged, never the registration's. */
async function retainAfterRegistration(model: string, actor: Actor): Promise<RegistrationRetention | undefined> {
  try {
    const keepLast = (await getPolicy(model))?.retention?.keepLast;
    if (keepLast === undefined) return undefined;
    const continuing = await dispatchRetention({ model, keepLast, caller: actor.caller, requestId: actor.requestId });
    return { keepLast, continuing };
  } catch (err) {
    serviceLogger("registry").error("retention after registration failed", { model, requestId: actor.requestId, error: err as Error });
    return undefined;
  }
}

/**
 * Attempts before a registration gives up with a 409. With the counter, an automatic registration needs a
 * second attempt only when an explicit registration took its number or a transaction conflicted.
 */
export const maxAllocationAttempts = 10;

/** Largest version record accepted (DynamoDB's item limit is 400 KB). */
const maxRecordBytes = 300_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Takes the next automatic version of an existing model: one atomic UpdateItem on the model item
 * (`allocated = if_not_exists(allocated, seed) + 1`, seeded from the highest version for models registered
 * before the counter existed).
 */
export async function allocateVersion(model: string, state: ModelState): Promise<string> {
  const seed = state.highestTaken ? allocationOf(state.highestTaken) : 0;
  const allocated = await advanceAllocation(model, seed, (cause) => new ConflictError(`model ${model} was deleted concurrently; retry`, { cause }));
  if (Math.floor(allocated / allocationBase) > maxVersionPart) throw new ValidationError(`no next version after ${state.highestTaken}; register an explicit version`);
  return versionFromAllocation(allocated);
}

/**
 * Records a counted version as registered (`highestCounted`, the counter value of the highest one), after
 * its transaction committed: concurrent registrations commit in any order and DynamoDB has no max(), so the
 * update is conditioned on raising the value. Its failure is logged, never the registration's: the model
 * then shows a lower `highestVersion` until the next counted registration.
 */
async function markCounted(model: string, version: string, actor: Actor): Promise<void> {
  try {
    // A failed condition: a higher version was counted first, nothing to do.
    await raiseHighestCounted(model, allocationOf(version));
  } catch (err) {
    serviceLogger("registry").error("could not record the highest counted version", { model, version, requestId: actor.requestId, error: err as Error });
  }
}

/** Registers a version of `model`. */
export async function registerVersion(model: string, body: RegisterBody, actor: Actor): Promise<Registered> {
  if (body.datasetVersion && !(await datasetExists(body.datasetVersion))) {
    throw new UnprocessableError(`datasetVersion ${body.datasetVersion} does not exist; register it with POST /datasets/{name}/versions first`);
  }
  // Outside reads first: nothing is written until the artifact is known to exist and is checksummed.
  let externalArtifact: Artifact | undefined;
  if (body.artifactUri) {
    const facts = await inspectObject(parseS3Uri(body.artifactUri));
    refuseEmptyArtifact(facts.sizeBytes, body.allowEmptyArtifact === true, `the artifact ${body.artifactUri}`);
    externalArtifact = { uri: body.artifactUri, owned: false, status: "available", ...facts, verifiedAt: new Date().toISOString(), ...(body.allowEmptyArtifact ? { allowEmpty: true } : {}) };
  }
  const stage = body.stage ?? Stage.development;
  const fileName = body.artifactFileName ?? "model.tar.gz";
  const recordOf = (version: string, now: string): VersionRecord => ({
    model,
    version,
    stage,
    artifact: externalArtifact ?? { uri: s3Uri({ bucket: dataBucket(), key: `${ownedPrefix(model, version)}${fileName}` }), owned: true, status: "pending_upload", ...(body.allowEmptyArtifact ? { allowEmpty: true } : {}) },
    trainingJobName: body.trainingJobName,
    metrics: body.metrics ?? {},
    parameters: body.parameters,
    tags: body.tags,
    datasetVersion: body.datasetVersion,
    description: body.description,
    createdAt: now,
    createdBy: actor.caller,
    stageChangedAt: now,
  });
  // Sized before a number is taken, with the longest version string, so a refusal burns no number.
  if (JSON.stringify(versionItem(recordOf("999999.999999.999999", new Date().toISOString()))).length > maxRecordBytes) {
    throw new ValidationError(`the version record is larger than ${maxRecordBytes / 1000} KB; shorten parameters, tags or description`);
  }

  // A number taken from the counter is kept across attempts until its version is written or taken by another.
  let counted: string | undefined;
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
    const highest = existing?.highestTaken ?? undefined;
    const fromCounter = body.version === undefined && existing !== undefined;
    if (fromCounter) counted ??= await allocateVersion(model, existing);
    const version = body.version ?? counted ?? nextMinor(highest);
    const now = new Date().toISOString();
    const record = recordOf(version, now);
    const item = versionItem(record);
    const artifact = record.artifact;

    // Only an explicit (or first) version moves the stored highest and the counter; a counted one already did.
    const advances = !fromCounter && (highest === undefined || compareSemver(version, highest) > 0);
    const codes = await transact([
      versionPut(item),
      // Conditioned on what was read: a concurrent explicit registration or counter advance sends us round again.
      registrationUpdate({ model, existing, version, advances, staged: stage === Stage.staging, primaryMetric: body.primaryMetric, direction: body.direction, now, actor: actor.caller }),
      historyPut(
        { event: "register", model, version, from: null, to: stage, actor: actor.caller, reason: body.description ?? null, requestId: actor.requestId, details: { artifactUri: artifact.uri } },
        now,
      ),
      // A deleted number keeps its tombstone: versions are never reused.
      noTombstoneCheck(model, version),
    ]);
    if (!codes) {
      if (fromCounter) await markCounted(model, version, actor);
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
        const upload = await presignUpload(uploadLocation(model, version, parseS3Uri(artifact.uri)));
        return { ...answered, upload: { url: upload.url, method: "PUT", expiresAt: upload.expiresAt } };
      }
      return answered;
    }
    if (body.version !== undefined && failedAt(codes, 0)) {
      throw new ConflictError(`version ${version} of model ${model} already exists`);
    }
    if (body.version !== undefined && failedAt(codes, 3)) {
      throw new VersionNumberRetiredError(`version ${version} of model ${model} was deleted; version numbers are never reused: register a new number (omit version to get the next one)`);
    }
    // An explicit registration took the counted number (or it was retired): take another.
    if (fromCounter && (failedAt(codes, 0) || failedAt(codes, 3))) counted = undefined;
    if (attempt >= maxAllocationAttempts) {
      throw new ConflictError(`could not register a version of ${model}: ${attempt} attempts collided with concurrent registrations; retry`);
    }
    // A race with another writer: back off (jittered, growing, capped) and read again.
    await sleep(Math.random() * Math.min(100, 5 * 2 ** Math.min(attempt, 5)));
  }
}
