/**
 * Lifecycle changes of model versions: promote, rollback, delete, artifact verification. Each change is
 * one DynamoDB transaction whose conditions restate what was read (the version's stage, the model's
 * `lifecycleRevision`), so concurrent changes cannot interleave: of twenty simultaneous promotions to
 * production exactly one commits and the others get a 409; there is never a moment with two production
 * versions, or none once the model has had one.
 */
import { evaluateGate, type GateResult } from "../core/lifecycle/gate.js";
import { assertTransition, Stage } from "../core/lifecycle/stages.js";
import { ConflictError, EmptyArtifactError, GateFailedError, NotFoundError } from "../shared/errors.js";
import type { PolicyGateResult, PromotionPolicy } from "../core/lifecycle/policy.js";
import { evaluatePolicy } from "./policy.js";
import { storeReaders, type PromotionReaders } from "./promotion-readers.js";
import { bucketKeys } from "../shared/buckets.js";
import { recordAudit } from "../shared/audit.js";
import type { EventOutcome } from "../shared/events-bus.js";
import { announcePromotion, announceRollback } from "./announce.js";
import { deletePrefix, inspectObject, ownedPrefix, parseS3Uri, refuseEmptyArtifact } from "./artifacts.js";
import type { Actor } from "../shared/actor.js";
import { auditCancellation, cancelItems } from "./approval-evidence.js";
import { lockedRequestOf, noPendingCheck } from "./store/approvals.js";
import { historyPut } from "./store/history.js";
import { modelLifecycleUpdate, requireModel, stagingSetUpdate, versionRemovedUpdate, type ModelState } from "./store/models.js";
import { tombstonePut } from "./store/tombstones.js";
import { failedAt, transact, type TransactItem } from "./store/transact.js";
import { artifactVerifiedUpdate, getVersion, requireVersion, stageUpdate, versionDelete, type Artifact, type VersionRecord } from "./store/versions.js";

/** How many previous production versions are remembered for rollback. */
export const rollbackDepth = 50;

const concurrentChange = (model: string) =>
  new ConflictError(`model ${model} was changed by a concurrent request (another promotion, rollback or delete); read its state and retry`);

/** Computes the checksum of an uploaded artifact that is still pending; the artifact must exist by now. */
async function verifiedArtifact(v: VersionRecord, settle: PromotionReaders["settleUpload"] = storeReaders.settleUpload): Promise<Artifact | undefined> {
  if (v.artifact.status !== "pending_upload") return undefined;
  try {
    const facts = await settle(v.model, v.version, v.artifact.uri);
    refuseEmptyArtifact(facts.sizeBytes, v.artifact.allowEmpty === true, `the artifact of version ${v.version} at ${v.artifact.uri}`);
    return { ...v.artifact, ...facts, status: "available", verifiedAt: new Date().toISOString() };
  } catch (err) {
    if (err instanceof EmptyArtifactError) throw err;
    throw new ConflictError(`the artifact of version ${v.version} has not been uploaded to ${v.artifact.uri} yet (${(err as Error).message})`, { cause: err });
  }
}

/** The answer of a promotion. */
export interface Promotion {
  status: "promoted";
  version: VersionRecord;
  from: Stage;
  to: Stage;
  archived: string | null;
  gate: ((GateResult | PolicyGateResult) & { forced: boolean }) | null;
  /** The `mlwatch Model Promoted` event: sent, or the error that stopped it. */
  event: EventOutcome;
}

/** Everything a promotion will write, read and checked before anything is written. */
export interface PromotionPlan {
  readonly model: string;
  readonly version: string;
  readonly state: ModelState;
  readonly current: VersionRecord;
  readonly from: Stage;
  readonly to: Stage;
  readonly now: string;
  readonly extra: Record<string, unknown>;
  readonly gate: Promotion["gate"];
  readonly previous: VersionRecord | undefined;
  /** The policy names `to` among the stages whose promotions wait for a second principal's approval. */
  readonly needsApproval: boolean;
}

/**
 * Reads and checks a promotion of `version` to `to`: the transition, the artifact, and for production the
 * gates — the policy's when it has gates (every failed gate in one GATE_FAILED), else the primary-metric gate.
 * `force` lets failed gates through; the override is recorded with the gate. Nothing is written.
 * @param readers what the plan reads (default: the real stores, {@link storeReaders})
 * @throws NotFoundError when the model or the version does not exist (never registered, or deleted)
 * @throws ConflictError when the lifecycle does not allow the move (archived, already there, production
 *   archived, a stage skipped) or a pending upload has not arrived
 * @throws GateFailedError listing every failed gate, unless `force`
 */
