/**
 * Deployment routes: record where and when a version was deployed, list a model's deployments.
 */
import { intQuery, type Routes } from "../../shared/http.js";
import { listDeployments, recordDeployment } from "../deployments.js";
import { registryContract } from "../contract.js";
import { requireModel } from "../store/models.js";
import { actorOf, pageSize } from "./context.js";

/** Adds the deployment routes. */
export function addDeploymentRoutes(routes: Routes): void {
  routes.openapi(
    registryContract.routes.recordDeployment,
    async (c) => {
      const { model, version } = c.req.valid("param");
      return c.json(await recordDeployment(model, version, c.req.valid("json"), actorOf(c)), 201);
    },
  );

  routes.openapi(
    registryContract.routes.listDeployments,
    async (c) => {
      const { model } = c.req.valid("param");
      const q = c.req.valid("query");
      const limit = intQuery(q.limit, "limit", pageSize.fallback, pageSize.max);
      await requireModel(model);
      return c.json(await listDeployments(model, limit, q.nextToken, { version: q.version, environment: q.environment }), 200);
    },
  );
}

