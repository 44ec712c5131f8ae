#!/usr/bin/env node
/**
 * `npm run package`: writes dist-packages/ with the installable packages —
 *   mlwatch-client-<v>.tgz          @mlwatch/client, the TypeScript client (scripts/package-client.mjs)
 *   mlwatch-<v>-py3-none-any.whl    the Python client (scripts/package-python.mjs)
 *   mlwatch-cdk-<v>.tgz             @mlwatch/cdk, the MlwatchMonitoring construct (scripts/package-cdk.mjs)
 * No network. A packager whose script is absent is reported and skipped (never silently); any packager that
 * fails makes the whole command fail.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "dist-packages");
mkdirSync(out, { recursive: true });
let failed = 0;
for (const script of ["package-client.mjs", "package-python.mjs", "package-cdk.mjs"]) {
  const path = join(root, "scripts", script);
  if (!existsSync(path)) {
    console.error(`package: scripts/${script} is missing; skipped`);
    continue;
  }
  const run = spawnSync(process.execPath, [path, "--out", out], { stdio: "inherit" });
  if (run.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