export async function planPromotion(
  model: string,
  version: string,
  to: Stage,
  force: boolean,
  policy: PromotionPolicy | undefined,
  readers: PromotionReaders = storeReaders,
): Promise<PromotionPlan> {
  const state = await readers.requireModel(model);
  const current = await readers.requireVersion(model, version);
  const from = current.stage;
  if (to === Stage.archived && from === Stage.production) {
    throw new ConflictError(`version ${version} is in production; promote another version or roll back instead of archiving it, so the model keeps a production version`);
  }
  assertTransition(version, from, to);
  const now = new Date().toISOString();
  const artifact = to === Stage.archived ? undefined : await verifiedArtifact(current, readers.settleUpload);
  const extra: Record<string, unknown> = artifact ? { artifact } : {};

  let gate: Promotion["gate"] = null;
  let previous: VersionRecord | undefined;
  if (to === Stage.production) {
    previous = state.productionVersion ? await readers.getVersion(model, state.productionVersion) : undefined;
    if (policy && policy.gates.length > 0) {
      const result = await evaluatePolicy(policy, state, current, previous, readers);
      if (!result.passed && !force) {
        throw new GateFailedError(`promotion gate failed: ${result.reason}; send force: true to override (the override is recorded)`, result.failed);
      }
      gate = { ...result, forced: !result.passed && force };
    } else {
      const result = evaluateGate({
        primaryMetric: state.primaryMetric,
        direction: state.direction,
        candidate: { version, metrics: current.metrics },
        production: previous ? { version: previous.version, metrics: previous.metrics } : undefined,
      });
      if (!result.passed && !force) {
        // The primary-metric gate fails like a policy gate: GATE_FAILED with the failed gate in details.failed.
        const rule = result.candidateValue === null ? "present" : "notWorseThanProduction";
        throw new GateFailedError(`promotion gate failed: ${result.reason}; send force: true to override (the override is recorded)`, [{ metric: result.primaryMetric, value: result.candidateValue, rule }]);
      }
      gate = { ...result, forced: !result.passed && force };
    }
    extra.gate = gate;
    extra.promotedAt = now;
  }
  if (to === Stage.archived) extra.archivedAt = now;
  return { model, version, state, current, from, to, now, extra, gate, previous, needsApproval: policy?.requireApproval.includes(to) ?? false };
}

/**
 * Writes a planned promotion in one transaction — plus `extraItems` (an approval's decision) — and audits it.
 * @param extraItems written in the same transaction, after the promotion's own items
 * @param onConflict names the conflict when an extra item's condition failed (index into extraItems)
 */
export async function commitPromotion(
  plan: PromotionPlan,
  reason: string,
  actor: Actor,
  options: { extraItems?: TransactItem[]; historyDetails?: Record<string, unknown>; auditDetails?: Record<string, unknown>; onExtraConflict?: (index: number) => Error } = {},
): Promise<Promotion> {
  const { model, version, state, current, from, to, now, extra, gate, previous } = plan;
  const items: TransactItem[] = [stageUpdate(model, version, from, to, now, extra)];
  const details = gate || options.historyDetails ? { ...(gate ? { gate } : {}), ...options.historyDetails } : undefined;
  if (to === Stage.production) {
    const history = previous ? [...state.productionHistory, previous.version].slice(-rollbackDepth) : state.productionHistory;
    items.push(modelLifecycleUpdate(state, version, history, now));
    if (previous) {
      items.push(stageUpdate(model, previous.version, Stage.production, Stage.archived, now, { archivedAt: now }));
      items.push(
        historyPut({ event: "promote", model, version: previous.version, from: Stage.production, to: Stage.archived, actor: actor.caller, reason: `replaced by ${version}: ${reason}`, requestId: actor.requestId }, now, 0),
      );
    }
  } else {
    items.push(stagingSetUpdate(model, version, to === Stage.staging ? "ADD" : from === Stage.staging ? "DELETE" : undefined, now));
  }
  items.push(historyPut({ event: "promote", model, version, from, to, actor: actor.caller, reason, requestId: actor.requestId, details }, now, 1));
  const ownCount = items.length;
  items.push(...(options.extraItems ?? []));

  const codes = await transact(items);
  if (codes) {
    const extraFailed = codes.slice(ownCount).findIndex((c) => c === "ConditionalCheckFailed");
    if (extraFailed >= 0 && options.onExtraConflict) throw options.onExtraConflict(extraFailed);
    if (failedAt(codes, 0)) throw new ConflictError(`version ${version} of model ${model} is no longer in ${from}: a concurrent request changed it; read it and retry`);
    throw concurrentChange(model);
  }
  const event = await announcePromotion({ model, version, from, to, actor: actor.caller, reason });
  await recordAudit({
    type: "model.promoted",
    actor: actor.caller,
    model,
    version,
    target: `models/${model}/versions/${version}`,
    before: { stage: from, productionVersion: state.productionVersion },
    after: { stage: to, productionVersion: to === Stage.production ? version : state.productionVersion },
    details: { reason, gate, forced: gate?.forced ?? false, archived: previous?.version ?? null, event, ...options.auditDetails },
    requestId: actor.requestId,
  });
  const updated: VersionRecord = { ...current, ...(extra as Partial<VersionRecord>), stage: to, stageChangedAt: now, event } as VersionRecord;
  return { status: "promoted", version: updated, from, to, archived: previous?.version ?? null, gate, event };
}

