#!/usr/bin/env node
/**
 * Builds one function's code into a folder with lib/bundles.ts's options (entry `index.mjs` + `chunks/`).
 * lib/function.ts runs it from CDK's local bundling, whose hook is synchronous while esbuild's plugins need
 * its asynchronous API: one short child process per function at synth.
 *
 *   node scripts/build-lambda.mjs <name> <outdir>
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

const [name, outdir] = process.argv.slice(2);
if (!name || !outdir) {
  console.error("usage: node scripts/build-lambda.mjs <name> <outdir>");
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
register();
const { buildLambda, lambdaEntries } = await import("../lib/bundles.ts");
if (!Object.hasOwn(lambdaEntries, name)) {
  console.error(`build-lambda: ${name} is not a function in lib/bundles.ts`);
  process.exit(2);
}
await buildLambda(name, outdir, root);
