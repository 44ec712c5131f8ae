/**
 * The typed client's batch deletion and audit paging against the local server: `deleteBatch` removes a
 * batch and `listAudit` pages with `{ items, nextToken }` like every other listing.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MlwatchApiError, MlwatchClient } from "mlwatch";
import { startLocalServer, type LocalServer } from "../../../lambdas/local/server.js";
import { emulatorEndpoint } from "../emulator.js";

let server: LocalServer;
let client: MlwatchClient;

beforeAll(async () => {
  server = await startLocalServer({ port: 0, endpoint: emulatorEndpoint(), prefix: `client-ba-${randomBytes(4).toString("hex")}` });
  client = new MlwatchClient({ endpoint: server.url, retryBaseMs: 10 });
});

afterAll(async () => {
  await server?.close();
});

describe("MlwatchClient: deleteBatch and listAudit", () => {
  it("deletes a recorded batch; a second delete is a typed 404", async () => {
    const model = `b${randomBytes(3).toString("hex")}`;
    await client.registerVersion(model, { requestUpload: true, version: "1.0.0", primaryMetric: "rmse", direction: "lower" });
    const batch = (await client.recordBatch(model, "1.0.0", { task: "regression", predictions: [1, 2, 3], actuals: [1, 2, 4] })) as { batchId: string };
    const deleted = await client.deleteBatch(model, "1.0.0", batch.batchId);
    expect(deleted).toMatchObject({ batchId: batch.batchId, deleted: true, taskReleased: true });
    const again = await client.deleteBatch(model, "1.0.0", batch.batchId).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(MlwatchApiError);
    expect((again as MlwatchApiError).status).toBe(404);
  });

  it("pages the audit trail with items and nextToken, null on the last page", async () => {
    const model = `a${randomBytes(3).toString("hex")}`;
    for (let i = 0; i < 3; i++) await client.request("POST", "/events", { body: { type: "training_completed", model, details: { i } } });
    const first = await client.listAudit({ model, limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(typeof first.nextToken).toBe("string");
    const second = await client.listAudit({ model, limit: 2, nextToken: first.nextToken! });
    expect(second.items).toHaveLength(1);
    expect(second.nextToken).toBeNull();
    expect([...first.items, ...second.items].map((e) => (e.details as { i: number }).i)).toEqual([2, 1, 0]);
  });
});
