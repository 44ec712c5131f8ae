/**
 * Dataset lineage routes: register a dataset version (content-addressed), read it, follow its lineage,
 * compare two versions' schemas and sizes.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { intQuery, type Routes } from "../../shared/http.js";
import { compareDatasetVersions, datasetLineage, listDatasetVersions, registerDatasetVersion, requireDatasetVersion } from "../dataset-store.js";
import { datasetBody, datasetParams, datasetVersionParams, errorAnswer, jsonAnswer, pageQuery } from "../schemas.js";
import { actorOf, pageSize } from "./context.js";

const tags = ["datasets"];
const ref = z.string().regex(/^([A-Za-z0-9][A-Za-z0-9._-]{0,127}@)?[a-f0-9]{16}$/, "must be a dataset version id, or name@versionId");

/** Adds the dataset routes. */
export function addDatasetRoutes(routes: Routes): void {
  routes.openapi(
    createRoute({
      method: "post",
      path: "/datasets/{name}/versions",
      tags,
      summary: "Register a dataset version: sha256, size, row count and inferred schema (CSV, JSON Lines, Parquet)",
      request: { params: datasetParams, body: { required: true, content: { "application/json": { schema: datasetBody } } } },
      responses: {
        201: jsonAnswer("the new dataset version"),
        200: jsonAnswer("the same content was registered before: the existing version"),
        400: errorAnswer("invalid body"),
        422: errorAnswer("the object is missing, unreadable, malformed, or the parent does not exist"),
      },
    }),
    async (c) => {
      const { name } = c.req.valid("param");
      const { record, created } = await registerDatasetVersion(name, c.req.valid("json"), actorOf(c));
      c.header("location", `/datasets/${name}/versions/${record.version}`);
      return created ? c.json(record, 201) : c.json(record, 200);
    },
  );

  routes.openapi(
    createRoute({
      method: "get",
      path: "/datasets/{name}/versions",
      tags,
      summary: "Versions of a dataset, newest registration first",
      request: { params: datasetParams, query: pageQuery },
      responses: { 200: jsonAnswer("`{ items, nextToken }`") },
    }),
    async (c) => {
      const { name } = c.req.valid("param");
      const q = c.req.valid("query");
      return c.json(await listDatasetVersions(name, intQuery(q.limit, "limit", pageSize.fallback, pageSize.max), q.nextToken), 200);
    },
  );

  routes.openapi(
    createRoute({
      method: "get",
      path: "/datasets/{name}/versions/{version}",
      tags,
      summary: "One dataset version",
      request: { params: datasetVersionParams },
      responses: { 200: jsonAnswer("the dataset version"), 404: errorAnswer("no such dataset version") },
    }),
    async (c) => {
      const { name, version } = c.req.valid("param");
      return c.json(await requireDatasetVersion(name, version), 200);
    },
  );

  routes.openapi(
    createRoute({
      method: "get",
      path: "/datasets/{name}/versions/{version}/lineage",
      tags,
      summary: "The parent chain of a dataset version, from itself to its root",
      request: { params: datasetVersionParams },
      responses: { 200: jsonAnswer("`{ name, version, depth, chain, truncated }`"), 404: errorAnswer("no such dataset version") },
    }),
    async (c) => {
      const { name, version } = c.req.valid("param");
      const { chain, truncated } = await datasetLineage(name, version);
      return c.json({ name, version, depth: chain.length, truncated, chain }, 200);
    },
  );

  routes.openapi(
    createRoute({
      method: "get",
      path: "/datasets/{name}/compare",
      tags,
      summary: "Columns added and removed, type changes and row counts between two dataset versions",
      request: { params: datasetParams, query: z.object({ from: ref, to: ref }) },
      responses: { 200: jsonAnswer("the differences"), 400: errorAnswer("invalid query"), 404: errorAnswer("a version does not exist") },
    }),
    async (c) => {
      const { name } = c.req.valid("param");
      const q = c.req.valid("query");
      return c.json(await compareDatasetVersions(name, q.from, q.to), 200);
    },
  );
}
