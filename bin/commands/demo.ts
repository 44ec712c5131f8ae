/**
 * `mlwatch demo` — fills a running mlwatch (the local server by default) with a realistic, seeded history
 * through the TypeScript client, so that a newcomer sees the product with data in it:
 *
 * - `churn` (classification, primary metric auc): 0.1.0 → 0.2.0 → 0.3.0 through staging and production,
 *   0.3.0 forced past the gate and then rolled back, so 0.2.0 is in production again;
 * - `demand` (regression, primary metric rmse): 0.1.0 archived, 0.2.0 in production, 0.3.0 in staging;
 * - a baseline of 1,000 training rows for churn, and seven drift checks of 400 rows — one per day of a
 *   week, the last three drifting further (age shifts, a new plan appears), each with its HTML report;
 * - a week of scored batches per production version (timestamps in the past), churn's quality falling day
 *   after day, and today's churn predictions logged first with their labels joined later (delayed ground
 *   truth): that batch degrades past the accuracy rule and raises a performance alert;
 * - the alerts those checks and batches raised (one acknowledged), deployments, pipeline events and the
 *   audit trail of every change.
 *
 * The API stamps drift checks with the time they run (they have no timestamp field), so the week of drift
 * is seven checks made now over seven days' data; the performance history carries its own timestamps.
 * Seeded: the same seed gives the same data. 9 s against the local server on 2 idle cores (the README tour).
 */
import { MlwatchApiError, type MlwatchClient } from "../../client/index.js";
import { clientOf, commonFlagsHelp, flag, parseArgs, processIo, runCommand, UsageError, type CommandIo } from "./api-common.js";
import { mulberry32 } from "../../lambdas/core/stats/seeded.js";

export const DEMO_USAGE = `usage: mlwatch demo [--seed N] [--prefix P] [options]

Fill mlwatch with a seeded history: two models with versions through the lifecycle (one rolled back), a
baseline, a week of drift checks with HTML reports, a week of performance batches with delayed ground
truth and a degradation, alerts and the audit trail. Then prints where to look.

options:
  --seed N              seed of the generated data (default 19)
  --prefix P            prefix of the two model names (default none: churn and demand)
  --actor NAME          who the changes are recorded as, against the local server (default demo)
${commonFlagsHelp}

exit codes: 0 seeded, 2 bad usage, refused by the API (e.g. the models already exist), or unreachable`;

/** A small, fast, seeded generator (mulberry32) with normal draws (Box–Muller). */
export function seededRandom(seed: number): { uniform(): number; normal(mean: number, sd: number): number } {
  const uniform = mulberry32(seed);
  return {
    uniform,
    normal: (mean, sd) => mean + sd * Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform()),
  };
}

type Random = ReturnType<typeof seededRandom>;
type Row = { age: number; income: number; plan: string };

/** Customer rows; `shift` moves age (years) and `newPlanShare` brings in the "enterprise" plan. */
export function customerRows(random: Random, n: number, shift = 0, newPlanShare = 0): Row[] {
  return Array.from({ length: n }, () => {
    const u = random.uniform();
    const plan = u < newPlanShare ? "enterprise" : u < newPlanShare + (1 - newPlanShare) * 0.6 ? "basic" : u < newPlanShare + (1 - newPlanShare) * 0.9 ? "pro" : "team";
    return { age: Math.round(random.normal(41 + shift, 9) * 10) / 10, income: Math.round(random.normal(52_000, 11_000)), plan };
  });
}

/** Scored churn outcomes whose separation `skill` (0 = coin flip) sets the quality. */
function scoredOutcomes(random: Random, n: number, skill: number): { predictions: number[]; actuals: number[]; scores: number[] } {
  const actuals: number[] = [];
  const scores: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = random.uniform() < 0.3 ? 1 : 0;
    const z = skill * (y === 1 ? 1 : -1) + random.normal(-0.4, 1);
    actuals.push(y);
    scores.push(Math.round((1 / (1 + Math.exp(-z))) * 1000) / 1000);
  }
  return { predictions: scores.map((s) => (s >= 0.5 ? 1 : 0)), actuals, scores };
}

const dayMs = 86_400_000;
/** Noon UTC `daysAgo` days before `now`. */
function noonDaysAgo(now: number, daysAgo: number): string {
  const d = new Date(now - daysAgo * dayMs);
  d.setUTCHours(12, 0, 0, 0);
  return (d.getTime() > now ? new Date(now - 60_000) : d).toISOString();
}

/** A tiny gzip "model archive" (the registry stores and checksums it like any artifact). */
function artifactBytes(model: string, version: string): Uint8Array {
  return new TextEncoder().encode(`mlwatch demo artifact ${model} ${version}\n`);
}