/** The answer of a rollback. */
export interface Rollback {
  model: string;
  productionVersion: string;
  archived: string;
  skipped: string[];
  /** The `mlwatch Model Rolled Back` event: sent, or the error that stopped it. */
  event: EventOutcome;
}

/**
 * The version a rollback would restore: the newest entry of the rollback stack that still exists and is
 * archived (entries deleted since are skipped). The one rule for both the rollback and the model's
 * `rollbackTarget`, so what the model shows is what a rollback does.
 */
export async function findRollbackTarget(state: ModelState): Promise<{ target: VersionRecord | undefined; skipped: string[]; rest: string[] }> {
  const stack = [...state.productionHistory];
  const skipped: string[] = [];
  let target: VersionRecord | undefined;
  while (stack.length > 0 && !target) {
    const candidate = stack.pop() as string;
    const found = await getVersion(state.model, candidate);
    if (found && found.stage === Stage.archived) target = found;
    else skipped.push(candidate);
  }
  return { target, skipped, rest: stack };
}

/** Makes the version that was production before the current one production again. */
export async function rollbackModel(model: string, reason: string, actor: Actor): Promise<Rollback> {
  const state = await requireModel(model);
  const current = state.productionVersion;
  if (!current) throw new ConflictError(`model ${model} has no production version to roll back from`);
  const { target, skipped, rest: stack } = await findRollbackTarget(state);
  if (!target) {
    throw new ConflictError(`model ${model} has no previous production version to roll back to${skipped.length ? ` (${skipped.join(", ")} were deleted)` : ""}`);
  }
  const now = new Date().toISOString();
  const codes = await transact([
    stageUpdate(model, target.version, Stage.archived, Stage.production, now, { promotedAt: now }),
    modelLifecycleUpdate(state, target.version, stack, now),
    stageUpdate(model, current, Stage.production, Stage.archived, now, { archivedAt: now }),
    historyPut({ event: "rollback", model, version: current, from: Stage.production, to: Stage.archived, actor: actor.caller, reason, requestId: actor.requestId, details: { rolledBackTo: target.version } }, now, 0),
    historyPut({ event: "rollback", model, version: target.version, from: Stage.archived, to: Stage.production, actor: actor.caller, reason, requestId: actor.requestId, details: { rolledBackFrom: current } }, now, 1),
  ]);
  if (codes) throw concurrentChange(model);
  const event = await announceRollback({ model, from: current, to: target.version, actor: actor.caller, reason });
  await recordAudit({
    type: "model.rolled_back",
    actor: actor.caller,
    model,
    version: target.version,
    target: `models/${model}`,
    before: { productionVersion: current },
    after: { productionVersion: target.version },
    details: { reason, skipped, event },
    requestId: actor.requestId,
  });
  return { model, productionVersion: target.version, archived: current, skipped, event };
}

const cancelledByDelete = (version: string, actor: Actor) => `version ${version} was deleted by ${actor.caller}`;

/** The answer of a delete. */
export interface Deletion {
  model: string;
  version: string;
  artifact: { uri: string; owned: boolean; deleted: boolean };
}

/**
 * Deletes a version that is not in production, and the artifact it owns. The same transaction leaves a
 * tombstone, so the number is never registered again, and cancels the version's pending approval request
 * (there is nothing left to approve); with none pending, it checks that none appeared meanwhile.
 */
