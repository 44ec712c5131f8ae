import { expect } from "vitest";
import type { TestStack } from "../stack.js";

/** Polls a GET until `done(body)` or the timeout, returning the last answer. */
export async function pollUntil(stack: TestStack, path: string, done: (body: any) => boolean, timeoutMs = 30_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await stack.call("GET", path);
    expect(res.status).toBe(200);
    if (done(res.body) || Date.now() > deadline) return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits for an S3-built baseline to leave `building`. */
export async function waitForBaseline(stack: TestStack, model: string, baselineId: string): Promise<any> {
  return pollUntil(stack, `/models/${model}/baselines/${baselineId}`, (b) => b.status !== "building");
}

/** Waits for an async check to complete or fail. */
export async function waitForCheck(stack: TestStack, model: string, checkId: string): Promise<any> {
  return pollUntil(stack, `/models/${model}/drift-checks/${checkId}`, (b) => b.status === "completed" || b.status === "failed");
}
