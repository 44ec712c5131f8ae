/**
 * The dashboard file names mlwatch's metrics and dimensions as text; lambdas/shared/metric-names.ts is where
 * they are defined. Every mlwatch metric the dashboard shows must be one the services publish under that
 * name, with dimensions from the same module, and every published metric is either shown or listed here
 * with the reason it is not — so renaming or adding a metric fails this test until the dashboard follows.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { dashboardFile } from "../../lib/dashboard.js";
import { Dimension, MetricName } from "../../lambdas/shared/metric-names.js";

const text = readFileSync(dashboardFile, "utf8");

/** Published metrics the dashboard leaves out, and why. */
const notOnDashboard: Record<string, string> = {
  [MetricName.driftChecks]: "a count of checks run; the drift widgets show their results (score, detected, PSI)",
  [MetricName.monitorRuns]: "a heartbeat of the scheduled monitor; whether it runs is alarmed from its function's invocations (monitor-not-running)",
  [MetricName.eventPublishFailures]: "each failure is also recorded on the check, batch or version it concerns",
  [MetricName.retrainingRequests]: "each request is in the retraining request log (GET /models/{model}/retraining-requests)",
  [MetricName.trainingJobFailures]: "alarmed (training-failures), and the alarm status widget lists that alarm",
  [MetricName.sageMakerEventsIgnored]: "a diagnostic count of SageMaker events without mlwatch's tags",
  [MetricName.constraintViolations]: "per Model Monitor constraint check; each drift check's constraint_violations.json lists them",
};

/** The SEARCH expressions over mlwatch's namespace: their dimension set and metric name. */
function namespaceSearches(): Array<{ dimensions: string[]; metric: string }> {
  const found = [...text.matchAll(/\{\$\{Namespace\},([^}]*)\}[^']*?MetricName=\\"([^\\]+)\\"/g)];
  return found.map((m) => ({ dimensions: m[1].split(","), metric: m[2] }));
}

describe("dashboard metrics", () => {
  const searches = namespaceSearches();
  const shown = new Set(searches.map((s) => s.metric));
  const published = new Set<string>(Object.values(MetricName));

  it("shows only metrics that metric-names.ts defines, under its dimension names", () => {
    expect(searches.length).toBeGreaterThan(10);
    const dimensions = new Set<string>(Object.values(Dimension));
    for (const s of searches) {
      expect(published.has(s.metric), s.metric).toBe(true);
      for (const d of s.dimensions) expect(dimensions.has(d), `${s.metric} by ${d}`).toBe(true);
    }
    // Every mention of the namespace in a metric is a SEARCH this test reads (no other form slips past it).
    const metricMentions = [...text.matchAll(/\$\{Namespace\}/g)].length - [...text.matchAll(/`\$\{Namespace\}`/g)].length;
    expect(metricMentions).toBe(searches.length);
  });

  it("shows every published metric, except the ones listed with a reason", () => {
    for (const name of published) {
      const skipped = Object.hasOwn(notOnDashboard, name);
      expect(shown.has(name) || skipped, `${name} is neither on the dashboard nor listed as left out`).toBe(true);
      if (skipped) expect(shown.has(name), `${name} is on the dashboard: remove it from notOnDashboard`).toBe(false);
    }
    for (const name of Object.keys(notOnDashboard)) expect(published.has(name), `${name} is not a published metric`).toBe(true);
  });
});
