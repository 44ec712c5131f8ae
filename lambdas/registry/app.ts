/**
 * The registry service's app: binds the handlers of routes/*.ts (and `GET /health`) to the registry's
 * contract (contract.ts).
 */
import { createRoutes, hostApp } from "../shared/http.js";
import { checkHealth } from "../shared/health.js";
import { registryContract } from "./contract.js";
import { addArtifactRoutes } from "./routes/artifacts.js";
import { addDatasetRoutes } from "./routes/datasets.js";
import { addDeploymentRoutes } from "./routes/deployments.js";
import { addLifecycleRoutes } from "./routes/lifecycle.js";
import { addVersionRoutes } from "./routes/versions.js";

/** The registry's route collection (mounted by the Lambda host below and by the local server). */
export const registryRoutes = createRoutes();

registryRoutes.openapi(
  registryContract.routes.health,
  async (c) => {
    const report = await checkHealth();
    return report.status === "ok" ? c.json(report, 200) : c.json(report, 503);
  },
);

addVersionRoutes(registryRoutes);
addArtifactRoutes(registryRoutes);
addLifecycleRoutes(registryRoutes);
addDeploymentRoutes(registryRoutes);
addDatasetRoutes(registryRoutes);

/** The registry Lambda's app. */
export const app = hostApp("registry", registryRoutes);
