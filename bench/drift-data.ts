/**
 * The generated files of the drift benchmarks (bench/.data/, gitignored, written once): 1,000,000 rows × 4
 * numerical columns, a baseline and a current file with two shifted columns, in three kinds:
 * - `short`: CSV, values with 3–6 decimals (`toFixed`), the benchmark's original files (~32 MB);
 * - `float`: CSV, values with 10–13 significant digits, as numpy and pandas write floats (~52 MB);
 * - `jsonl`: the `float` values as JSON Lines objects (~85 MB).
 * Values come from the fixtures' xorshift32 / Irwin–Hall generator, so every run reads the same bytes.
 */
import { closeSync, existsSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { irwinHallNormals, xorshift32 } from "../lambdas/core/stats/seeded.js";

export const COLUMNS = ["age", "income", "score", "latency"] as const;
export type DataKind = "short" | "float" | "jsonl";
export const DATA_KINDS: readonly DataKind[] = ["short", "float", "jsonl"];

const SCALES: Record<string, [number, number]> = { age: [40, 12], income: [55_000, 18_000], score: [0.5, 0.15], latency: [120, 30] };
const SHIFTS: Record<string, number> = { age: 0.3, score: 0.02 };

function write(path: string, rows: number, seed: number, shifted: boolean, kind: DataKind): void {
  const streams = COLUMNS.map((_, i) => irwinHallNormals(xorshift32(seed * 16 + i + 1)));
  const fd = openSync(path, "w");
  if (kind !== "jsonl") writeSync(fd, `${COLUMNS.join(",")}\n`);
  let block = "";
  let k = 0;
  for (let r = 0; r < rows; r++) {
    const cells = COLUMNS.map((name, i) => {
      const [loc, scale] = SCALES[name];
      const v = loc + scale * (streams[i]() + (shifted ? (SHIFTS[name] ?? 0) : 0));
      if (kind === "short") return v.toFixed(name === "score" ? 6 : 3);
      // Shortest round-trip text of the value rounded to 10–13 significant digits: what repr() prints for it.
      return String(Number(v.toPrecision(10 + (k++ % 4))));
    });
    block += kind === "jsonl" ? `{${COLUMNS.map((name, i) => `"${name}":${cells[i]}`).join(",")}}\n` : `${cells.join(",")}\n`;
    if (block.length > 1 << 20) {
      writeSync(fd, block);
      block = "";
    }
  }
  writeSync(fd, block);
  closeSync(fd);
}

/** The baseline and current files of a kind, generated when missing. */
export function dataFiles(dataDir: string, kind: DataKind, rows: number): { baseline: string; current: string } {
  mkdirSync(dataDir, { recursive: true });
  const ext = kind === "jsonl" ? "jsonl" : "csv";
  // The short-decimal files keep the names earlier runs generated.
  const stem = kind === "short" ? "drift" : `drift-${kind}`;
  const files = { baseline: join(dataDir, `${stem}-baseline-${rows}.${ext}`), current: join(dataDir, `${stem}-current-${rows}.${ext}`) };
  if (!existsSync(files.baseline)) write(files.baseline, rows, 1, false, kind);
  if (!existsSync(files.current)) write(files.current, rows, 2, true, kind);
  return files;
}
