/**
 * What the model shows agrees with what the registry will do, against the emulator: a deleted version's
 * number is never registered again (tombstone, 409 VERSION_NUMBER_RETIRED, explicit or counted);
 * `highestVersion` names only versions whose registration committed; `rollbackTarget` names the version a
 * rollback restores, skipping the ones it would refuse, and is null exactly when the rollback refuses.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { dynamoClient } from "../../../lambdas/shared/aws.js";
import { injectFault, type InjectedFault } from "../faults.js";
import { createTestStack, type TestStack } from "../stack.js";
import { promote, register } from "./helpers.js";

describe("registry: retired numbers, highestVersion, rollbackTarget", () => {
  let stack: TestStack;
  let fault: InjectedFault | undefined;
  beforeAll(async () => {
    stack = await createTestStack("reg-numbers");
  });
  afterEach(() => {
    fault?.remove();
    fault = undefined;
  });

  it("a deleted number is refused with VERSION_NUMBER_RETIRED, explicit or counted, and other numbers still register", async () => {
    // Prepare
    await register(stack, "tomb", { version: "1.0.0" });
    await register(stack, "tomb", { version: "1.1.0" });
    await register(stack, "tomb", { version: "2.0.0" });
    // Act
    const deletedLow = await stack.call("DELETE", "/models/tomb/versions/1.1.0");
    const deletedHigh = await stack.call("DELETE", "/models/tomb/versions/2.0.0");
    const again = await register(stack, "tomb", { version: "1.1.0" });
    const againHigh = await register(stack, "tomb", { version: "2.0.0" });
    const counted = await register(stack, "tomb");
    const neighbour = await register(stack, "tomb", { version: "1.1.1" });
    // Assess
    expect([deletedLow.status, deletedHigh.status]).toEqual([200, 200]);
    for (const refused of [again, againHigh]) {
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe("VERSION_NUMBER_RETIRED");
      expect(refused.body.error.message).toMatch(/was deleted; version numbers are never reused/);
    }
    expect(counted.status).toBe(201);
    expect(counted.body.version).toBe("2.1.0");
    expect(neighbour.status).toBe(201);
    expect((await stack.call("GET", "/models/tomb/versions/1.1.0")).status).toBe(404);
    const model = (await stack.call("GET", "/models/tomb")).body;
    expect(model).toMatchObject({ highestVersion: "2.1.0", versionCount: 3 });
  });

  it("highestVersion does not move when a counted registration fails after taking its number", async () => {
    // Prepare
    await register(stack, "burnt", { version: "1.0.0" });
    const before = (await stack.call("GET", "/models/burnt")).body.highestVersion;
    fault = injectFault(dynamoClient(), /^TransactWrite/); // failing until removed
    // Act
    const failed = await register(stack, "burnt");
    fault.remove();
    const during = (await stack.call("GET", "/models/burnt")).body;
    const next = await register(stack, "burnt");
    const after = (await stack.call("GET", "/models/burnt")).body;
    // Assess
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(before).toBe("1.0.0");
    expect(during).toMatchObject({ highestVersion: "1.0.0", versionCount: 1 });
    // The burnt number (1.1.0) is not given out again; highestVersion follows the registered one.
    expect(next.status).toBe(201);
    expect(next.body.version).toBe("1.2.0");
    expect(after).toMatchObject({ highestVersion: "1.2.0", versionCount: 2 });
    expect((await stack.call("GET", "/models/burnt/versions/1.1.0")).status).toBe(404);
  });

  it("highestVersion does not move on refused registrations (retired number, existing number, bad artifact)", async () => {
    // Prepare
    await register(stack, "refused", { version: "3.0.0" });
    await register(stack, "refused", { version: "3.1.0" });
    await stack.call("DELETE", "/models/refused/versions/3.1.0");
    // Act
    const answers = [
      await register(stack, "refused", { version: "3.1.0" }),
      await register(stack, "refused", { version: "3.0.0" }),
      await stack.call("POST", "/models/refused/versions", { version: "9.0.0", artifactUri: `s3://${stack.names.bucket}/missing/object.bin` }),
    ];
    // Assess
    expect(answers.map((a) => a.status)).toEqual([409, 409, 422]);
    expect((await stack.call("GET", "/models/refused")).body.highestVersion).toBe("3.1.0");
  });

  it("rollbackTarget names what rollback restores, skipping deleted entries, and is null when rollback refuses", async () => {
    // Prepare: production history 1.0.0 → 1.1.0 → 1.2.0 → 1.3.0 (current).
    for (const v of ["1.0.0", "1.1.0", "1.2.0", "1.3.0"]) {
      await register(stack, "rb", { version: v, stage: "staging", metrics: { auc: 0.9 } });
      await promote(stack, "rb", v, "production");
    }
    const first = (await stack.call("GET", "/models/rb")).body.rollbackTarget;
    // Act: the version a rollback would restore is deleted; then the next one too.
    await stack.call("DELETE", "/models/rb/versions/1.2.0");
    const afterOneDelete = (await stack.call("GET", "/models/rb")).body.rollbackTarget;
    await stack.call("DELETE", "/models/rb/versions/1.1.0");
    const afterTwoDeletes = (await stack.call("GET", "/models/rb")).body.rollbackTarget;
    const rollback = await stack.call("POST", "/models/rb/rollback", { reason: "bad release" });
    const afterRollback = (await stack.call("GET", "/models/rb")).body;
    const refused = await stack.call("POST", "/models/rb/rollback", { reason: "again" });
    // Assess
    expect(first).toBe("1.2.0");
    expect(afterOneDelete).toBe("1.1.0");
    expect(afterTwoDeletes).toBe("1.0.0");
    expect(rollback.status).toBe(200);
    expect(rollback.body).toMatchObject({ productionVersion: afterTwoDeletes, skipped: ["1.2.0", "1.1.0"] });
    expect(afterRollback).toMatchObject({ productionVersion: "1.0.0", rollbackTarget: null });
    expect(refused.status).toBe(409);
  });

  it("rollbackTarget is null for a model whose only previous production version was deleted, and rollback refuses", async () => {
    // Prepare
    for (const v of ["1.0.0", "1.1.0"]) {
      await register(stack, "rbnone", { version: v, stage: "staging", metrics: { auc: 0.9 } });
      await promote(stack, "rbnone", v, "production");
    }
    // Act
    await stack.call("DELETE", "/models/rbnone/versions/1.0.0");
    const model = (await stack.call("GET", "/models/rbnone")).body;
    const rollback = await stack.call("POST", "/models/rbnone/rollback", { reason: "r" });
    // Assess
    expect(model.rollbackTarget).toBeNull();
    expect(rollback.status).toBe(409);
    expect(rollback.body.error.message).toMatch(/1\.0\.0 were deleted/);
    // Internal attributes stay internal.
    expect(Object.keys(model)).not.toEqual(expect.arrayContaining(["allocated"]));
    expect(model).not.toHaveProperty("highestStored");
    expect(model).not.toHaveProperty("highestTaken");
  });
});
