/**
 * The Lambda bundles: which handler files become functions, and the esbuild options every bundle is built
 * with — one source for lib/function.ts (synth from this repository, through scripts/build-lambda.mjs), scripts/package-cdk.mjs (the prebuilt
 * bundles inside @mlwatch/cdk) and bench/bundles.bench.ts. No CDK import here: the packager and the
 * benchmark load it without aws-cdk-lib.
 */
import { dirname, join } from "node:path";
import type { BuildOptions, Metafile, Plugin } from "esbuild";

/** Every function's handler file (relative to the repository root), by bundle name (`lambda/<name>/index.mjs` in @mlwatch/cdk). */
export const lambdaEntries = {
  registry: "lambdas/registry/handlers/api.ts",
  events: "lambdas/events/handlers/api.ts",
  performance: "lambdas/performance/handlers/api.ts",
  drift: "lambdas/drift/handlers/api.ts",
  "drift-worker": "lambdas/drift/handlers/worker.ts",
  "drift-monitor": "lambdas/drift/handlers/monitor.ts",
  "drift-shard": "lambdas/drift/handlers/shard.ts",
  "drift-reduce": "lambdas/drift/handlers/reduce.ts",
  "drift-failure": "lambdas/drift/handlers/failure.ts",
  alerts: "lambdas/alerts/handlers/api.ts",
  "alerts-rules": "lambdas/alerts/handlers/rules.ts",
  retraining: "lambdas/retraining/handlers/api.ts",
  "sagemaker-events": "lambdas/sagemaker/handlers/sagemaker-events.ts",
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

/** Where a function's chunks go inside its asset (`index.mjs` is the entry, next to this folder). */
export const chunkDir = "chunks";

/**
 * zod's message locales: zod 4 exports all of them (`z.locales`, ~255 KB minified of the ~445 KB zod adds
 * to a bundle) and registers English itself; nothing in mlwatch selects another locale. The bundles get
 * English only (figures in bench/README.md, "Cold starts"). The local server and the tests run the full
 * package: the messages are the same English ones.
 */
export const zodEnglishOnly: Plugin = {
  name: "mlwatch-zod-english-only",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]v4[\\/](classic|core)$/.test(args.resolveDir)
        ? { path: join(args.resolveDir, "..", "locales", "index.js"), namespace: "mlwatch-zod-locales" }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "mlwatch-zod-locales" }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      resolveDir: dirname(args.path),
      loader: "js",
    }));
  },
};

/**
 * esbuild options of every bundle: one ESM entry (`index.mjs`, exporting `handler`) plus the chunks it and
 * its dynamic `import()`s load (`chunks/`). Code splitting is what makes a cold start lean: the AWS SDK
 * clients (lambdas/shared/aws/*.ts) are reached only through dynamic imports (lambdas/shared/sdk/*.ts), so
 * each lands in its own chunk, loaded the first time a route sends a command through it.
 * @param root the repository root (entry paths in {@link lambdaEntries} are relative to it)
 */
export function esbuildOptions(name: LambdaName, outdir: string, root: string, options: { bundleSdk?: boolean } = {}): BuildOptions & { outdir: string } {
  return {
    entryPoints: { index: join(root, lambdaEntries[name]) },
    outdir,
    bundle: true,
    splitting: true,
    platform: "node",
    format: "esm",
    target: bundleTarget,
    minify: true,
    sourcemap: true,
    mainFields: ["module", "main"],
    banner: { js: requireBanner },
    outExtension: { ".js": ".mjs" },
    chunkNames: `${chunkDir}/[name]-[hash]`,
    external: (options.bundleSdk ?? bundleAwsSdk) ? [] : ["@aws-sdk/*"],
    plugins: [zodEnglishOnly],
    absWorkingDir: root,
    logLevel: "error",
  };
}

/**
 * Builds one function into `outdir` (`index.mjs`, `chunks/*.mjs`, source maps) and returns esbuild's
 * metafile. `write: false` keeps the output in memory; `sourcemap: false` (tests of the import graph, a
 * third faster) changes each file by its `sourceMappingURL` comment only. esbuild is loaded here, when a build happens: the @mlwatch/cdk package ships prebuilt code
 * and no esbuild.
 */
