/**
 * Writes examples/data/: the small files the README's tour and CLI sample use (and the README test runs).
 * Seeded with the demo's generator, so the files are the same on every run:
 *   npx tsx scripts/example-data.ts
 * - train.csv (1,000 rows) and today.csv (400 rows, age shifted by 9 years, a new "enterprise" plan);
 * - baseline-request.json / check-request.json: the same rows as API bodies for curl -d @file;
 * - batch-request.json: a scored classification batch with its labels (300 rows), and the same rows as
 *   scored.csv (prediction, actual, score) for `mlwatch performance record`;
 * - predictions-request.json: its first 100 predictions with ids, to log (`POST …/predictions`), and
 *   ground-truth.csv: their labels (id, actual), for `mlwatch ground-truth record`;
 * - model.tar.gz: a tiny model archive (a JSON file; the registry stores and checksums it like any other).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { customerRows, seededRandom } from "../bin/commands/demo.js";

const out = join(process.cwd(), "examples", "data");
const random = seededRandom(2026);
const train = customerRows(random, 1000);
const today = customerRows(random, 400, 9, 0.08);
const csv = (rows: { age: number; income: number; plan: string }[]): string => ["age,income,plan", ...rows.map((r) => `${r.age},${r.income},${r.plan}`)].join("\n") + "\n";
writeFileSync(join(out, "train.csv"), csv(train));
writeFileSync(join(out, "today.csv"), csv(today));
writeFileSync(join(out, "baseline-request.json"), `${JSON.stringify({ records: train, categorical: ["plan"] })}\n`);
writeFileSync(join(out, "check-request.json"), `${JSON.stringify({ records: today })}\n`);
const actuals: number[] = [];
const scores: number[] = [];
for (let i = 0; i < 300; i++) {
  const y = random.uniform() < 0.3 ? 1 : 0;
  const z = 0.9 * (y === 1 ? 1 : -1) + random.normal(-0.4, 1);
  actuals.push(y);
  scores.push(Math.round((1 / (1 + Math.exp(-z))) * 1000) / 1000);
}
const predictions = scores.map((s) => (s >= 0.5 ? 1 : 0));
writeFileSync(join(out, "batch-request.json"), `${JSON.stringify({ task: "classification", predictions, actuals, scores })}\n`);
writeFileSync(join(out, "scored.csv"), ["prediction,actual,score", ...scores.map((s, i) => `${predictions[i]},${actuals[i]},${s}`)].join("\n") + "\n");
// The first 100 predictions logged with ids (their labels come later), and those labels as a file.
const logged = scores.slice(0, 100).map((s, i) => ({ id: `p-${String(i).padStart(3, "0")}`, prediction: predictions[i], score: s }));
writeFileSync(join(out, "predictions-request.json"), `${JSON.stringify({ task: "classification", records: logged })}\n`);
writeFileSync(join(out, "ground-truth.csv"), ["id,actual", ...logged.map((r, i) => `${r.id},${actuals[i]}`)].join("\n") + "\n");
const dir = mkdtempSync(join(tmpdir(), "mlwatch-model-"));
writeFileSync(join(dir, "model.json"), `${JSON.stringify({ kind: "example", features: ["age", "income", "plan"], weights: [0.031, -0.00001, 0.4] })}\n`);
// fixed mtime, owner and order: the same archive bytes on every run (gzip -n drops the name and time)
execFileSync("tar", ["--mtime=2026-01-01", "--owner=0", "--group=0", "--numeric-owner", "-cf", join(dir, "model.tar"), "-C", dir, "model.json"]);
execFileSync("gzip", ["-n", "-f", join(dir, "model.tar")]);
writeFileSync(join(out, "model.tar.gz"), readFileSync(join(dir, "model.tar.gz")));
rmSync(dir, { recursive: true, force: true });
console.log(`wrote ${out}`);
