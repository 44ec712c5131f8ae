/**
 * Tags of a version, changed after registration: `PATCH /models/{model}/versions/{version} {tags}` merges
 * the given tags into the version's (a `null` value removes one). The merge is a read, then one write
 * conditioned on the tag revision read, retried on a collision, so concurrent patches all apply. Tag keys
 * and values are user data: they are merged in null-prototype objects and never become attribute names of
 * an update expression.
 */
import { recordAudit } from "../shared/audit.js";
import { ConflictError, NotFoundError, ValidationError } from "../shared/errors.js";
import type { Actor } from "../shared/actor.js";
import { maxTags } from "./contract/requests.js";
import { historyPut } from "./store/history.js";
import { transact } from "./store/transact.js";
import { getVersionItem, requireVersion, tagsUpdate, toVersionRecord, type VersionRecord } from "./store/versions.js";

/** Attempts of a patch that keeps colliding before it gives up with a 409. */
const maxTagAttempts = 20;

/** Merges `changes` into the version's tags (null removes a tag). */
export async function patchTags(model: string, version: string, changes: Record<string, string | null>, actor: Actor): Promise<VersionRecord> {
  for (let attempt = 1; ; attempt++) {
    // One read gives both the tags and their revision: read apart, a patch landing between them would be lost.
    const item = await versionItemOf(model, version);
    const current = toVersionRecord(item);
    const revision = Number(item.tagsRevision ?? 0);
    const merged = Object.assign(Object.create(null), current.tags ?? {}) as Record<string, string>;
    const set: string[] = [];
    const removed: string[] = [];
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) {
        if (Object.hasOwn(merged, k)) removed.push(k);
        delete merged[k];
      } else {
        merged[k] = v;
        set.push(k);
      }
    }
    if (Object.keys(merged).length > maxTags) throw new ValidationError(`body.tags: a version holds at most ${maxTags} tags; this merge would leave ${Object.keys(merged).length}`);
    const now = new Date().toISOString();
    const tags = { ...merged };
    const codes = await transact([
      tagsUpdate(model, version, tags, revision),
      historyPut({ event: "tag", model, version, from: null, to: null, actor: actor.caller, reason: null, requestId: actor.requestId, details: { set: changesOf(changes, set), removed } }, now),
    ]);
    if (!codes) {
      await recordAudit({ type: "model.tags_updated", actor: actor.caller, model, version, target: `models/${model}/versions/${version}`, before: { tags: current.tags ?? {} }, after: { tags }, requestId: actor.requestId });
      return { ...current, tags };
    }
    if (attempt >= maxTagAttempts) throw new ConflictError(`the tags of version ${version} of model ${model} kept changing concurrently; retry`);
    await new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 5 * 2 ** attempt)));
  }
}

function changesOf(changes: Record<string, string | null>, keysSet: string[]): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const k of keysSet) out[k] = changes[k] as string;
  return { ...out };
}

/** The stored version item (with its tag revision). @throws NotFoundError naming the model or the version */
async function versionItemOf(model: string, version: string): Promise<Record<string, unknown>> {
  const item = await getVersionItem(model, version);
  if (item) return item;
  await requireVersion(model, version);
  throw new NotFoundError(`version ${version} of model ${model} does not exist`);
}
