/**
 * The lifecycle of a model version: `development → staging → production`, any stage except production
 * → `archived`. A production version leaves production only when another version replaces it (promotion
 * or rollback), so once a model has a production version it always has exactly one.
 * Rollback (archived → production) is its own operation, not a promotion.
 */
import { ConflictError } from "../errors.js";

/** Every stage a version can be in. */
export const Stage = {
  development: "development",
  staging: "staging",
  production: "production",
  archived: "archived",
} as const;
export type Stage = (typeof Stage)[keyof typeof Stage];

/** All stages, in lifecycle order. */
export const stages: readonly Stage[] = [Stage.development, Stage.staging, Stage.production, Stage.archived];

/** Stages a version may be registered in. */
export const registrationStages: readonly Stage[] = [Stage.development, Stage.staging];

const allowed: Record<Stage, readonly Stage[]> = {
  development: [Stage.staging, Stage.archived],
  staging: [Stage.production, Stage.archived],
  production: [],
  archived: [],
};

/** True when `from → to` is a promotion the lifecycle allows. */
export function canTransition(from: Stage, to: Stage): boolean {
  return allowed[from].includes(to);
}

/**
 * Checks a promotion `from → to` of `version`.
 * @throws ConflictError explaining the rule when the transition is not allowed.
 */
export function assertTransition(version: string, from: Stage, to: Stage): void {
  if (canTransition(from, to)) return;
  if (from === to) throw new ConflictError(`version ${version} is already in ${to}`);
  if (from === Stage.production) {
    throw new ConflictError(
      `version ${version} is in production; it leaves production only when another version is promoted or the model is rolled back`,
    );
  }
  if (from === Stage.archived) {
    throw new ConflictError(`version ${version} is archived; an archived version returns to production only through POST /models/{model}/rollback`);
  }
  const next = allowed[from].filter((s) => s !== Stage.archived)[0];
  throw new ConflictError(`cannot promote version ${version} from ${from} to ${to}: a ${from} version moves to ${next} (or archived) first`);
}
