import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { driftAlertBody, driftAlertSubject } from "../../../lambdas/drift/alert-message.js";
import { isDue, cutoffOf } from "../../../lambdas/drift/monitor.js";
import { buildDriftReport, prepareCategorical, prepareNumeric } from "../../../lambdas/core/drift/index.js";
import { driftedFeaturesOf, overallSeverity } from "../../../lambdas/drift/check.js";
import { isUnsafeCodePoint } from "../../../lambdas/core/alerts/safe-text.js";

const ramp = (n: number, shift = 0) => Array.from({ length: n }, (_, i) => i + shift);

describe("drift alert message", () => {
  const report = buildDriftReport({
    x: { baseline: prepareNumeric(ramp(500)), current: prepareNumeric(ramp(500, 400)) },
    y: { baseline: prepareNumeric(ramp(500)), current: prepareNumeric(ramp(500)) },
    k: { baseline: prepareCategorical(Array(300).fill("a").concat(Array(200).fill("b"))), current: prepareCategorical(Array(250).fill("c").concat(Array(250).fill("a"))) },
  });

  it("names the model and the number of drifted features in the subject", () => {
    expect(driftAlertSubject("churn", 2)).toBe("[MLWatch] Data drift: churn (2 features)");
    expect(driftAlertSubject("churn", 1)).toBe("[MLWatch] Data drift: churn (1 feature)");
  });

  it("lists the drifted features with PSI, p-values, missing shares and reasons, and where the report is", () => {
    expect(driftedFeaturesOf(report).map((f) => f.name).sort()).toEqual(["k", "x"]);
    expect(overallSeverity(report)).toBe("high");
    const body = driftAlertBody(
      { model: "churn", checkId: "c1", baselineId: "b1", source: "inline", rows: 500, baselineRows: 500, reportUri: "s3://b/reports/drift/churn/c1.json", severity: "high", completedAt: "2025-01-01T00:00:00Z" },
      report,
    );
    expect(body).toContain("Severity: HIGH");
    expect(body).toContain("2 of 3 features drifted (drift share 66.7%)");
    expect(body).toMatch(/- x \[numerical, high\]: PSI [\d.]+; KS D 0\.8, p [\de.-]+ \(adjusted [\de.-]+\)/);
    expect(body).toMatch(/- k \[categorical, high\]: PSI [\d.]+; chi-square/);
    expect(body).toContain("new categories: c");
    expect(body).toContain("vanished categories: b");
    expect(body).toContain("Full report: s3://b/reports/drift/churn/c1.json");
    expect(body).not.toContain("- y ");
  });

  it("points to the HTML report next to the JSON one", () => {
    // Act
    const body = driftAlertBody(
      { model: "churn", checkId: "c1", baselineId: "b1", source: "inline", rows: 500, baselineRows: 500, reportUri: "s3://b/reports/drift/churn/c1.json", reportHtmlUri: "s3://b/reports/drift/churn/c1.html", severity: "high", completedAt: "2025-01-01T00:00:00Z" },
      report,
    );
    // Assess
    expect(body).toContain("HTML report (histograms): s3://b/reports/drift/churn/c1.html");
    expect(body).toContain("API: GET /models/churn/drift-checks/c1 (page: …/drift-checks/c1/report.html)");
  });
});

describe("monitor schedule", () => {
  const now = new Date("2025-01-01T12:00:00.500Z");
  it("is due when it never ran or after its period, with a few minutes of slack", () => {
    expect(isDue({ schedule: "hourly" }, now)).toBe(true);
    expect(isDue({ schedule: "hourly", lastRunAt: "2025-01-01T11:04:00Z" }, now)).toBe(true);
    expect(isDue({ schedule: "hourly", lastRunAt: "2025-01-01T11:10:00Z" }, now)).toBe(false);
    expect(isDue({ schedule: "daily", lastRunAt: "2024-12-31T12:03:00Z" }, now)).toBe(true);
    expect(isDue({ schedule: "daily", lastRunAt: "2025-01-01T01:00:00Z" }, now)).toBe(false);
  });
  it("takes data up to just before the current whole second", () => {
    expect(cutoffOf(now).toISOString()).toBe("2025-01-01T11:59:59.999Z");
  });
});

describe("drift alert message with hostile values", () => {
  const ctx = { model: "churn", checkId: "c1", baselineId: "b1", source: "monitor", rows: 100, baselineRows: 100, reportUri: "s3://b/reports/drift/churn/c1.json", severity: "high", completedAt: "2025-01-01T00:00:00Z" };
  const withNew = (values: string[]) =>
    buildDriftReport({
      k: { baseline: prepareCategorical(Array(100).fill("a")), current: prepareCategorical([...Array(50).fill("a"), ...values.flatMap((v) => [v, v])]) },
    });

  it("keeps the message's lines whatever the category values are (no forged lines)", () => {
    const reference = driftAlertBody(ctx, withNew(["x1", "x2"])).split("\n").length;
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ unit: "binary", minLength: 1, maxLength: 300 }), { minLength: 2, maxLength: 2 }), (values) => {
        fc.pre(!values.includes("a"));
        const body = driftAlertBody(ctx, withNew(values));
        expect(body.split("\n")).toHaveLength(reference);
        const unsafe = Array.from(body).filter((ch) => ch !== "\n" && isUnsafeCodePoint(ch.codePointAt(0)!));
        expect(unsafe).toEqual([]);
      }),
      { numRuns: 150 },
    );
    // 150 generated messages take about 6 s on a loaded shared machine: past the 5 s default.
  }, 120_000);

  it("lists at most five new categories, each cut, so five 60 KB values still make a small message", () => {
    const big = Array.from({ length: 7 }, (_, i) => `${i}${"v".repeat(60 * 1024)}`);
    const body = driftAlertBody(ctx, withNew(big));
    expect(Buffer.byteLength(body)).toBeLessThan(8 * 1024);
    expect(body).toMatch(/new categories: .+ and 2 more/);
  });
});
