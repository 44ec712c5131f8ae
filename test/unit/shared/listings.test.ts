/**
 * Every listing of the API answers one envelope: `{ items, nextToken }` (extra fields beside them, e.g.
 * `activeBaselineId`) and takes `limit` and `nextToken`. A listing is any GET of the OpenAPI document whose
 * path names a collection (it does not end with a path parameter or a file name) and is not one of the
 * single documents named below: a new collection route is held to the envelope unless it is added there.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const document = JSON.parse(readFileSync(new URL("../../../docs/openapi.json", import.meta.url), "utf8"));

/** GETs whose path ends in a plain word but that answer one document, not a list. */
const singleDocuments = new Set([
  "/health",
  "/models/{model}/stages/production",
  "/models/{model}/compare",
  "/models/{model}/promotion-policy",
  "/models/{model}/monitoring",
  "/models/{model}/performance",
  "/models/{model}/performance/thresholds",
  "/models/{model}/performance/compare",
  "/models/{model}/performance/ground-truth-schedule",
  "/models/{model}/versions/{version}/estimation-reference",
  "/models/{model}/retraining-policy",
  "/datasets/{name}/versions/{version}/lineage",
  "/datasets/{name}/compare",
]);

const resolve = (schema: any): any => (schema?.$ref ? document.components.schemas[schema.$ref.replace("#/components/schemas/", "")] : schema);

const listings = Object.entries<any>(document.paths)
  .filter(([path, item]) => item.get !== undefined && !/\}$|\.[a-z]+$/.test(path) && !singleDocuments.has(path))
  .map(([path, item]) => [path, item.get] as const);

describe("listing envelopes", () => {
  it("finds the listings (every collection of models, versions, checks, baselines, alerts, audit …)", () => {
    const paths = listings.map(([p]) => p);
    for (const p of ["/models", "/models/{model}/versions", "/models/{model}/baselines", "/models/{model}/drift-checks", "/models/{model}/history", "/models/{model}/deployments", "/datasets/{name}/versions", "/alerts", "/audit"]) {
      expect(paths).toContain(p);
    }
    expect(Object.keys(document.paths).filter((p) => singleDocuments.has(p))).toHaveLength(singleDocuments.size);
  });

  it.each(listings)("GET %s answers { items, nextToken } and takes limit and nextToken", (_path, op) => {
    const schema = resolve(op.responses?.["200"]?.content?.["application/json"]?.schema);
    expect(schema, "a documented 200 JSON answer").toBeDefined();
    expect(resolve(schema.properties?.items)?.type).toBe("array");
    expect(schema.required).toEqual(expect.arrayContaining(["items", "nextToken"]));
    const token = schema.properties?.nextToken;
    const tokenTypes = token?.anyOf ? token.anyOf.map((t: any) => t.type) : [token?.type].flat();
    expect(tokenTypes.sort()).toEqual(["null", "string"]);
    const query = (op.parameters ?? []).filter((p: any) => p.in === "query").map((p: any) => p.name);
    expect(query).toEqual(expect.arrayContaining(["limit", "nextToken"]));
  });
});
