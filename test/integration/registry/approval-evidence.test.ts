/**
 * Approvals bound to what was reviewed, against the emulator: a pending request records the artifact,
 * metrics and policy it was checked against, and deleting or archiving the version, registering its number
 * again, replacing its artifact or changing the policy's gates cancels it (state `cancelled`, the reason,
 * a `cancel_approval` history entry, a `model.promotion_cancelled` audit entry). Approving or rejecting a
 * cancelled request is 409 APPROVAL_CANCELLED, and nothing is promoted; an approval racing a delete or a
 * policy change ends one way or the other, never both.
 */
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { s3Client } from "../../../lambdas/shared/aws.js";
import { auditEntries } from "../observe.js";
import { createTestStack, type TestStack } from "../stack.js";
import { eventRelay, promote, putObject, register } from "./helpers.js";

const as = (name: string) => ({ "x-mlwatch-actor": name });

describe("registry: approvals bound to evidence", () => {
  let stack: TestStack;
  let relay: Awaited<ReturnType<typeof eventRelay>>;
  beforeAll(async () => {
    stack = await createTestStack("reg-approval-evidence");
    relay = await eventRelay(stack);
  });

  /** 1.0.0 in production, 1.1.0 (artifact at a known key) in staging, approval required for production; Alice asks. */
  async function pendingCandidate(model: string, policy: Record<string, unknown> = {}): Promise<{ approvalId: string; artifactKey: string }> {
    await register(stack, model, { version: "1.0.0", metrics: { auc: 0.86 }, stage: "staging" });
    await promote(stack, model, "1.0.0", "production");
    const artifactKey = `external/${model}/candidate.bin`;
    const artifact = await putObject(stack, artifactKey, `reviewed weights of ${model}`);
    const reg = await stack.call("POST", `/models/${model}/versions`, { version: "1.1.0", artifactUri: artifact.uri, metrics: { auc: 0.9 }, stage: "staging" });
    expect(reg.status).toBe(201);
    const put = await stack.call("PUT", `/models/${model}/promotion-policy`, { requireApproval: ["production"], gates: [{ metric: "auc", min: 0.8 }], ...policy }, as("admin"));
    expect(put.status).toBe(200);
    const asked = await stack.call("POST", `/models/${model}/versions/1.1.0/promote`, { stage: "production", reason: "better auc" }, as("alice"));
    expect(asked.status).toBe(202);
    expect(asked.body.approval.evidence).toMatchObject({ artifact: { uri: artifact.uri, sha256: artifact.sha256, sizeBytes: artifact.size }, policy: { revision: 1 } });
    return { approvalId: asked.body.approval.approvalId, artifactKey };
  }

  async function approvalOf(model: string, approvalId: string): Promise<any> {
    const page = await stack.call("GET", `/models/${model}/approvals?limit=100`);
    return page.body.items.find((a: any) => a.approvalId === approvalId);
  }

  async function cancelledAudit(model: string): Promise<any[]> {
    return (await auditEntries(stack.names.auditLogGroup, '"model.promotion_cancelled"')).filter((a) => a.type === "model.promotion_cancelled" && a.model === model);
  }

  /** The request is cancelled for `reason`, approving and rejecting it are 409 APPROVAL_CANCELLED, and production did not move. */
  async function expectCancelled(model: string, approvalId: string, reason: RegExp): Promise<void> {
    const approval = await approvalOf(model, approvalId);
    expect(approval).toMatchObject({ state: "cancelled" });
    expect(approval.cancelReason).toMatch(reason);
    const approve = await stack.call("POST", `/models/${model}/versions/1.1.0/approve`, { reason: "lgtm" }, as("bob"));
    const reject = await stack.call("POST", `/models/${model}/versions/1.1.0/reject`, { reason: "no" }, as("bob"));
    for (const answer of [approve, reject]) {
      expect(answer.status).toBe(409);
      expect(answer.body.error.code).toBe("APPROVAL_CANCELLED");
      expect(answer.body.error.details).toMatchObject({ approvalId });
      expect(answer.body.error.details.reason).toMatch(reason);
    }
    expect((await stack.call("GET", `/models/${model}`)).body.productionVersion).toBe("1.0.0");
    const cancelled = await stack.call("GET", `/models/${model}/approvals?state=cancelled`);
    expect(cancelled.body.items.map((a: any) => a.approvalId)).toEqual([approvalId]);
    const audit = await cancelledAudit(model);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ version: "1.1.0", after: { approvalId, state: "cancelled" } });
    expect(audit[0].details.reason).toMatch(reason);
    const history = await stack.call("GET", `/models/${model}/history?limit=100`);
    expect(history.body.items.filter((h: any) => h.event === "cancel_approval")).toHaveLength(1);
  }

  it("the issue's reproduction: delete, re-register with other bytes, approve — nothing reaches production", async () => {
    // Prepare
    const { approvalId } = await pendingCandidate("swap");
    // Act
    const deleted = await stack.call("DELETE", "/models/swap/versions/1.1.0", undefined, as("mallory"));
    const other = await putObject(stack, "external/swap/other.bin", "never reviewed");
    const again = await stack.call("POST", "/models/swap/versions", { version: "1.1.0", artifactUri: other.uri, metrics: { auc: 0.99 }, stage: "staging" });
    // Assess
    expect(deleted.status).toBe(200);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("VERSION_NUMBER_RETIRED");
    await expectCancelled("swap", approvalId, /version 1\.1\.0 was deleted by mallory/);
  });

  it("archiving the version cancels its request in the same transaction", async () => {
    // Prepare
    const { approvalId } = await pendingCandidate("archive");
    // Act
    const archived = await stack.call("POST", "/models/archive/versions/1.1.0/promote", { stage: "archived", reason: "superseded" }, as("carol"));
    // Assess
    expect(archived.status).toBe(200);
    await expectCancelled("archive", approvalId, /moved from staging to archived \(promoted by carol: superseded\)/);
  });

  it("retention never archives a version awaiting approval, and its request stays pending", async () => {
    // Prepare
    const { approvalId } = await pendingCandidate("retained");
    // Act: keepLast 1 (retention only: the request stays valid), then newer versions.
    const put = await stack.call("PUT", "/models/retained/promotion-policy", { requireApproval: ["production"], gates: [{ metric: "auc", min: 0.8 }], retention: { keepLast: 1 } }, as("admin"));
    const newer = await register(stack, "retained", { version: "1.2.0" });
    await relay.drain();
    // Assess
    expect(put.body.cancelledApprovals).toEqual([]);
    expect(newer.body.retention).toEqual({ keepLast: 1, continuing: true });
    expect((await stack.call("GET", "/models/retained/versions/1.1.0")).body.stage).toBe("staging");
    expect((await approvalOf("retained", approvalId)).state).toBe("pending");
    const approved = await stack.call("POST", "/models/retained/versions/1.1.0/approve", { reason: "ok" }, as("bob"));
    expect(approved.status).toBe(200);
    expect(approved.body.version.stage).toBe("production");
  });

  it("an artifact replaced under the reviewed URI cancels the request at approval", async () => {
    // Prepare
    const { approvalId, artifactKey } = await pendingCandidate("bytes");
    await s3Client().send(new PutObjectCommand({ Bucket: stack.names.bucket, Key: artifactKey, Body: "swapped weights, longer than before" }));
    // Act + Assess
    const approve = await stack.call("POST", "/models/bytes/versions/1.1.0/approve", { reason: "lgtm" }, as("bob"));
    expect(approve.status).toBe(409);
    expect(approve.body.error.code).toBe("APPROVAL_CANCELLED");
    await expectCancelled("bytes", approvalId, /the artifact object s3:\/\/.*candidate\.bin was replaced/);
  });

  it("an uploaded artifact re-uploaded after the request cancels it", async () => {
    // Prepare: a registry-owned upload, checksummed when the promotion is requested.
    await register(stack, "upload", { version: "1.0.0", metrics: { auc: 0.86 }, stage: "staging" });
    await promote(stack, "upload", "1.0.0", "production");
    const reg = await stack.call("POST", "/models/upload/versions", { version: "1.1.0", requestUpload: true, metrics: { auc: 0.9 }, stage: "staging" });
    await fetch(reg.body.upload.url, { method: "PUT", body: "reviewed upload" });
    await stack.call("PUT", "/models/upload/promotion-policy", { requireApproval: ["production"] });
    const asked = await stack.call("POST", "/models/upload/versions/1.1.0/promote", { stage: "production", reason: "r" }, as("alice"));
    expect(asked.status).toBe(202);
    expect(asked.body.approval.evidence.artifact.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Act
    const put = await fetch(reg.body.upload.url, { method: "PUT", body: "something else entirely" });
    const approve = await stack.call("POST", "/models/upload/versions/1.1.0/approve", { reason: "lgtm" }, as("bob"));
    // Assess
    expect(put.status).toBe(200);
    expect(approve.status).toBe(409);
    expect(approve.body.error.code).toBe("APPROVAL_CANCELLED");
    expect(approve.body.error.details.reason).toMatch(/artifact/);
    expect((await stack.call("GET", "/models/upload")).body.productionVersion).toBe("1.0.0");
  });

  it("changing the policy's gates cancels every pending request; changing only retention cancels none", async () => {
    // Prepare: two pending requests (1.1.0 to production, 1.2.0 to staging), then the gates change.
    const { approvalId } = await pendingCandidate("policy", { requireApproval: ["production", "staging"] });
    await register(stack, "policy", { version: "1.2.0", metrics: { auc: 0.91 }, stage: "development" });
    const second = await stack.call("POST", "/models/policy/versions/1.2.0/promote", { stage: "staging", reason: "r" }, as("alice"));
    const changed = await stack.call("PUT", "/models/policy/promotion-policy", { requireApproval: ["production", "staging"], gates: [{ metric: "auc", min: 0.85 }] }, as("admin"));
    expect(changed.body.cancelledApprovals.sort()).toEqual([approvalId, second.body.approval.approvalId].sort());
    const first = await approvalOf("policy", approvalId);
    expect(second.status).toBe(202);
    expect(first.state).toBe("cancelled");
    expect((await approvalOf("policy", second.body.approval.approvalId)).state).toBe("cancelled");
    // Ask again under revision 2, then change retention only, then the gates.
    const again = await stack.call("POST", "/models/policy/versions/1.1.0/promote", { stage: "production", reason: "again" }, as("alice"));
    // The same gates and stages, written in another order: not a change.
    const retentionOnly = await stack.call("PUT", "/models/policy/promotion-policy", { requireApproval: ["staging", "production"], gates: [{ min: 0.85, metric: "auc" }], retention: { keepLast: 50 } }, as("admin"));
    const stillPending = (await approvalOf("policy", again.body.approval.approvalId)).state;
    const gates = await stack.call("PUT", "/models/policy/promotion-policy", { requireApproval: ["staging", "production"], gates: [{ metric: "auc", min: 0.95 }] }, as("admin"));
    // Act
    const approve = await stack.call("POST", "/models/policy/versions/1.1.0/approve", { reason: "lgtm" }, as("bob"));
    // Assess
    expect(again.status).toBe(202);
    expect(again.body.approval.evidence.policy.revision).toBe(2);
    expect(retentionOnly.body).toMatchObject({ revision: 3, cancelledApprovals: [] });
    expect(stillPending).toBe("pending");
    expect(gates.body).toMatchObject({ revision: 4, cancelledApprovals: [again.body.approval.approvalId] });
    expect(approve.status).toBe(409);
    expect(approve.body.error).toMatchObject({ code: "APPROVAL_CANCELLED", details: { approvalId: again.body.approval.approvalId } });
    expect(approve.body.error.details.reason).toMatch(/the promotion policy changed \(revision 3 to 4, by admin\)/);
    expect((await stack.call("GET", "/models/policy")).body.productionVersion).toBe("1.0.0");
    expect((await cancelledAudit("policy")).length).toBe(3);
  });

  it("a request that still holds is approved, and its evidence is kept on the decided request", async () => {
    // Prepare
    const { approvalId } = await pendingCandidate("holds");
    // Act
    const approve = await stack.call("POST", "/models/holds/versions/1.1.0/approve", { reason: "lgtm" }, as("bob"));
    // Assess
    expect(approve.status).toBe(200);
    expect(approve.body.version.stage).toBe("production");
    const approval = await approvalOf("holds", approvalId);
    expect(approval).toMatchObject({ state: "approved", decidedBy: "bob" });
    expect(approval.evidence.metricsSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await cancelledAudit("holds")).toEqual([]);
  });

  it.each([1, 2, 3, 4])("approve racing a delete (run %i): one wins, the other is refused, and the records agree", async (run) => {
    // Prepare: approval needed for staging, so an approved version may still be deleted afterwards.
    const model = `race-delete-${run}`;
    await register(stack, model, { version: "1.0.0", metrics: { auc: 0.9 } });
    await stack.call("PUT", `/models/${model}/promotion-policy`, { requireApproval: ["staging"] });
    const asked = await stack.call("POST", `/models/${model}/versions/1.0.0/promote`, { stage: "staging", reason: "r" }, as("alice"));
    expect(asked.status).toBe(202);
    // Act
    const [approve, del] = await Promise.all([
      stack.call("POST", `/models/${model}/versions/1.0.0/approve`, { reason: "ok" }, as("bob")),
      stack.call("DELETE", `/models/${model}/versions/1.0.0`, undefined, as("mallory")),
    ]);
    // Assess
    const approval = await approvalOf(model, asked.body.approval.approvalId);
    const history = (await stack.call("GET", `/models/${model}/history?limit=100`)).body.items.map((h: any) => h.event);
    if (approve.status === 200) {
      expect(approval.state).toBe("approved");
      expect(history).toContain("approve");
      expect(history).not.toContain("cancel_approval");
      // The delete either came after the approval (200) or collided with it (409): never a cancellation.
      expect([200, 409]).toContain(del.status);
    } else {
      expect(del.status).toBe(200);
      expect(approve.status).toBe(409);
      expect(["APPROVAL_CANCELLED", "CONFLICT"]).toContain(approve.body.error.code);
      expect(approval).toMatchObject({ state: "cancelled" });
      expect(history).toContain("cancel_approval");
      expect(history).not.toContain("approve");
    }
    const staged = await stack.call("GET", `/models/${model}/versions/1.0.0`);
    expect(staged.status === 404 || staged.body.stage === "staging").toBe(true);
  });

  it.each([1, 2, 3])("approve racing a change of gates (run %i): promoted under the old policy, or cancelled — never both", async (run) => {
    // Prepare
    const model = `race-policy-${run}`;
    const { approvalId } = await pendingCandidate(model);
    // Act
    const [approve, put] = await Promise.all([
      stack.call("POST", `/models/${model}/versions/1.1.0/approve`, { reason: "ok" }, as("bob")),
      stack.call("PUT", `/models/${model}/promotion-policy`, { requireApproval: ["production"], gates: [{ metric: "auc", min: 0.95 }] }, as("admin")),
    ]);
    // Assess
    expect(put.status).toBe(200);
    const approval = await approvalOf(model, approvalId);
    const production = (await stack.call("GET", `/models/${model}`)).body.productionVersion;
    if (approve.status === 200) {
      expect(approval.state).toBe("approved");
      expect(production).toBe("1.1.0");
      expect(put.body.cancelledApprovals).toEqual([]);
    } else {
      expect(approve.status).toBe(409);
      expect(approval.state).toBe("cancelled");
      expect(production).toBe("1.0.0");
    }
  });
});