export async function deleteVersion(model: string, version: string, actor: Actor): Promise<Deletion> {
  const current = await requireVersion(model, version);
  const pending = await lockedRequestOf(model, version);
  const open = pending?.state === "pending" ? pending : undefined;
  if (current.stage === Stage.production) {
    throw new ConflictError(`version ${version} of model ${model} is in production and cannot be deleted; promote another version or roll back first`);
  }
  if ((current.aliases ?? []).length > 0) {
    throw new ConflictError(`version ${version} of model ${model} holds the alias(es) ${current.aliases!.join(", ")}; move or delete them first`);
  }
  const now = new Date().toISOString();
  const codes = await transact([
    versionDelete(model, version, Stage.production),
    versionRemovedUpdate(model, version, now),
    historyPut({ event: "delete", model, version, from: current.stage, to: null, actor: actor.caller, reason: null, requestId: actor.requestId, details: { artifactUri: current.artifact.uri, owned: current.artifact.owned } }, now),
    tombstonePut({ model, version, deletedAt: now, deletedBy: actor.caller, createdAt: current.createdAt }),
    ...(open ? cancelItems(open, cancelledByDelete(version, actor), actor, now) : [noPendingCheck(model, version)]),
  ]);
  if (codes) {
    if (codes.slice(4).some((c) => c === "ConditionalCheckFailed")) {
      throw new ConflictError(`a promotion request of version ${version} of model ${model} was made or decided concurrently; read GET /models/${model}/approvals and retry`);
    }
    const again = await getVersion(model, version);
    if (!again) throw new NotFoundError(`version ${version} of model ${model} does not exist`);
    throw new ConflictError(`version ${version} of model ${model} changed concurrently (now ${again.stage}); read it and retry`);
  }
  // The record goes first: an artifact that outlives its record is waste, a record without its artifact is a broken model.
  let deleted = false;
  if (current.artifact.owned) {
    const loc = parseS3Uri(current.artifact.uri);
    deleted = (await Promise.all([ownedPrefix(model, version), bucketKeys.artifactUploadPrefix(model, version)].map((p) => deletePrefix(loc.bucket, p)))).every(Boolean);
  }
  if (open) await auditCancellation(open, cancelledByDelete(version, actor), actor, now);
  await recordAudit({
    type: "model.version_deleted",
    actor: actor.caller,
    model,
    version,
    target: `models/${model}/versions/${version}`,
    before: current,
    details: { artifactDeleted: deleted },
    requestId: actor.requestId,
  });
  return { model, version, artifact: { uri: current.artifact.uri, owned: current.artifact.owned, deleted } };
}

/** The answer of an artifact verification. */
export interface Verification {
  model: string;
  version: string;
  artifact: Artifact;
  /** True when the object's sha256 equals the recorded one (always true on first verification of an upload). */
  matches: boolean;
  currentSha256: string;
}

/** Attempts of a verification whose record changed concurrently (it then re-reads the record). */
export const maxVerifyAttempts = 3;

/**
 * Verifies a version's artifact: records size, ETag and sha256 of an uploaded (pending) artifact, or
 * re-reads an available one and reports whether it still matches what was recorded. A concurrent change
 * to the record (another verification) sends it round again, at most {@link maxVerifyAttempts} times.
 */
export async function verifyArtifact(model: string, version: string, actor: Actor): Promise<Verification> {
  for (let attempt = 1; ; attempt++) {
    const current = await requireVersion(model, version);
    if (current.artifact.status !== "pending_upload") {
      const facts = await inspectObject(parseS3Uri(current.artifact.uri));
      return { model, version, artifact: current.artifact, matches: facts.sha256 === current.artifact.sha256, currentSha256: facts.sha256 };
    }
    const artifact = (await verifiedArtifact(current)) as Artifact;
    const now = artifact.verifiedAt as string;
    const codes = await transact([
      artifactVerifiedUpdate(model, version, artifact),
      historyPut({ event: "verify", model, version, from: null, to: null, actor: actor.caller, reason: null, requestId: actor.requestId, details: { sha256: artifact.sha256, sizeBytes: artifact.sizeBytes } }, now),
    ]);
    if (!codes) {
      await recordAudit({ type: "model.artifact_verified", actor: actor.caller, model, version, target: `models/${model}/versions/${version}`, after: artifact, requestId: actor.requestId });
      return { model, version, artifact, matches: true, currentSha256: artifact.sha256 as string };
    }
    if (attempt >= maxVerifyAttempts) throw new ConflictError(`the record of version ${version} of model ${model} kept changing during verification; retry`);
  }
}
