/**
 * Aliases: named pointers to a version of a model (`champion`, `challenger`), as MLflow has them. The alias
 * item and both versions' `aliases` sets change in one transaction conditioned on the alias's revision, so
 * concurrent moves serialise: each retries on a collision, and the alias ends on exactly one version, the
 * only one whose `aliases` names it. Every move is in the history and audited. A version holding an alias
 * cannot be deleted and is never archived by retention.
 */
import { recordAudit } from "../shared/audit.js";
import { ConflictError, NotFoundError } from "../shared/errors.js";
import type { Actor } from "../shared/actor.js";
import { aliasDelete, aliasPut, getAlias, type AliasRecord } from "./store/aliases.js";
import { historyPut } from "./store/history.js";
import { requireModel } from "./store/models.js";
import { type TransactItem, transact } from "./store/transact.js";
import { aliasSetUpdate, getVersion, requireVersion, type VersionRecord } from "./store/versions.js";

export type { AliasRecord } from "./store/aliases.js";

/** Attempts of a move that keeps colliding with concurrent moves before it gives up with a 409. */
export const maxAliasAttempts = 40;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const backoff = (attempt: number) => sleep(Math.random() * Math.min(200, 5 * 2 ** Math.min(attempt, 6)));

/** Points `alias` at `version` (moving it from the version it pointed to). */
export async function setAlias(model: string, alias: string, version: string, actor: Actor): Promise<AliasRecord & { previousVersion: string | null }> {
  for (let attempt = 1; ; attempt++) {
    await requireVersion(model, version);
    const current = await getAlias(model, alias);
    if (current?.version === version) return { ...current, previousVersion: version };
    const now = new Date().toISOString();
    const next: AliasRecord = { model, alias, version, updatedAt: now, updatedBy: actor.caller, revision: (current?.revision ?? 0) + 1 };
    const items: TransactItem[] = [
      aliasPut(next, current),
      aliasSetUpdate(model, version, "ADD", alias),
      historyPut({ event: "alias", model, version, from: current?.version ?? null, to: version, actor: actor.caller, reason: null, requestId: actor.requestId, details: { alias, previousVersion: current?.version ?? null } }, now),
    ];
    if (current) items.push(aliasSetUpdate(model, current.version, "DELETE", alias));
    const codes = await transact(items);
    if (!codes) {
      await recordAudit({
        type: "model.alias_moved",
        actor: actor.caller,
        model,
        version,
        target: `models/${model}/aliases/${alias}`,
        before: current ? { version: current.version } : null,
        after: { version },
        requestId: actor.requestId,
      });
      return { ...next, previousVersion: current?.version ?? null };
    }
    if (codes[1] === "ConditionalCheckFailed" && !(await getVersion(model, version))) throw new NotFoundError(`version ${version} of model ${model} does not exist`);
    if (attempt >= maxAliasAttempts) throw new ConflictError(`alias ${alias} of model ${model} kept changing concurrently (${attempt} attempts); retry`);
    await backoff(attempt);
  }
}

/** The version an alias points to, with its fields. */
export async function getAliasedVersion(model: string, alias: string): Promise<VersionRecord & { alias: string; aliasUpdatedAt: string; aliasUpdatedBy: string }> {
  const found = await getAlias(model, alias);
  if (!found) {
    await requireModel(model);
    throw new NotFoundError(`model ${model} has no alias ${alias}`);
  }
  const v = await requireVersion(model, found.version);
  return { ...v, alias, aliasUpdatedAt: found.updatedAt, aliasUpdatedBy: found.updatedBy };
}

/** Removes an alias; the version stays. */
export async function deleteAlias(model: string, alias: string, actor: Actor): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const current = await getAlias(model, alias);
    if (!current) {
      await requireModel(model);
      throw new NotFoundError(`model ${model} has no alias ${alias}`);
    }
    const now = new Date().toISOString();
    const codes = await transact([
      aliasDelete(current),
      aliasSetUpdate(model, current.version, "DELETE", alias),
      historyPut({ event: "alias", model, version: current.version, from: current.version, to: null, actor: actor.caller, reason: null, requestId: actor.requestId, details: { alias, removed: true } }, now),
    ]);
    if (!codes) {
      await recordAudit({ type: "model.alias_deleted", actor: actor.caller, model, version: current.version, target: `models/${model}/aliases/${alias}`, before: { version: current.version }, after: null, requestId: actor.requestId });
      return;
    }
    if (attempt >= maxAliasAttempts) throw new ConflictError(`alias ${alias} of model ${model} kept changing concurrently (${attempt} attempts); retry`);
    await backoff(attempt);
  }
}
