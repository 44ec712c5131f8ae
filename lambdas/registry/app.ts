/**
 * The registry service's routes: model versions, lifecycle, deployments, datasets — and `GET /health`.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { createRoutes, hostApp } from "../shared/http.js";
import { checkHealth } from "../shared/health.js";
import { addDatasetRoutes } from "./routes/datasets.js";
import { addDeploymentRoutes } from "./routes/deployments.js";
import { addLifecycleRoutes } from "./routes/lifecycle.js";
import { addVersionRoutes } from "./routes/versions.js";

/** The registry's route collection (mounted by the Lambda host below and by the local server). */
export const registryRoutes = createRoutes();

const healthSchema = z.object({
  status: z.enum(["ok", "degraded"]),
  service: z.literal("mlwatch"),
  time: z.string(),
  dependencies: z.record(
    z.string(),
    z.object({ ok: z.boolean(), latencyMs: z.number(), resource: z.string(), error: z.string().optional() }),
  ),
});

registryRoutes.openapi(
  createRoute({
    method: "get",
    path: "/health",
    summary: "Health of the service and of each AWS dependency it reaches",
    responses: {
      200: { description: "every dependency answered", content: { "application/json": { schema: healthSchema } } },
      503: { description: "at least one dependency did not answer", content: { "application/json": { schema: healthSchema } } },
    },
  }),
  async (c) => {
    const report = await checkHealth();
    return report.status === "ok" ? c.json(report, 200) : c.json(report, 503);
  },
);

addVersionRoutes(registryRoutes);
addLifecycleRoutes(registryRoutes);
addDeploymentRoutes(registryRoutes);
addDatasetRoutes(registryRoutes);

/** The registry Lambda's app. */
export const app = hostApp("registry", registryRoutes);
