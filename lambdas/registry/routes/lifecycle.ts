/**
 * Lifecycle routes: promote a version (with the production gate) and roll a model back.
 */
import { createRoute } from "@hono/zod-openapi";
import type { Stage } from "../../core/lifecycle/stages.js";
import type { Routes } from "../../shared/http.js";
import { promoteVersion, rollbackModel } from "../lifecycle.js";
import { answer, errorAnswer, modelParams, promoteBody, promotionSchema, rollbackBody, rollbackResultSchema, versionParams } from "../schemas.js";
import { actorOf } from "./context.js";

const tags = ["lifecycle"];

/** Adds the promote and rollback routes. */
export function addLifecycleRoutes(routes: Routes): void {
  routes.openapi(
    createRoute({
      method: "post",
      path: "/models/{model}/versions/{version}/promote",
      tags,
      summary: "development → staging → production (gate: primary metric no worse than production's), any but production → archived",
      request: { params: versionParams, body: { required: true, content: { "application/json": { schema: promoteBody } } } },
      responses: {
        200: answer(promotionSchema, "the promoted version, its stages, the version it archived and the gate"),
        400: errorAnswer("invalid body"),
        404: errorAnswer("no such model or version"),
        409: errorAnswer("illegal transition, gate failed, artifact not uploaded, or a concurrent change (retry)"),
      },
    }),
    async (c) => {
      const { model, version } = c.req.valid("param");
      const body = c.req.valid("json");
      return c.json(await promoteVersion(model, version, body.stage as Stage, body.reason, body.force === true, actorOf(c)), 200);
    },
  );

  routes.openapi(
    createRoute({
      method: "post",
      path: "/models/{model}/rollback",
      tags,
      summary: "Make the previous production version production again (the current one is archived)",
      request: { params: modelParams, body: { required: true, content: { "application/json": { schema: rollbackBody } } } },
      responses: {
        200: answer(rollbackResultSchema, "the restored production version, the archived one and the skipped ones"),
        404: errorAnswer("no such model"),
        409: errorAnswer("no previous production version, or a concurrent change (retry)"),
      },
    }),
    async (c) => {
      const { model } = c.req.valid("param");
      return c.json(await rollbackModel(model, c.req.valid("json").reason, actorOf(c)), 200);
    },
  );
}
