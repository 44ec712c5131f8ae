import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestStack, type TestStack } from "../stack.js";
import { injectFault } from "../faults.js";
import { dynamoClient, logsClient } from "../../../lambdas/shared/aws.js";
import { putObject } from "../registry/helpers.js";

/**
 * No prediction payloads or feature values in the logs: every log line the services write at the most
 * verbose level while serving predictions, actuals, features and drift records — successful, refused and
 * failing requests alike, including the audit fallback — is searched for the values that were sent.
 */
describe("logs carry no request payloads", () => {
  let stack: TestStack;
  beforeAll(async () => {
    // Every logger this file creates logs at DEBUG, the most verbose level.
    process.env.POWERTOOLS_LOG_LEVEL = "DEBUG";
    stack = await createTestStack("privacy");
    const artifact = await putObject(stack, "external/private.bin", "weights");
    const reg = await stack.call("POST", "/models/private/versions", { version: "1.0.0", artifactUri: artifact.uri, primaryMetric: "rmse", direction: "lower", metrics: { rmse: 1 } });
    expect(reg.status).toBe(201);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Runs `act` and returns everything written to stdout and stderr meanwhile. */
  async function captureLogs(act: () => Promise<void>): Promise<string> {
    const chunks: string[] = [];
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, "write").mockImplementation((chunk: any) => {
        chunks.push(String(chunk));
        return true;
      });
    }
    try {
      await act();
    } finally {
      vi.restoreAllMocks();
    }
    return chunks.join("");
  }

  // Values no log line may contain: numbers and strings that only the request bodies carry.
  const secretNumbers = [987654.321, 876543.219, 765432.198];
  const secretText = "SENTINEL-customer-postcode-SW1A";
  const rows = (n: number) => Array.from({ length: n }, (_, i) => secretNumbers[i % 3] + i);

  it("logs requests, refusals and failures without prediction, actual or feature values", async () => {
    // Act
    const logs = await captureLogs(async () => {
      const statuses: number[] = [];
      const post = async (path: string, body: unknown) => statuses.push((await stack.call("POST", path, body)).status);
      await post("/models/private/versions/1.0.0/batches", { task: "regression", predictions: rows(30), actuals: rows(30).map((x) => x + 1), features: { postcode: Array(30).fill(secretText) } });
      await post("/models/private/versions/1.0.0/predictions", { task: "regression", records: rows(10).map((p, i) => ({ id: `p-${i}`, prediction: p, features: { postcode: secretText, income: p } })) });
      await post("/models/private/ground-truth", { records: rows(10).map((a, i) => ({ id: `p-${i}`, actual: a + 2 })) });
      await post("/models/private/drift-checks", { records: rows(40).map((x) => ({ income: x, postcode: secretText })) });
      await post("/models/private/versions/1.0.0/batches", { task: "regression", predictions: [secretText], actuals: [secretNumbers[0]] });
      // A failure inside the service (error log with stack) and a failed audit write (entries logged in full).
      const fault = injectFault(dynamoClient(), /^PutItemCommand$|^PutCommand$|^TransactWrite/); // failing until removed
      await post("/models/private/versions/1.0.0/batches", { task: "regression", predictions: rows(20), actuals: rows(20) });
      fault.remove();
      const auditFault = injectFault(logsClient(), /^PutLogEvents/);
      await post("/models/private/versions/1.0.0/batches", { task: "regression", predictions: rows(20), actuals: rows(20) });
      auditFault.remove();
      expect(statuses).toEqual([201, 201, 200, expect.any(Number), 400, 503, 201]);
    });
    // Assess: the logs are there (so the search means something), and none of the sent values is in them
    const lines = logs.split("\n").filter((l) => l.startsWith("{"));
    expect(lines.filter((l) => l.includes('"message":"request"')).length).toBeGreaterThanOrEqual(7);
    expect(lines.some((l) => l.includes('"level":"ERROR"') && l.includes("stack"))).toBe(true);
    expect(lines.some((l) => l.includes("audit write failed"))).toBe(true);
    for (const n of secretNumbers) expect(logs).not.toContain(String(n).slice(0, 6));
    expect(logs).not.toContain(secretText);
  });
});
