import { describe, expect, it } from "vitest";
import { buildDriftReport, featureHistograms, prepareCategorical, prepareNumeric, renderDriftReportHtml, type FeaturePair } from "../../../../lambdas/core/drift/index.js";

const ramp = (n: number, shift = 0) => Array.from({ length: n }, (_, i) => i + shift);

function page(pairs: Record<string, FeaturePair>, severity: "none" | "moderate" | "high" = "high"): string {
  const report = buildDriftReport(pairs);
  return renderDriftReportHtml({
    model: "churn",
    checkId: "20250101T000000000Z-abcdef",
    baselineId: "20241201T000000000Z-123456",
    source: "inline",
    completedAt: "2025-01-01T00:00:00.000Z",
    rows: 500,
    baselineRows: 500,
    severity,
    reportUri: "s3://bucket/reports/drift/churn/c.json",
    report,
    histograms: featureHistograms(pairs),
  });
}

describe("renderDriftReportHtml", () => {
  const pairs: Record<string, FeaturePair> = {
    stable: { baseline: prepareNumeric(ramp(500)), current: prepareNumeric(ramp(500)) },
    income: { baseline: prepareNumeric(ramp(500)), current: prepareNumeric(ramp(500, 400)) },
    plan: { baseline: prepareCategorical(Array(300).fill("basic").concat(Array(200).fill("pro"))), current: prepareCategorical(Array(250).fill("<script>alert(1)</script>").concat(Array(250).fill("basic"))) },
  };

  it("is one self-contained page: no script, no external resource", () => {
    // Act
    const html = page(pairs);
    // Assess
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    const urls = [...html.matchAll(/https?:\/\/[^\s"'<)]+/g)].map((m) => m[0]);
    expect(urls.every((u) => u === "http://www.w3.org/2000/svg")).toBe(true);
  });

  it("puts the summary first: verdict, then the table with drifted features first, then one chart per feature", () => {
    // Act
    const html = page(pairs);
    // Assess
    const verdict = html.indexOf("Drift detected — severity HIGH");
    const table = html.indexOf("<table>");
    const firstSection = html.indexOf('<section class="feature"');
    expect(verdict).toBeGreaterThan(0);
    expect(verdict).toBeLessThan(table);
    expect(table).toBeLessThan(firstSection);
    expect(html).toContain("2 of 3 compared features drifted (drift share 66.7%)");
    const rowOrder = [...html.matchAll(/<tr class="[^"]*"><td><a href="#f-([^"]+)"/g)].map((m) => m[1]);
    expect(rowOrder[2]).toBe("stable");
    expect(html.match(/<svg /g)).toHaveLength(3);
  });

  it("shows PSI and adjusted p-values and colours by severity", () => {
    // Prepare
    const report = buildDriftReport(pairs);
    // Act
    const html = page(pairs);
    // Assess
    expect(html).toContain(`PSI <b>${Number(report.features.income.tests.psi!.value.toPrecision(3))}</b>`);
    expect(html).toMatch(/KS D 0\.8, p [\de.-]+ \(adjusted <b>[\de.-]+<\/b>\)/);
    expect(html).toContain('color:#b71c1c;background:#fdecea;border-color:#b71c1c">high</span>');
    expect(html).toContain('color:#1b5e20;background:#e8f5e9;border-color:#1b5e20">none</span>');
  });

  it("escapes data it did not write (category names)", () => {
    // Act
    const html = page(pairs);
    // Assess
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("shows control and bidi characters of category values as visible escapes, never raw", () => {
    // Prepare: categories carrying a right-to-left override, NUL, ESC and a C1 control
    const spoof = ["fdp.exe\u202etxt", "nul\u0000x", "esc\u001b[31m", "c1\u0085y"];
    const html = page({
      plan: { baseline: prepareCategorical(Array(400).fill("basic")), current: prepareCategorical(spoof.flatMap((v) => Array(100).fill(v))) },
    });
    // Assess
    // eslint-disable-next-line no-control-regex -- the point: none of these may appear raw
    expect(html).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    for (const shown of ["fdp.exe\\u202etxt", "nul\\u0000x", "esc\\u001b[31m", "c1\\u0085y"]) expect(html).toContain(shown);
  });

  it("says so when nothing drifted", () => {
    // Act
    const html = page({ stable: pairs.stable }, "none");
    // Assess
    expect(html).toContain("No drift detected");
    expect(html).toContain("0 of 1 compared features drifted");
  });

  it("shows the out-of-range test, the value cells and the share shift naming the cell, escaped", () => {
    // Prepare: a constant column gaining values, and a category "<b>x</b>" whose share grows 30 % → 45 %
    // (y 40 % → 30 %, w 30 % → 25 %: x moves most)
    const html = page({
      z: { baseline: prepareNumeric(new Array(500).fill(0)), current: prepareNumeric(Array.from({ length: 500 }, (_, i) => (i < 20 ? 3 : 0))) },
      k: {
        baseline: prepareCategorical(Array.from({ length: 1000 }, (_, i) => (i % 20 < 6 ? "<b>x</b>" : i % 20 < 14 ? "y" : "w"))),
        current: prepareCategorical(Array.from({ length: 1000 }, (_, i) => (i % 20 < 9 ? "<b>x</b>" : i % 20 < 15 ? "y" : "w"))),
      },
    });
    // Assess
    expect(html).toMatch(/outside the baseline range: 0 below, 20 above \([\d.]+ expected by chance, p [\de.-]+\)/);
    expect(html).toContain("compared on 1 value cells, 20 current values none of them");
    expect(html).toMatch(/largest significant share move: &lt;b&gt;x&lt;\/b&gt; 30\.0% → 45\.0%/);
    expect(html).not.toContain("<b>x</b>");
  });
});

describe("renderDriftReportHtml: violations and cost", () => {
  const pairs: Record<string, FeaturePair> = {
    income: { baseline: prepareNumeric(ramp(500)), current: prepareNumeric(ramp(500, 400)) },
  };
  const base = {
    model: "churn",
    checkId: "c1",
    baselineId: "b1",
    source: "inline",
    completedAt: "2025-01-01T00:00:00.000Z",
    rows: 500,
    baselineRows: 500,
    severity: "high" as const,
    report: buildDriftReport(pairs),
    histograms: featureHistograms(pairs),
  };

  it("shows the violation count per check type and each violation, escaped", () => {
    // Act
    const html = renderDriftReportHtml({
      ...base,
      violations: {
        counts: { baseline_drift_check: 1, categorical_values_check: 0 },
        list: [{ feature_name: "income", constraint_check_type: "baseline_drift_check", description: "distance <b>0.8</b> exceeds 0.1" }],
        uri: "s3://bucket/reports/drift/churn/c1/constraint_violations.json",
      },
    });
    // Assess
    const section = html.split('id="violations"')[1].split("<footer>")[0];
    expect(section).toMatch(/1 violation\b/);
    expect(section).toMatch(/<td>baseline_drift_check<\/td><td class="num">1<\/td>/);
    expect(section).toMatch(/<td>categorical_values_check<\/td><td class="num">0<\/td>/);
    expect(section).toContain("distance &lt;b&gt;0.8&lt;/b&gt; exceeds 0.1");
    expect(section).toContain("constraint_violations.json");
  });

  it("shows what the check cost, item by item", () => {
    const html = renderDriftReportHtml({
      ...base,
      cost: {
        lambdaGbSeconds: 2.5,
        stepFunctionsTransitions: 7,
        s3Requests: 12,
        s3RequestsByTier: { write: 4, read: 8 },
        estimatedUsd: 0.00021,
        prices: { lambdaGbSecondUsd: 0.0000133334, stepFunctionsTransitionUsd: 0.000025, s3WriteRequestUsd: 0.000005, s3ReadRequestUsd: 0.0000004 },
      },
    });
    const section = html.split('id="cost"')[1].split("<footer>")[0];
    expect(section).toMatch(/Lambda compute<\/td><td class="num">2.5 GB-s/);
    expect(section).toMatch(/state transitions<\/td><td class="num">7</);
    expect(section).toMatch(/LIST\)<\/td><td class="num">4</);
    expect(section).toMatch(/GET and others\)<\/td><td class="num">8</);
    expect(section).toContain("$0.000210");
    expect(section).toContain("12 S3 requests");
  });

  it("leaves both sections out when the check has neither", () => {
    const html = renderDriftReportHtml(base);
    expect(html).not.toContain('id="violations"');
    expect(html).not.toContain('id="cost"');
  });
});