/** What the demo made, for its summary and its test. */
export interface DemoResult {
  readonly models: { churn: string; demand: string };
  readonly checks: { checkId: string; driftDetected: boolean; htmlUrl: string }[];
  readonly batches: number;
  readonly alerts: number;
  readonly elapsedMs: number;
}

async function register(client: MlwatchClient, model: string, body: Record<string, unknown>, log: (line: string) => void): Promise<string> {
  const answer = await client.registerVersion(model, { requestUpload: true, ...body } as never);
  if (answer.upload) await client.uploadArtifact(model, answer.version, artifactBytes(model, answer.version), { upload: answer.upload });
  log(`  registered ${model} ${answer.version}`);
  return answer.version;
}

/**
 * Seeds the history. Fails (409) when the churn model already exists: run it against a fresh server, or
 * give another `prefix`.
 */
export async function seedDemo(client: MlwatchClient, options: { seed: number; prefix: string; log: (line: string) => void }): Promise<DemoResult> {
  const started = performance.now();
  const { log, prefix } = options;
  const random = seededRandom(options.seed);
  const churn = `${prefix}churn`;
  const demand = `${prefix}demand`;
  const now = Date.now();
  try {
    await client.getModel(churn);
    throw new UsageError(`model ${churn} already exists: run mlwatch demo against a fresh server (restart npm start) or give --prefix`);
  } catch (err) {
    if (!(err instanceof MlwatchApiError && err.status === 404)) throw err;
  }

  log("registry: two models through the lifecycle");
  await client.recordEvent({ type: "training_started", model: churn, jobName: "churn-train-0001" });
  const c1 = await register(client, churn, { metrics: { auc: 0.86, accuracy: 0.81, f1: 0.62 }, primaryMetric: "auc", direction: "higher", trainingJobName: "churn-train-0001", description: "gradient boosting, 12 features" }, log);
  await client.recordEvent({ type: "training_completed", model: churn, version: c1, jobName: "churn-train-0001" });
  await client.promote(churn, c1, { stage: "staging", reason: "offline evaluation passed" });
  await client.promote(churn, c1, { stage: "production", reason: "first release" });
  await client.recordDeployment(churn, c1, { endpointName: "churn-prod", environment: "production" });
  const c2 = await register(client, churn, { metrics: { auc: 0.91, accuracy: 0.84, f1: 0.68 }, trainingJobName: "churn-train-0002", stage: "staging", description: "adds tenure features" }, log);
  await client.promote(churn, c2, { stage: "production", reason: "auc +0.05 on the holdout" });
  await client.recordDeployment(churn, c2, { endpointName: "churn-prod", environment: "production" });
  const c3 = await register(client, churn, { metrics: { auc: 0.9, accuracy: 0.85, f1: 0.69 }, trainingJobName: "churn-train-0003", stage: "staging", description: "retrained on last month" }, log);
  await client.promote(churn, c3, { stage: "production", reason: "fresher data, auc within noise", force: true });
  await client.rollback(churn, { reason: "canary error rate doubled" });
  log(`  ${churn}: ${c3} forced to production, then rolled back: ${c2} is production again`);

  const d1 = await register(client, demand, { metrics: { rmse: 14.2, mae: 11.3, r2: 0.94 }, primaryMetric: "rmse", direction: "lower", stage: "staging" }, log);
  await client.promote(demand, d1, { stage: "production", reason: "first release" });
  const d2 = await register(client, demand, { metrics: { rmse: 12.8, mae: 10.2, r2: 0.95 }, stage: "staging" }, log);
  await client.promote(demand, d2, { stage: "production", reason: "rmse -10 %" });
  await client.recordDeployment(demand, d2, { endpointName: "demand-prod", environment: "production" });
  const d3 = await register(client, demand, { metrics: { rmse: 12.5, mae: 10.0, r2: 0.95 }, stage: "staging" }, log);
  log(`  ${demand}: ${d2} in production, ${d3} in staging`);

  log("drift: a baseline and a week of checks");
  await client.createBaseline(churn, { records: customerRows(random, 1000), categorical: ["plan"] });
  // day 0 is a week ago; the last three days drift further
  const shifts = [0, 0, 0, 0, 3, 6, 9];
  const newPlan = [0, 0, 0, 0, 0, 0.04, 0.08];
  const checks: DemoResult["checks"] = [];
  for (let day = 0; day < 7; day++) {
    const check = await client.checkDrift(churn, { records: customerRows(random, 400, shifts[day], newPlan[day]) });
    const htmlUrl = `${client.endpoint}/models/${churn}/drift-checks/${check.checkId}/report.html`;
    checks.push({ checkId: check.checkId, driftDetected: check.driftDetected === true, htmlUrl });
    log(`  day ${day + 1}: ${check.driftDetected ? `drift (${check.severity})` : "no drift"}  ${htmlUrl}`);
  }

  log("performance: a week of batches, then today's predictions with delayed ground truth");
  let batches = 0;
  // churn 1.1.0 loses skill day after day (auc from about 0.9 down)
  const skills = [0.98, 0.97, 0.95, 0.92, 0.88, 0.82, 0.75];
  for (let day = 0; day < 7; day++) {
    await client.recordBatch(churn, c2, { task: "classification", ...scoredOutcomes(random, 300, skills[day]), timestamp: noonDaysAgo(now, 7 - day) });
    const n = 200;
    const actuals = Array.from({ length: n }, () => Math.round(random.normal(160, 60)));
    await client.recordBatch(demand, d2, { task: "regression", actuals, predictions: actuals.map((a) => Math.round(a + random.normal(0, 12.5))), timestamp: noonDaysAgo(now, 7 - day) });
    batches += 2;
  }
  const today = scoredOutcomes(random, 300, 0.45);
  const loggedAt = new Date(now - 3 * 3_600_000).toISOString();
  await client.logPredictions(churn, c2, {
    task: "classification",
    records: today.scores.map((score, i) => ({ id: `demo-${options.seed}-${i}`, prediction: today.predictions[i], score, timestamp: loggedAt })),
  });
  const joined = await client.recordGroundTruth(churn, { records: today.actuals.map((actual, i) => ({ id: `demo-${options.seed}-${i}`, actual })) });
  batches += 1;
  log(`  ${churn} ${c2}: 300 predictions logged 3 hours ago, ${joined.joined} labels joined now`);

  const open = [...(await client.listAlerts({ state: "open", model: churn })).items, ...(await client.listAlerts({ state: "open", model: demand })).items];
  const first = open.find((a) => a.type === "data_drift");
  if (first) await client.acknowledgeAlert(first.alertId, { reason: "looking into it" });
  await client.recordEvent({ type: "custom", model: churn, details: { note: "demo seeded", seed: options.seed } });
  return { models: { churn, demand }, checks, batches, alerts: open.length - (first ? 1 : 0), elapsedMs: performance.now() - started };
}

