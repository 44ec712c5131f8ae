/**
 * The emulator of this test file's worker: global-setup.ts starts one per worker, and vitest numbers its
 * workers 1…maxWorkers (`VITEST_POOL_ID`), so two files running at the same time never share an emulator.
 */
import { inject } from "vitest";

/** This worker's emulator endpoint. */
export function emulatorEndpoint(): string {
  const endpoints = inject("emulatorEndpoints");
  const pool = Number(process.env.VITEST_POOL_ID ?? "1");
  return endpoints[(Number.isInteger(pool) && pool > 0 ? pool - 1 : 0) % endpoints.length];
}
