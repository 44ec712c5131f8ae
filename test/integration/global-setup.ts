/**
 * Starts one emulator for the whole integration run on a random free loopback port and hands its
 * endpoint to every test file (`inject("emulatorEndpoint")`). A missing emulator fails the run.
 */
import type { TestProject } from "vitest/node";
import { startEmulator, type Emulator } from "../../lambdas/local/emulator.js";

let emulator: Emulator | undefined;

export async function setup(project: TestProject): Promise<void> {
  const external = process.env.MLWATCH_TEST_ENDPOINT;
  if (external) {
    project.provide("emulatorEndpoint", external);
    return;
  }
  emulator = await startEmulator();
  project.provide("emulatorEndpoint", emulator.endpoint);
}

export async function teardown(): Promise<void> {
  await emulator?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    emulatorEndpoint: string;
  }
}
