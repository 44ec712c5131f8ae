/**
 * Starts one emulator per integration worker, each on a random free loopback port, and hands the list to
 * every test file (`emulatorEndpoint()` in ./emulator.ts picks the worker's own). Files run in parallel,
 * one per worker; a worker's files run one after another against its emulator, so nothing a file leaves
 * in the emulator (EventBridge rules on the default bus, relay queues, metrics) is seen by a file running
 * at the same time. A missing emulator fails the run.
 */
import type { TestProject } from "vitest/node";
import { startEmulator, type Emulator } from "../../lambdas/local/emulator.js";

const emulators: Emulator[] = [];

export async function setup(project: TestProject): Promise<void> {
  const external = process.env.MLWATCH_TEST_ENDPOINT;
  if (external) {
    project.provide("emulatorEndpoints", [external]);
    return;
  }
  const workers = Math.max(1, Number(project.config.maxWorkers ?? project.vitest.config.maxWorkers ?? 1));
  // Several emulators start at once on 2 cores; a loaded machine can take past the server's 20 s default.
  const started = await Promise.allSettled(
    Array.from({ length: workers }, () => startEmulator({ startTimeoutMs: 90_000 })),
  );
  for (const s of started) if (s.status === "fulfilled") emulators.push(s.value);
  const failure = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failure) {
    await teardown();
    throw failure.reason;
  }
  project.provide(
    "emulatorEndpoints",
    emulators.map((e) => e.endpoint),
  );
}

export async function teardown(): Promise<void> {
  await Promise.all(emulators.splice(0).map((e) => e.stop()));
}

declare module "vitest" {
  export interface ProvidedContext {
    /** One emulator endpoint per worker (`emulatorEndpoint()` picks this worker's). */
    emulatorEndpoints: string[];
  }
}
