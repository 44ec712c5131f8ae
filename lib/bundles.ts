/**
 * The Lambda bundles: which handler files become functions, and the esbuild options every bundle is built
 * with — one source for NodejsFunction (synth from this repository), scripts/package-cdk.mjs (the prebuilt
 * bundles inside @mlwatch/cdk) and bench/bundles.bench.ts. No CDK import here: the packager and the
 * benchmark load it without aws-cdk-lib.
 */

/** Every function's handler file (relative to the repository root), by bundle name (`lambda/<name>/index.mjs` in @mlwatch/cdk). */
export const lambdaEntries = {
  registry: "lambdas/registry/handler.ts",
  events: "lambdas/events/handler.ts",
  performance: "lambdas/performance/handler.ts",
  drift: "lambdas/drift/handler.ts",
  "drift-worker": "lambdas/drift/worker-handler.ts",
  "drift-monitor": "lambdas/drift/monitor-handler.ts",
  "drift-shard": "lambdas/drift/shard-handler.ts",
  "drift-reduce": "lambdas/drift/reduce-handler.ts",
  "drift-failure": "lambdas/drift/failure-handler.ts",
  alerts: "lambdas/alerts/handler.ts",
  "alerts-rules": "lambdas/alerts/rule-handler.ts",
  retraining: "lambdas/retraining/handler.ts",
  "sagemaker-events": "lambdas/sagemaker/handler.ts",
} as const;
export type LambdaName = keyof typeof lambdaEntries;

/**
 * The AWS SDK is bundled, not left to the Lambda runtime's copy: the version tested (our lockfile) is the
 * version that runs, and a bundled handler imports faster than one resolving `@aws-sdk/*` from
 * node_modules (figures in bench/README.md, "Lambda bundles").
 */
export const bundleAwsSdk = true;

/** The Node version the bundles target (the functions run Node 24). */
export const bundleTarget = "node24";

/** Some dependencies still call require(); the ESM bundle gets one. */
export const requireBanner = "import { createRequire as __mlwatchRequire } from 'module';const require = __mlwatchRequire(import.meta.url);";

/** The bundle name of a handler file. @throws Error when the file is not in {@link lambdaEntries} */
export function lambdaName(entry: string): LambdaName {
  const found = (Object.keys(lambdaEntries) as LambdaName[]).find((name) => lambdaEntries[name] === entry);
  if (!found) throw new Error(`${entry} is not a function entry: add it to lambdaEntries in lib/bundles.ts`);
  return found;
}

/** esbuild options of every bundle (entryPoints and outfile aside), as NodejsFunction passes them. */
export function esbuildOptions(options: { bundleSdk?: boolean } = {}): {
  bundle: true;
  platform: "node";
  format: "esm";
  target: string;
  minify: true;
  sourcemap: true;
  mainFields: string[];
  banner: { js: string };
  external: string[];
} {
  return {
    bundle: true,
    platform: "node",
    format: "esm",
    target: bundleTarget,
    minify: true,
    sourcemap: true,
    mainFields: ["module", "main"],
    banner: { js: requireBanner },
    external: (options.bundleSdk ?? bundleAwsSdk) ? [] : ["@aws-sdk/*"],
  };
}
