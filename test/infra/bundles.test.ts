/**
 * What a cold start loads. Each function is built as it is deployed (lib/bundles.ts: entry + code-split
 * chunks) and its entry's static import graph is read from esbuild's metafile: no AWS SDK client there
 * (they load when a route first sends with one, lambdas/shared/sdk/*.ts), no zod outside the API functions,
 * and no more than the function's budget. Then CDK's local bundling (lib/function.ts) is run for real on
 * two functions: each gets its own asset, an `index.mjs` exporting `handler` plus its chunks.
 * Built in memory without source maps (the code is the same; a third faster). Sizes, not timings: the import times are in bench/README.md (`npm run bench -- bundles`).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { App, Stack } from "aws-cdk-lib";
import { RetentionDays } from "aws-cdk-lib/aws-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiFunctions, buildLambda, importBudgetKB, importGraph, lambdaEntries, type ImportGraph, type LambdaName } from "../../lib/bundles.js";
import { MlwatchFunction } from "../../lib/function.js";

const root = process.cwd();
const names = Object.keys(lambdaEntries) as LambdaName[];
const built = new Map<LambdaName, { graph: ImportGraph; bytesAtImport: number; inputsAll: string[] }>();

beforeAll(async () => {
  for (const name of names) {
    const meta = await buildLambda(name, join(tmpdir(), "mlwatch-bundles-test", name), root, { write: false, sourcemap: false });
    const graph = importGraph(name, meta);
    const bytesAtImport = graph.atImport.reduce((n, f) => n + meta.outputs[f]!.bytes, 0);
    const inputsAll = [...new Set(graph.all.flatMap((f) => Object.keys(meta.outputs[f]!.inputs)))];
    built.set(name, { graph, bytesAtImport, inputsAll });
  }
}, 120_000);

const sdkAtImport = (name: LambdaName): string[] => built.get(name)!.graph.inputsAtImport.filter((i) => /node_modules\/@(aws-sdk|smithy)\//.test(i));

describe("function bundles", () => {
  it("import no AWS SDK code before the first event: every client loads on first use", () => {
    for (const name of names) expect(sdkAtImport(name), name).toEqual([]);
  });

  it("still carry the SDK, bundled in chunks loaded on demand (not left to the runtime's copy)", () => {
    for (const name of names) {
      expect(built.get(name)!.inputsAll.some((i) => i.includes("node_modules/@aws-sdk/client-dynamodb/")), name).toBe(true);
      expect(built.get(name)!.graph.all.length, name).toBeGreaterThan(built.get(name)!.graph.atImport.length);
    }
  });

  it("carry only the clients their code can reach: no S3 client in the functions that never touch S3", () => {
    // Each SDK loader is its own module (lambdas/shared/sdk/*.ts): esbuild emits a chunk for every import()
    // of a module it includes, so one shared loader module would put every client in every asset.
    for (const name of ["events", "alerts", "alerts-rules", "retraining", "sagemaker-events"] as const) {
      expect(built.get(name)!.inputsAll.filter((i) => i.includes("node_modules/@aws-sdk/client-s3/")), name).toEqual([]);
    }
  });

  it("keep zod off the import path of every function that is not behind the API", () => {
    for (const name of names.filter((n) => !apiFunctions.includes(n))) {
      expect(built.get(name)!.graph.inputsAtImport.filter((i) => i.includes("node_modules/zod/")), name).toEqual([]);
    }
  });

  it("carry zod's English messages only (no other locale)", () => {
    for (const name of apiFunctions) {
      const locales = built.get(name)!.inputsAll.filter((i) => /node_modules\/zod\/v4\/locales\/(?!en\.js|index\.js)/.test(i));
      expect(locales, name).toEqual([]);
      expect(built.get(name)!.inputsAll.some((i) => i.endsWith("node_modules/zod/v4/locales/en.js")), name).toBe(true);
    }
  });

  it("stay within each function's import budget (lib/bundles.ts importBudgetKB)", () => {
    const over = names.filter((n) => built.get(n)!.bytesAtImport > importBudgetKB[n] * 1024).map((n) => `${n}: ${(built.get(n)!.bytesAtImport / 1024).toFixed(0)} KB > ${importBudgetKB[n]} KB`);
    expect(over).toEqual([]);
  });
});

describe("CDK local bundling (lib/function.ts)", () => {
  let outdir: string;
  let assets: string[];
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), "mlwatch-bundling-"));
    const app = new App({ outdir });
    const stack = new Stack(app, "Bundled");
    for (const name of ["drift-failure", "alerts-rules"] as const) {
      new MlwatchFunction(stack, name, { entry: lambdaEntries[name], environment: {}, logRetention: RetentionDays.ONE_DAY });
    }
    app.synth();
    assets = readdirSync(outdir).filter((d) => d.startsWith("asset.")).map((d) => join(outdir, d));
  }, 120_000);
  afterAll(() => {
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  it("gives each function its own asset: an index.mjs exporting handler, and its chunks", () => {
    expect(assets).toHaveLength(2);
    for (const dir of assets) {
      expect(existsSync(join(dir, "chunks"))).toBe(true);
      const script = `const m = await import(${JSON.stringify(pathToFileURL(join(dir, "index.mjs")).href)}); process.stdout.write(typeof m.handler);`;
      const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", env: { ...process.env, AWS_REGION: "eu-west-1" } });
      expect(run.stderr).toBe("");
      expect(run.stdout).toBe("function");
    }
  });
});
