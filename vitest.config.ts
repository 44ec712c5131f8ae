import { defineConfig } from "vitest/config";
import { LongestFirstSequencer } from "./test/sequencer.js";

/**
 * Three test layers, run and reported separately by `npm test` (scripts/test.mjs):
 * unit (pure logic), infra (synthesized CDK template), integration (routes against the emulator).
 */
export default defineConfig({
  test: {
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", POWERTOOLS_LOG_LEVEL: "SILENT" },
    // The longest files first (test/durations.json), so a slow file does not start last and run alone.
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          environment: "node",
          // vitest's default on 2 cores is one worker (cores − 1); the unit files are CPU-bound and independent.
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
          // CPU-bound tests (property tests, seeded simulations) run ten times slower on a loaded 2-core machine
          // than alone: 60 s holds there and still fails a test that hangs.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "infra",
          include: ["test/infra/**/*.test.ts"],
          environment: "node",
          // One module graph per worker, not per file: synth.ts memoises each synthesized stack, so the
          // default stack is synthesized once per worker instead of once per file (the files only read it).
          isolate: false,
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts", "test/e2e/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/integration/global-setup.ts"],
          // Files in parallel, each worker with its own emulator (global-setup.ts): the files wait on the
          // emulator most of the time, so three workers keep two cores busy.
          maxWorkers: 3,
          sequence: { groupOrder: 2 },
          // Three files at once on a 2-core machine that may be running other work too: a test that takes
          // 20 s alone has been seen to take 60 s there. 180 s holds, and still fails a test that hangs.
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