/** Runs `mlwatch demo`; resolves to the exit code. */
export async function runDemo(argv: string[], io: CommandIo = processIo): Promise<number> {
  return runCommand("demo", io, async () => {
    const args = parseArgs(argv, ["seed", "prefix", "actor"]);
    if (args.flags.has("help")) {
      io.stdout.write(`${DEMO_USAGE}\n`);
      return 0;
    }
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
    const seedText = flag(args, "seed") ?? "19";
    if (!/^\d{1,9}$/.test(seedText)) throw new UsageError(`--seed must be a whole number, got "${seedText}"`);
    const prefix = flag(args, "prefix") ?? "";
    if (prefix !== "" && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$/.test(prefix)) throw new UsageError(`--prefix must be letters, digits, '.', '_' or '-', got "${prefix}"`);
    const client = clientOf(args, flag(args, "actor") ?? "demo");
    io.stdout.write(`seeding ${client.endpoint} (seed ${seedText})\n`);
    const result = await seedDemo(client, { seed: Number(seedText), prefix, log: (line) => io.stdout.write(`${line}\n`) });
    const drifted = result.checks.filter((c) => c.driftDetected).length;
    const { churn, demand } = result.models;
    const e = client.endpoint;
    io.stdout.write(
      [
        "",
        `done in ${(result.elapsedMs / 1000).toFixed(1)} s: 2 models, 6 versions, ${result.checks.length} drift checks (${drifted} drifted), ${result.batches} performance batches, ${result.alerts} open alerts (one more acknowledged)`,
        "",
        "where to look next:",
        `  ${e}/   the console: models, drift, performance, alerts, audit`,
        `  ${e}/ui/models/${churn}/drift   the drift checks, each with its HTML report (the latest: ${result.checks.at(-1)?.htmlUrl ?? "-"})`,
        `  ${e}/ui/models/${churn}/performance   quality day by day as a chart, degradation marked`,
        `  mlwatch models show ${churn}   versions and stages: ${churn} was rolled back (also: mlwatch models show ${demand})`,
        `  mlwatch performance report ${churn} --days 8   quality day by day, degrading`,
        `  mlwatch alerts list   the inbox (mlwatch alerts show ID, ack ID --reason R)`,
        `  ${e}/ui/audit   who changed what (or: mlwatch api listAudit model=${churn} limit=20)`,
        `  (outside this repository the CLI is the mlwatch bin of @mlwatch/client: see docs/cli.md)`,
        "",
      ].join("\n"),
    );
    return 0;
  });
}
