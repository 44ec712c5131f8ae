/**
 * Deployment routes: record where and when a version was deployed, list a model's deployments.
 */
import { createRoute } from "@hono/zod-openapi";
import { intQuery, type Routes } from "../../shared/http.js";
import { listDeployments, recordDeployment } from "../deployments.js";
import { deploymentBody, errorAnswer, jsonAnswer, modelParams, nameSchema, pageQuery, semverSchema, versionParams } from "../schemas.js";
import { requireModel } from "../store.js";
import { actorOf, pageSize } from "./context.js";

const tags = ["deployments"];

/** Adds the deployment routes. */
export function addDeploymentRoutes(routes: Routes): void {
  routes.openapi(
    createRoute({
      method: "post",
      path: "/models/{model}/versions/{version}/deployments",
      tags,
      summary: "Record a deployment of a version to an endpoint",
      request: { params: versionParams, body: { required: true, content: { "application/json": { schema: deploymentBody } } } },
      responses: { 201: jsonAnswer("the deployment record"), 400: errorAnswer("invalid body"), 404: errorAnswer("no such model or version") },
    }),
    async (c) => {
      const { model, version } = c.req.valid("param");
      return c.json(await recordDeployment(model, version, c.req.valid("json"), actorOf(c)), 201);
    },
  );

  routes.openapi(
    createRoute({
      method: "get",
      path: "/models/{model}/deployments",
      tags,
      summary: "Deployments of a model, newest first (filters apply within each page)",
      request: { params: modelParams, query: pageQuery.extend({ version: semverSchema.optional(), environment: nameSchema.optional() }) },
      responses: { 200: jsonAnswer("`{ items, nextToken }`"), 404: errorAnswer("no such model") },
    }),
    async (c) => {
      const { model } = c.req.valid("param");
      const q = c.req.valid("query");
      const limit = intQuery(q.limit, "limit", pageSize.fallback, pageSize.max);
      await requireModel(model);
      return c.json(await listDeployments(model, limit, q.nextToken, { version: q.version, environment: q.environment }), 200);
    },
  );
}

