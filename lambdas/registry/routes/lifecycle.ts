/**
 * Lifecycle routes: promote a version (with the production gate) and roll a model back.
 */
import type { Stage } from "../../core/lifecycle/stages.js";
import type { Routes } from "../../shared/http.js";
import { promoteVersion, rollbackModel } from "../lifecycle.js";
import { registryContract } from "../contract.js";
import { actorOf } from "./context.js";

/** Adds the promote and rollback routes. */
export function addLifecycleRoutes(routes: Routes): void {
  routes.openapi(
    registryContract.routes.promote,
    async (c) => {
      const { model, version } = c.req.valid("param");
      const body = c.req.valid("json");
      return c.json(await promoteVersion(model, version, body.stage as Stage, body.reason, body.force === true, actorOf(c)), 200);
    },
  );

  routes.openapi(
    registryContract.routes.rollback,
    async (c) => {
      const { model } = c.req.valid("param");
      return c.json(await rollbackModel(model, c.req.valid("json").reason, actorOf(c)), 200);
    },
  );
}
