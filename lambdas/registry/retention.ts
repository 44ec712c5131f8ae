/**
 * Retention: after each successful registration, a model whose policy sets `retention.keepLast = N` has its
 * development and staging versions beyond the newest N (by version number) archived, unless they hold an
 * alias or await an approval (`retentionVictims`, lambdas/core/lifecycle/policy.ts). Each archive is one transaction conditioned
 * on the stage read and on the version still holding no alias, with a history entry and an audit entry;
 * artifacts are kept. A failed archive never fails the registration: it is logged and retried by the next.
 */
import { Stage } from "../core/lifecycle/stages.js";
import { padSemver } from "../core/lifecycle/semver.js";
import { keys } from "../shared/table.js";
import { retentionVictims } from "../core/lifecycle/policy.js";
import { recordAudit } from "../shared/audit.js";
import { serviceLogger } from "../shared/logger.js";
import { stageUpdate, stagingSetUpdate, type TransactItem } from "./lifecycle.js";
import { getPolicy } from "./policy.js";
import type { Actor } from "./registration.js";
import { historyEntry, listVersions, tableName, transact, type VersionRecord } from "./store.js";

const logger = serviceLogger("registry");

/** Most versions retention reads per registration. */
const maxScanned = 10_000;

/** What retention did after a registration; undefined when the model's policy has no retention. */
export interface RetentionOutcome {
  keepLast: number;
  archived: string[];
}

/** Applies the model's retention policy (see the file comment). */
export async function applyRetention(model: string, actor: Actor): Promise<RetentionOutcome | undefined> {
  const policy = await getPolicy(model);
  if (!policy?.retention) return undefined;
  const keepLast = policy.retention.keepLast;
  const all: VersionRecord[] = [];
  let token: string | undefined;
  do {
    const page = await listVersions(model, undefined, 100, token);
    all.push(...page.items);
    token = page.nextToken ?? undefined;
  } while (token && all.length < maxScanned);
  if (all.length <= keepLast) return { keepLast, archived: [] };
  const victims = retentionVictims(all.map((v) => ({ version: v.version, stage: v.stage, aliases: v.aliases ?? [] })), keepLast);
  const byVersion = new Map(all.map((v) => [v.version, v]));
  const archived: string[] = [];
  for (const version of victims) {
    const v = byVersion.get(version) as VersionRecord;
    const now = new Date().toISOString();
    const update = stageUpdate(model, version, v.stage, Stage.archived, now, { archivedAt: now });
    update.Update!.ConditionExpression = `${update.Update!.ConditionExpression} AND attribute_not_exists(aliases)`;
    const items: TransactItem[] = [
      update,
      stagingSetUpdate(model, version, v.stage === Stage.staging ? "DELETE" : undefined, now),
      // A version whose promotion awaits approval is someone's open decision: retention leaves it alone.
      { ConditionCheck: { TableName: tableName(), Key: keys.pendingApproval(model, padSemver(version)), ConditionExpression: "attribute_not_exists(pk)" } },
      {
        Put: {
          TableName: tableName(),
          Item: historyEntry(
            { event: "retention", model, version, from: v.stage, to: Stage.archived, actor: actor.caller, reason: `retention: keep the newest ${keepLast} versions`, requestId: actor.requestId, details: { keepLast } },
            now,
          ).item,
        },
      },
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
  return { keepLast, archived };
}
