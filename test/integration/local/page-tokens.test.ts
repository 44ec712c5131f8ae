/**
 * Page tokens are signed for their listing and scope, against the emulator: a token continues the listing
 * that issued it; the same token sent to another listing of the same model (versions, history, approvals,
 * deployments), to the same listing of another model, with another filter, altered, or in the old unsigned
 * form, is a 400 INVALID_PAGE_TOKEN — across the registry, alerts, retraining and audit listings. The key
 * is created once in the stack's table and every later token verifies with it.
 */
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { documentClient } from "../../../lambdas/shared/aws.js";
import { keys } from "../../../lambdas/shared/table.js";
import { createTestStack, type TestStack } from "../stack.js";
import { promote, register } from "../registry/helpers.js";

const alice = { "x-mlwatch-actor": "alice" };

describe("page tokens: signed per listing and scope", () => {
  let stack: TestStack;
  /** A first-page token of each listing, by name. */
  const tokens: Record<string, string> = {};

  async function firstPageToken(path: string): Promise<string> {
    const res = await stack.call("GET", path);
    expect(res.status, path).toBe(200);
    expect(res.body.nextToken, path).toEqual(expect.any(String));
    return res.body.nextToken as string;
  }

  beforeAll(async () => {
    stack = await createTestStack("page-tokens");
    // Two models with two of everything: versions, history, approvals, deployments, retraining requests, events.
    for (const model of ["alpha", "beta"]) {
      await register(stack, model, { version: "1.0.0", stage: "staging", metrics: { auc: 0.9 } });
      await register(stack, model, { version: "1.1.0", stage: "staging", metrics: { auc: 0.9 } });
      await register(stack, model, { version: "1.2.0", metrics: { auc: 0.9 } });
      await promote(stack, model, "1.0.0", "production");
      await stack.call("PUT", `/models/${model}/promotion-policy`, { requireApproval: ["production", "staging"] });
      expect((await stack.call("POST", `/models/${model}/versions/1.1.0/promote`, { stage: "production", reason: "a" }, alice)).status).toBe(202);
      expect((await stack.call("POST", `/models/${model}/versions/1.2.0/promote`, { stage: "staging", reason: "b" }, alice)).status).toBe(202);
      for (const endpointName of ["ep-a", "ep-b"]) {
        expect((await stack.call("POST", `/models/${model}/versions/1.0.0/deployments`, { endpointName, environment: "prod", region: "eu-west-1" })).status).toBe(201);
      }
      for (const reason of ["one", "two"]) expect((await stack.call("POST", `/models/${model}/retraining`, { reason })).status).toBe(202);
      for (const i of [1, 2]) expect((await stack.call("POST", "/events", { type: "custom", model, details: { i } })).status).toBe(201);
    }
    for (const note of ["first", "second"]) expect((await stack.call("POST", "/alerts/test", { note })).status).toBe(202);
    for (const model of ["alpha", "beta"]) {
      tokens[`versions:${model}`] = await firstPageToken(`/models/${model}/versions?limit=1`);
      tokens[`history:${model}`] = await firstPageToken(`/models/${model}/history?limit=1`);
      tokens[`approvals:${model}`] = await firstPageToken(`/models/${model}/approvals?limit=1`);
      tokens[`deployments:${model}`] = await firstPageToken(`/models/${model}/deployments?limit=1`);
      tokens[`retraining:${model}`] = await firstPageToken(`/models/${model}/retraining-requests?limit=1`);
      tokens[`audit:${model}`] = await firstPageToken(`/audit?model=${model}&type=event.custom&limit=1`);
    }
    tokens.alerts = await firstPageToken("/alerts?limit=1");
    tokens.models = await firstPageToken("/models?limit=1");
  });

  /** Every listing of model `alpha` (and the global ones), as a path that takes a token. */
  const listings: Record<string, (t: string) => string> = {
    "versions:alpha": (t) => `/models/alpha/versions?limit=1&nextToken=${t}`,
    "history:alpha": (t) => `/models/alpha/history?limit=1&nextToken=${t}`,
    "approvals:alpha": (t) => `/models/alpha/approvals?limit=1&nextToken=${t}`,
    "deployments:alpha": (t) => `/models/alpha/deployments?limit=1&nextToken=${t}`,
    "retraining:alpha": (t) => `/models/alpha/retraining-requests?limit=1&nextToken=${t}`,
    "audit:alpha": (t) => `/audit?model=alpha&type=event.custom&limit=1&nextToken=${t}`,
    alerts: (t) => `/alerts?limit=1&nextToken=${t}`,
    models: (t) => `/models?limit=1&nextToken=${t}`,
  };

  it("a token continues the listing that issued it", async () => {
    for (const [name, path] of Object.entries(listings)) {
      // Act
      const next = await stack.call("GET", path(tokens[name]));
      // Assess
      expect(next.status, name).toBe(200);
      expect(next.body.items.length, name).toBe(1);
    }
  });

  it("a token from any other listing, or the same listing of another model, is refused with INVALID_PAGE_TOKEN", async () => {
    for (const [target, path] of Object.entries(listings)) {
      for (const [source, token] of Object.entries(tokens)) {
        if (source === target) continue;
        // Act
        const res = await stack.call("GET", path(token));
        // Assess
        expect(res.status, `${source} → ${target}`).toBe(400);
        expect(res.body.error.code, `${source} → ${target}`).toBe("INVALID_PAGE_TOKEN");
        expect(res.body.error.message).toMatch(/^query\.nextToken: not a token issued by this listing/);
      }
    }
  });

  it("a token is bound to the listing's filters too (stage, state, version, alert filters)", async () => {
    // Prepare
    const unfiltered = tokens["approvals:alpha"];
    // Act
    const approvalsPending = await stack.call("GET", `/models/alpha/approvals?state=pending&limit=1&nextToken=${unfiltered}`);
    const deploymentsOfVersion = await stack.call("GET", `/models/alpha/deployments?version=1.0.0&limit=1&nextToken=${tokens["deployments:alpha"]}`);
    const alertsOfModel = await stack.call("GET", `/alerts?model=alpha&limit=1&nextToken=${tokens.alerts}`);
    const versionsOfStage = await stack.call("GET", `/models/alpha/versions?stage=development&limit=1&nextToken=${tokens["versions:alpha"]}`);
    // Assess
    for (const res of [approvalsPending, deploymentsOfVersion, alertsOfModel, versionsOfStage]) {
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("INVALID_PAGE_TOKEN");
    }
  });

  it("an altered token, a re-signed position and the old unsigned form are refused", async () => {
    // Prepare
    const token = tokens["versions:alpha"];
    const [payload, signature] = token.split(".");
    const position = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    const moved = Buffer.from(JSON.stringify({ ...position, sk: "VERSION#000000.000000.000000" })).toString("base64url");
    const flipped = signature.slice(0, -2) + (signature.endsWith("AA") ? "BB" : "AA");
    // Act + Assess
    for (const bad of [`${moved}.${signature}`, `${payload}.${flipped}`, payload, `${payload}.`, `${token}.x`, "abc"]) {
      const res = await stack.call("GET", listings["versions:alpha"](bad));
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code, bad).toBe("INVALID_PAGE_TOKEN");
    }
  });

  it("the signing key is stored once in the stack's table and is 32 random bytes", async () => {
    // Act
    const item = (await documentClient().send(new GetCommand({ TableName: stack.names.table, Key: keys.pageTokenKey, ConsistentRead: true }))).Item;
    // Assess
    expect(item?.type).toBe("page-token-key");
    expect(Buffer.from(item?.secret as string, "base64")).toHaveLength(32);
    // Tokens issued before and after this read still verify (one key for the stack).
    expect((await stack.call("GET", listings["history:alpha"](tokens["history:alpha"]))).status).toBe(200);
  });
});
