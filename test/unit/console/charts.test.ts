/** The console's inline SVG charts: gaps, marks, thresholds, escaping. */
import { describe, expect, it } from "vitest";
import { lineChart, sparkline } from "../../../lambdas/console/charts.js";

describe("sparkline", () => {
  it("breaks the line at a missing day instead of dropping to zero", () => {
    const svg = sparkline([0.9, 0.8, null, 0.7, 0.6]);
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).not.toContain("NaN");
  });

  it("says 'no data' below two values and escapes its label", () => {
    expect(sparkline([null, null])).toContain("no data");
    expect(sparkline([1, 2], { label: "<b>x</b>" })).toContain("&lt;b&gt;x&lt;/b&gt;");
  });
});

describe("lineChart", () => {
  it("draws each series, the threshold and one mark per marked day, with escaped names", () => {
    const svg = lineChart({
      labels: ["2026-12-01", "2026-12-02", "2026-12-03"],
      series: [{ name: "auc", values: [0.9, 0.85, 0.6], primary: true }, { name: "<i>f1</i>", values: [0.7, null, 0.5] }],
      threshold: { value: 0.8, label: "threshold 0.8" },
      marks: [{ index: 2, text: "auc 0.6 below <0.8>" }],
    });
    expect(svg.match(/<g class="series"/g)).toHaveLength(2);
    expect(svg.match(/<g class="mark">/g)).toHaveLength(1);
    expect(svg).toContain("threshold 0.8");
    expect(svg).toContain("&lt;i&gt;f1&lt;/i&gt;");
    expect(svg).toContain("below &lt;0.8&gt;");
    expect(svg).not.toMatch(/<i>/);
  });

  it("says so when the window holds no value", () => {
    expect(lineChart({ labels: ["2026-12-01"], series: [{ name: "auc", values: [null] }] })).toContain("no values in this window");
  });
});
