/**
 * Lambda bundles with the AWS SDK bundled vs left to the runtime (`@aws-sdk/*` external, NodejsFunction's
 * default for Node ≥ 18): bundle size (raw and gzip) and the time a fresh Node process takes to import the
 * handler — the part of a cold start the bundle decides. Each function is built with esbuild with the
 * options lib/function.ts gives NodejsFunction; the external variant resolves `@aws-sdk/*` from our
 * node_modules (as the runtime resolves it from /var/runtime/node_modules). Medians of RUNS (default 7)
 * imports per variant, alternating.
 *
 *   npm run bench -- bundles
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { esbuildOptions, lambdaEntries } from "../lib/bundles.js";

const projectRoot = join(import.meta.dirname, "..");

const runs = Number(process.env.RUNS ?? 7);
const out = join(projectRoot, "bench", ".data", "bundles");
rmSync(out, { recursive: true, force: true });

const env = {
  ...process.env,
  AWS_REGION: "eu-west-1",
  AWS_ACCESS_KEY_ID: "x",
  AWS_SECRET_ACCESS_KEY: "x",
  MLWATCH_BUCKET: "b",
  MLWATCH_TABLE: "t",
  MLWATCH_TOPIC_ARN: "arn:aws:sns:eu-west-1:123456789012:t",
  MLWATCH_AUDIT_LOG_GROUP: "g",
  MLWATCH_DRIFT_WORKER: "w",
  POWERTOOLS_LOG_LEVEL: "SILENT",
};

function importMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`import of ${file} failed: ${r.stderr}`);
  return Number(r.stdout);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kb = (n: number): string => `${(n / 1024).toFixed(0)} KB`;

console.log(`node ${process.version}; ${runs} imports per variant (median)`);
console.log("| function | SDK bundled: size (gzip) | import | SDK external: size (gzip) | import |");
console.log("| --- | --- | --- | --- | --- |");
for (const [name, entry] of Object.entries(lambdaEntries)) {
  const files: Record<string, string> = {};
  for (const variant of ["bundled", "external"] as const) {
    const outfile = join(out, variant, name, "index.mjs");
    mkdirSync(join(out, variant, name), { recursive: true });
    await build({ ...esbuildOptions({ bundleSdk: variant === "bundled" }), entryPoints: [join(projectRoot, entry)], outfile, logLevel: "error" });
    files[variant] = outfile;
  }
  const times: Record<string, number[]> = { bundled: [], external: [] };
  for (let i = 0; i < runs; i++) for (const variant of ["bundled", "external"]) times[variant]!.push(importMs(files[variant]!));
  const cell = (variant: string): string => {
    const size = statSync(files[variant]!).size;
    return `${kb(size)} (${kb(gzipSync(readFileSync(files[variant]!)).length)}) | ${median(times[variant]!).toFixed(0)} ms`;
  };
  console.log(`| ${name} | ${cell("bundled")} | ${cell("external")} |`);
}
