/**
 * The data bucket's layout has one source (lambdas/shared/buckets.ts): every key the services build lies
 * under a declared prefix, and no other runtime or CDK module spells a prefix itself.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { BucketPrefix, bucketKeys } from "../../../lambdas/shared/buckets.js";

const root = new URL("../../../", import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

describe("bucket layout", () => {
  it("builds every key under its declared prefix", () => {
    // Prepare
    const cases: [string, string][] = [
      [bucketKeys.artifactPrefix("churn", "1.2.0"), BucketPrefix.artifacts],
      [bucketKeys.baselineProfile("churn", "20260101T000000000Z-abcdef"), BucketPrefix.baselines],
      [bucketKeys.driftReport("churn", "20260101T000000000Z-abcdef"), BucketPrefix.driftReports],
      [bucketKeys.driftReportHtml("churn", "20260101T000000000Z-abcdef"), BucketPrefix.driftReports],
      [bucketKeys.rawBatch("churn", "1.2.0", "2026-01-01", "b-1"), BucketPrefix.batches],
      [bucketKeys.groundTruthJoin("churn", "2026-01-01", "j-1"), BucketPrefix.batches],
    ];
    // Act + Assess
    for (const [key, prefix] of cases) expect(key.startsWith(prefix)).toBe(true);
    expect(bucketKeys.rawBatch("churn", "1.2.0", "2026-01-01", "b-1")).toBe("batches/churn/1.2.0/2026-01-01/b-1.json");
    expect(bucketKeys.driftReportHtml("churn", "c")).toBe("reports/drift/churn/c.html");
    expect(BucketPrefix.driftReports.startsWith(BucketPrefix.reports)).toBe(true);
  });

  it("is the only place in lambdas/ and lib/ that spells a prefix as a string literal", () => {
    // Prepare
    const prefixes = Object.values(BucketPrefix);
    const literal = new RegExp(`["'\`](${prefixes.map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|")})`);
    const files = [...sourceFiles("lambdas"), ...sourceFiles("lib")].filter((f) => f !== "lambdas/shared/buckets.ts");
    // Act
    const offenders = files.flatMap((f) =>
      readFileSync(join(root, f), "utf8")
        .split("\n")
        .map((line, i) => ({ line, at: `${f}:${i + 1}` }))
        // comments may describe the layout; audit targets name API resources (`datasets/{name}/versions/…`), not keys
        .filter(({ line }) => !/^\s*(\*|\/\/|\/\*\*)/.test(line) && literal.test(line.replace(/target: `[^`]*`/g, "")))
        .map(({ at }) => at),
    );
    // Assess
    expect(files.length).toBeGreaterThan(50);
    expect(offenders).toEqual([]);
  });
});
