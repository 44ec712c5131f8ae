/**
 * A pipeline step in TypeScript: register a model version and check data drift with the typed client.
 * The same flow as examples/sagemaker_pipeline_step.py (run it from a SageMaker processing job, a
 * CodeBuild step or a Lambda): against the deployed API the client signs with SigV4 from the default
 * credential chain; against the local server it sends plain HTTP.
 *
 *   MLWATCH_ENDPOINT=http://127.0.0.1:3000 npx tsx examples/pipeline-step.ts churn s3://bucket/model.tar.gz \
 *     metrics.json baseline.jsonl current.jsonl
 *
 * Arguments: MODEL ARTIFACT_URI [METRICS_JSON] [BASELINE_JSONL] [CURRENT_JSONL]. MLWATCH_AUTH=sigv4 forces
 * signing (e.g. through a proxy on a loopback address). Exit codes: 0 done, 1 drift detected, 2 refused.
 */
import { readFileSync } from "node:fs";
import { MlwatchApiError, MlwatchClient } from "mlwatch";

const readJsonLines = (path: string): Record<string, unknown>[] =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

async function main(argv: string[]): Promise<number> {
  const [model, artifactUri, metricsFile, baselineFile, currentFile] = argv;
  if (!model || !artifactUri) {
    process.stderr.write("usage: pipeline-step.ts MODEL ARTIFACT_URI [METRICS_JSON] [BASELINE_JSONL] [CURRENT_JSONL]\n");
    return 2;
  }
  const client = new MlwatchClient({ auth: process.env.MLWATCH_AUTH === "sigv4" ? "sigv4" : undefined });
  const metrics = metricsFile ? (JSON.parse(readFileSync(metricsFile, "utf8")) as Record<string, number>) : {};

  // 1. Register the version the training step produced (the next minor version, typed answer).
  const version = await client.registerVersion(model, { artifactUri, metrics, primaryMetric: Object.keys(metrics)[0], direction: "higher" });
  console.log(`registered ${model} ${version.version} (${version.stage})`);

  // 2. A baseline from the training data, the first one becomes active.
  if (baselineFile) {
    const baseline = await client.createBaseline(model, { records: readJsonLines(baselineFile) });
    console.log(`baseline ${baseline.baselineId} (${baseline.rows} rows)${baseline.active ? " is active" : ""}`);
  }

  // 3. Check the current data against it.
  if (currentFile) {
    const check = await client.checkDrift(model, { records: readJsonLines(currentFile) });
    const drifted = (check.driftedFeatures ?? []).map((f) => `${f.name} (PSI ${f.psi?.toFixed(2)})`);
    console.log(check.driftDetected ? `drift DETECTED (${check.severity}): ${drifted.join(", ")}` : "drift not detected");
    console.log(`report ${check.reportHtmlUri}`);
    return check.driftDetected ? 1 : 0;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`pipeline-step: ${err instanceof MlwatchApiError ? `${err.code} (HTTP ${err.status}): ${err.message}` : String(err)}\n`);
    process.exitCode = 2;
  },
);
