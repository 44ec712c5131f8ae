/**
 * Retention: after each successful registration, a model whose policy sets `retention.keepLast = N` has its
 * development and staging versions beyond the newest N (by version number) archived, unless they hold an
 * alias or await an approval (`retentionVictims`, lambdas/core/lifecycle/policy.ts). Each archive is one transaction conditioned
 * on the stage read and on the version still holding no alias, with a history entry and an audit entry;
 * artifacts are kept. A failed archive is logged and retried by the next run.
 *
 * The registration does none of it: it asks for a follow-up (retention-dispatch.ts), which calls
 * {@link applyRetention} until nothing is left. One call reads the newest N versions and the development
 * and staging ones (never the archived ones, which only grow), and archives at most
 * {@link archivesPerRegistration} of them, oldest first, saying how many remain.
 */
import { Stage } from "../core/lifecycle/stages.js";
import { padSemver } from "../core/lifecycle/semver.js";
import { retentionVictims } from "../core/lifecycle/policy.js";
import { recordAudit } from "../shared/audit.js";
import { serviceLogger } from "../shared/logger.js";
import { type TransactItem, transact } from "./store/transact.js";
import { getPolicy } from "./store/policies.js";
import type { Actor } from "../shared/actor.js";
import { noPendingCheck, pendingLocks } from "./store/approvals.js";
import { historyPut } from "./store/history.js";
import { stagingSetUpdate } from "./store/models.js";
import { listVersions, stageUpdate, type VersionRecord } from "./store/versions.js";

const logger = serviceLogger("registry");

/** Most versions one {@link applyRetention} call archives (each is a transaction and an audit entry). */
export const archivesPerRegistration = 5;

/** Most versions of one listing retention reads per round. */
const maxScanned = 10_000;

/** What one retention round did; undefined when the model's policy has no retention. */
export interface RetentionOutcome {
  keepLast: number;
  archived: string[];
  /** Versions retention still has to archive after this round. */
  remaining: number;
}

/** Up to `want` versions of a listing (of one stage, or all), highest first. */
async function readVersions(model: string, stage: Stage | undefined, want: number): Promise<VersionRecord[]> {
  const found: VersionRecord[] = [];
  let token: string | undefined;
  do {
    const page = await listVersions(model, stage, Math.min(100, want - found.length), token);
    found.push(...page.items);
    token = page.nextToken ?? undefined;
  } while (token && found.length < want);
  return found;
}

/** Applies the model's retention policy (see the file comment). */
export async function applyRetention(model: string, actor: Actor): Promise<RetentionOutcome | undefined> {
  const policy = await getPolicy(model);
  if (!policy?.retention) return undefined;
  const keepLast = policy.retention.keepLast;
  // The newest N of every stage decide what is kept; only development and staging versions can go.
  const [newest, development, staging, locks] = await Promise.all([
    readVersions(model, undefined, keepLast),
    readVersions(model, Stage.development, maxScanned),
    readVersions(model, Stage.staging, maxScanned),
    pendingLocks(model),
  ]);
  const byVersion = new Map([...newest, ...development, ...staging].map((v) => [v.version, v]));
  const ordered = [...byVersion.values()].sort((a, b) => padSemver(b.version).localeCompare(padSemver(a.version)));
  // A version whose promotion awaits approval is someone's open decision: retention leaves it alone.
  const victims = retentionVictims(ordered.map((v) => ({ version: v.version, stage: v.stage, aliases: v.aliases ?? [] })), keepLast)
    .filter((version) => !locks.has(padSemver(version)))
    .reverse();
  const archived: string[] = [];
  for (const version of victims.slice(0, archivesPerRegistration)) {
    const v = byVersion.get(version) as VersionRecord;
    const now = new Date().toISOString();
    const items: TransactItem[] = [
      // Never a version that holds an alias (one set since it was read).
      stageUpdate(model, version, v.stage, Stage.archived, now, { archivedAt: now }, true),
      stagingSetUpdate(model, version, v.stage === Stage.staging ? "DELETE" : undefined, now),
      // A request made since the locks were read: leave it alone too.
      noPendingCheck(model, version),
      historyPut(
        { event: "retention", model, version, from: v.stage, to: Stage.archived, actor: actor.caller, reason: `retention: keep the newest ${keepLast} versions`, requestId: actor.requestId, details: { keepLast } },
        now,
      ),
    ];
    try {
      const codes = await transact(items);
      if (codes) {
        logger.info("retention skipped a version that changed concurrently", { model, version, requestId: actor.requestId });
        continue;
      }
    } catch (err) {
      logger.error("retention could not archive a version", { model, version, requestId: actor.requestId, error: err as Error });
      continue;
    }
    archived.push(version);
    await recordAudit({
      type: "model.archived_by_retention",
      actor: actor.caller,
      model,
      version,
      target: `models/${model}/versions/${version}`,
      before: { stage: v.stage },
      after: { stage: Stage.archived },
      details: { keepLast, artifactKept: v.artifact.uri },
      requestId: actor.requestId,
    });
  }
  return { keepLast, archived, remaining: victims.length - archived.length };
}
