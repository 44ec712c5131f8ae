/**
 * The publisher's own checks, before any AWS call: a detail that does not match its schema is a recorded
 * failure, never sent (the emulator-backed tests cover PutEvents errors and FailedEntryCount).
 */
import { afterEach, describe, expect, it } from "vitest";
import { eventBridgeClient, resetClients } from "../../../lambdas/shared/aws.js";
import { publishEvent } from "../../../lambdas/shared/events-bus.js";
import { MlwatchEventType } from "../../../lambdas/shared/event-schemas.js";

afterEach(() => resetClients());

describe("publishEvent", () => {
  it("refuses a detail that breaks its schema without calling EventBridge, and says why", async () => {
    // Prepare
    process.env.AWS_REGION ??= "us-east-1";
    let calls = 0;
    eventBridgeClient().middlewareStack.add(
      () => async () => {
        calls++;
        throw new Error("must not be called");
      },
      { step: "initialize", name: "countCalls", priority: "high" },
    );
    // Act
    const outcome = await publishEvent(MlwatchEventType.modelPromoted, { model: "churn", version: "1.0.0", from: "staging", to: "production", actor: "", reason: "x" });
    // Assess
    expect(calls).toBe(0);
    expect(outcome).toMatchObject({ type: MlwatchEventType.modelPromoted, sent: false });
    expect(outcome.error).toMatch(/^Error: event detail does not match its schema: actor: /);
    expect(Date.parse(outcome.at)).not.toBeNaN();
  });
});
