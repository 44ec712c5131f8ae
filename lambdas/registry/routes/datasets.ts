/**
 * Dataset lineage routes: register a dataset version (content-addressed), read it, follow its lineage,
 * compare two versions' schemas and sizes.
 */
import { intQuery, type Routes } from "../../shared/http.js";
import { compareDatasetVersions, datasetLineage, registerDatasetVersion } from "../datasets.js";
import { listDatasetVersions, requireDatasetVersion } from "../store/datasets.js";
import { registryContract } from "../contract.js";
import { actorOf, pageSize } from "./context.js";

/** Adds the dataset routes. */
export function addDatasetRoutes(routes: Routes): void {
  routes.openapi(
    registryContract.routes.registerDatasetVersion,
    async (c) => {
      const { name } = c.req.valid("param");
      const { record, created } = await registerDatasetVersion(name, c.req.valid("json"), actorOf(c));
      c.header("location", `/datasets/${name}/versions/${record.version}`);
      return created ? c.json(record, 201) : c.json(record, 200);
    },
  );

  routes.openapi(
    registryContract.routes.listDatasetVersions,
    async (c) => {
      const { name } = c.req.valid("param");
      const q = c.req.valid("query");
      return c.json(await listDatasetVersions(name, intQuery(q.limit, "limit", pageSize.fallback, pageSize.max), q.nextToken), 200);
    },
  );

  routes.openapi(
    registryContract.routes.getDatasetVersion,
    async (c) => {
      const { name, version } = c.req.valid("param");
      return c.json(await requireDatasetVersion(name, version), 200);
    },
  );

  routes.openapi(
    registryContract.routes.getDatasetLineage,
    async (c) => {
      const { name, version } = c.req.valid("param");
      const { chain, truncated } = await datasetLineage(name, version);
      return c.json({ name, version, depth: chain.length, truncated, chain }, 200);
    },
  );

  routes.openapi(
    registryContract.routes.compareDatasetVersions,
    async (c) => {
      const { name } = c.req.valid("param");
      const q = c.req.valid("query");
      return c.json(await compareDatasetVersions(name, q.from, q.to), 200);
    },
  );
}