export async function buildLambda(
  name: LambdaName,
  outdir: string,
  root: string,
  options: { bundleSdk?: boolean; write?: boolean; sourcemap?: boolean } = {},
): Promise<Metafile> {
  const { build } = await import("esbuild");
  const result = await build({ ...esbuildOptions(name, outdir, root, options), metafile: true, write: options.write ?? true, sourcemap: options.sourcemap ?? true });
  return result.metafile;
}

/**
 * Most a function's cold start may evaluate: its entry and the chunks the entry imports statically, in KB of
 * minified output (test/infra/bundles.test.ts fails above it; figures in bench/README.md, "Cold starts").
 * About 3–10% above what each loads today (raised on 2026-12-06 after the check-cost accounting, the
 * conditional-write helper and the one-spelling values grew performance to 425, drift 468, drift-worker 178,
 * drift-monitor 171 and drift-reduce 128 KB; registry to 425 and performance to 450 on 2026-12-06 for the
 * artifact upload route, retention's follow-up, the ground-truth schedule and the estimation track record, which
 * brought them to 416 and 441 KB; drift-shard to 80 for the byte-level decimal reader, 76 KB; drift-worker to 190
 * and drift-monitor to 185 for the S3 reader that resumes a stalled body and the clients' timeouts, 186 and 181 KB). The API functions carry zod, Hono and their contract's schemas
 * (their floor, ~270 KB: zod 188, zod-to-openapi 29, Hono 27, the logger 16 — so they stay above the
 * issue's 250 KB aim); the others load zod only when they first publish an event, and every SDK client
 * when it is first sent with.
 */
export const importBudgetKB: Readonly<Record<LambdaName, number>> = {
  registry: 425,
  events: 320,
  performance: 450,
  drift: 480,
  "drift-worker": 190,
  "drift-monitor": 185,
  "drift-shard": 80,
  "drift-reduce": 135,
  "drift-failure": 40,
  alerts: 335,
  "alerts-rules": 47,
  retraining: 335,
  "sagemaker-events": 52,
};

/** The functions behind API Gateway: they validate requests with the contract's zod schemas at import. */
export const apiFunctions: readonly LambdaName[] = ["registry", "events", "performance", "drift", "alerts", "retraining"];

/** What a cold start loads of one built function, read from its esbuild metafile. */
export interface ImportGraph {
  /** Output files (paths as in the metafile) the entry loads before the handler exists: the entry and its static imports, transitively. */
  readonly atImport: string[];
  /** Every output file of the function (entry, chunks; source maps excluded). */
  readonly all: string[];
  /** Source inputs (paths relative to the repository root) whose code is in {@link atImport}. */
  readonly inputsAtImport: string[];
}

/**
 * The static import graph of a function's entry (built by {@link buildLambda} with the repository root as working directory): what `import(handler)` evaluates before the first event.
 * Chunks reached only through dynamic `import()` are loaded when a route first needs them.
 */
export function importGraph(name: LambdaName, metafile: Metafile): ImportGraph {
  const outputs = metafile.outputs;
  const all = Object.keys(outputs).filter((f) => f.endsWith(".mjs"));
  // Chunks that are targets of dynamic imports are entry points too; the handler's is the one built from its file.
  const entry = all.find((f) => outputs[f]!.entryPoint === lambdaEntries[name]);
  if (!entry) throw new Error(`importGraph: the metafile has no output for ${lambdaEntries[name]}`);
  const seen = new Set<string>([entry]);
  const queue = [entry];
  while (queue.length > 0) {
    for (const imported of outputs[queue.pop()!]!.imports) {
      if (imported.kind === "import-statement" && !imported.external && !seen.has(imported.path)) {
        seen.add(imported.path);
        queue.push(imported.path);
      }
    }
  }
  const atImport = [...seen];
  const inputsAtImport = [...new Set(atImport.flatMap((f) => Object.keys(outputs[f]!.inputs)))].sort();
  return { atImport, all, inputsAtImport };
}
