/**
 * Small helpers shared by the registry's route modules.
 */
import type { Context } from "hono";
import type { AppEnv } from "../../shared/http.js";
import type { Actor } from "../../shared/actor.js";

/** The caller and request id of a request, for history and audit. */
export function actorOf(c: Context<AppEnv>): Actor {
  return { caller: c.get("caller"), requestId: c.get("requestId") };
}

/** Default and largest page size of every listing. */
export const pageSize = { fallback: 25, max: 100 } as const;
