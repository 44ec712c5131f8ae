import { ConditionalCheckFailedException, ProvisionedThroughputExceededException } from "@aws-sdk/client-dynamodb";
import { PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { ConflictError, NotFoundError, PayloadTooLargeError, ServiceUnavailableError, ValidationError, mapError } from "../../../lambdas/shared/errors.js";
import { classifyWriteError, sendConditional, withWriteRetries, writeAttempts } from "../../../lambdas/shared/conditional-write.js";

/** A fake document client: answers each call from `script` in turn (an error to throw, or an output), counting calls. */
function fakeClient(script: ReadonlyArray<Error | Record<string, unknown>>) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    async send(): Promise<unknown> {
      const next = script[Math.min(calls++, script.length - 1)];
      if (next instanceof Error) throw next;
      return next;
    },
  };
}

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
const conditionFailed = () => new ConditionalCheckFailedException({ message: "The conditional request failed", ...meta(400) });
const throttled = () => new ProvisionedThroughputExceededException({ message: "Rate of requests exceeds the allowed throughput", ...meta(400) });
const serverError = () => Object.assign(new Error("We encountered an internal error"), { name: "InternalServerError", $fault: "server", ...meta(500) });
const unavailable = () => Object.assign(new Error("injected: unavailable"), { name: "ServiceUnavailable", $fault: "server", ...meta(503) });
const connectionReset = () => Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
const tooLarge = () => Object.assign(new Error("Item size has exceeded the maximum allowed size"), { name: "ValidationException", $fault: "client", ...meta(400) });
const emptyKey = () =>
  Object.assign(new Error("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: sk"), {
    name: "ValidationException",
    $fault: "client",
    ...meta(400),
  });
const badExpression = () => Object.assign(new Error("Invalid UpdateExpression: Syntax error; token: \"=\""), { name: "ValidationException", $fault: "client", ...meta(400) });

const put = () => new PutCommand({ TableName: "t", Item: { pk: "a", sk: "b" }, ConditionExpression: "attribute_not_exists(pk)" });
const update = () => new UpdateCommand({ TableName: "t", Key: { pk: "a", sk: "b" }, UpdateExpression: "SET x = :x", ConditionExpression: "attribute_exists(pk)", ExpressionAttributeValues: { ":x": 1 } });

describe("classifyWriteError", () => {
  it("tells a failed condition, a transient failure, a refused item and anything else apart", () => {
    expect(classifyWriteError(conditionFailed())).toBe("condition");
    for (const e of [throttled(), serverError(), unavailable(), connectionReset()]) expect(classifyWriteError(e)).toBe("retry");
    expect(classifyWriteError(Object.assign(new Error("slow down"), { name: "ThrottlingException", ...meta(400) }))).toBe("retry");
    expect(classifyWriteError(Object.assign(new Error("x"), { name: "Whatever", $retryable: { throttling: true } }))).toBe("retry");
    expect(classifyWriteError(tooLarge())).toBe("refused");
    expect(classifyWriteError(emptyKey())).toBe("refused");
    // A malformed expression is our bug: answered 500 and logged, not blamed on the caller.
    expect(classifyWriteError(badExpression())).toBe("other");
    expect(classifyWriteError(new TypeError("x is undefined"))).toBe("other");
    expect(classifyWriteError("a string")).toBe("other");
    expect(classifyWriteError(null)).toBe("other");
  });
});

describe("sendConditional", () => {
  it("answers the command's output when the write lands, first time, with one call", async () => {
    const client = fakeClient([{ Attributes: { x: 1 }, $metadata: {} }]);
    const out = await sendConditional(update(), { client });
    expect(out?.Attributes).toEqual({ x: 1 });
    expect(client.calls).toBe(1);
  });

  it("answers undefined for a failed condition when the caller gave no error, without retrying it", async () => {
    const client = fakeClient([conditionFailed(), { $metadata: {} }]);
    expect(await sendConditional(put(), { client })).toBeUndefined();
    expect(client.calls).toBe(1);
  });

  it("throws the caller's typed error for a failed condition (a conflict or a not-found), with the SDK's exception as cause", async () => {
    const conflict = sendConditional(put(), { client: fakeClient([conditionFailed()]), onConditionFailed: (cause) => new ConflictError("version 1.0.0 exists", { cause }) });
    await expect(conflict).rejects.toBeInstanceOf(ConflictError);
    await expect(conflict).rejects.toMatchObject({ status: 409, cause: expect.any(ConditionalCheckFailedException) });
    const missing = sendConditional(update(), { client: fakeClient([conditionFailed()]), onConditionFailed: () => new NotFoundError("no check c1") });
    await expect(missing).rejects.toMatchObject({ status: 404, code: "NOT_FOUND" });
  });

  it("retries throttling and server errors and lands the write when DynamoDB recovers", async () => {
    const client = fakeClient([throttled(), serverError(), { $metadata: {} }]);
    expect(await sendConditional(put(), { client })).toBeDefined();
    expect(client.calls).toBe(3);
  });

  it("answers 503 SERVICE_UNAVAILABLE after a bounded number of attempts when DynamoDB stays busy", async () => {
    for (const failure of [throttled, unavailable, connectionReset]) {
      const client = fakeClient([failure()]);
      const started = Date.now();
      const err = await sendConditional(put(), { client }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ServiceUnavailableError);
      expect(err).toMatchObject({ status: 503, code: "SERVICE_UNAVAILABLE" });
      expect((err as Error).message).toMatch(/after 4 attempts; nothing was written/);
      expect(client.calls).toBe(writeAttempts);
      // Bounded backoff: 25, 50, 100 ms at most ×1.5, well under a second.
      expect(Date.now() - started).toBeLessThan(1500);
    }
  });

  it("answers 413 for an item DynamoDB finds too large and 400 for another refused item, without retrying", async () => {
    const big = fakeClient([tooLarge()]);
    await expect(sendConditional(put(), { client: big })).rejects.toBeInstanceOf(PayloadTooLargeError);
    expect(big.calls).toBe(1);
    const empty = fakeClient([emptyKey()]);
    const err = await sendConditional(put(), { client: empty }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err).toMatchObject({ status: 400, code: "VALIDATION_ERROR" });
    expect((err as Error).message).toMatch(/refused by the table: One or more parameter values/);
    expect(empty.calls).toBe(1);
  });

  it("rethrows our own bugs untouched (answered 500 by the error mapper)", async () => {
    const bug = badExpression();
    await expect(sendConditional(update(), { client: fakeClient([bug]) })).rejects.toBe(bug);
    expect(mapError(bug, "r1").status).toBe(500);
  });
});

describe("withWriteRetries", () => {
  it("passes a failed condition through unchanged for the caller to explain", async () => {
    const cause = conditionFailed();
    await expect(withWriteRetries(() => Promise.reject(cause))).rejects.toBe(cause);
  });
});

describe("mapError of an unhandled AWS failure", () => {
  it("answers 503 for a transient SDK failure that reached the error mapper, 500 for an unknown error", () => {
    expect(mapError(throttled(), "r1")).toMatchObject({ status: 503, body: { error: { code: "SERVICE_UNAVAILABLE" } } });
    expect(mapError(unavailable(), "r2")).toMatchObject({ status: 503 });
    expect(mapError(new Error("boom"), "r3")).toMatchObject({ status: 500, body: { error: { code: "INTERNAL_ERROR" } } });
  });
});
