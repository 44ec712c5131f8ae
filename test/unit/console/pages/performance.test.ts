/** The performance page and the HTML performance report draw the estimated section and its track record. */
import { describe, expect, it } from "vitest";
import { createConsoleApp } from "../../../../lambdas/console/app.js";
import type { ApiRequest } from "../../../../lambdas/console/api.js";

const json = (body: unknown, status = 200): Response => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

const metrics = (a: number) => ({ accuracy: a, precision: a, recall: a, f1: a, auc: a });
const report = {
  model: "m",
  version: "1.0.0",
  days: 7,
  from: "2026-12-01T00:00:00.000Z",
  to: "2026-12-08T00:00:00.000Z",
  task: "classification",
  primaryMetric: "accuracy",
  batchCount: 1,
  count: 100,
  overall: { accuracy: 0.8 },
  daily: [{ date: "2026-12-01", batchCount: 1, count: 100, metrics: { accuracy: 0.8 } }],
  trend: null,
  worstBatches: [],
  baseline: null,
  fairness: null,
  latency: null,
  estimated: {
    available: true,
    method: "isotonic",
    unlabelledCount: 400,
    daily: [{ date: "2026-12-02", count: 400, metrics: metrics(0.6431) }],
    overall: { count: 400, metrics: metrics(0.6431) },
    trackRecord: { batches: 2, windows: 3, count: 750, meanAbsoluteError: { accuracy: 0.0123, f1: 0.0456 }, meanError: { accuracy: -0.0071, f1: 0.002 }, coverage: { accuracy: 0.6667, f1: 1 } },
  },
  truncated: false,
};

function fakeApi() {
  return async (r: ApiRequest): Promise<Response> => {
    if (r.path.startsWith("/models/m/performance/thresholds")) return json({ thresholds: {} });
    if (r.path.startsWith("/models/m/performance")) return json(report);
    if (r.path.startsWith("/models/m/versions")) return json({ items: [], nextToken: null });
    if (r.path.startsWith("/alerts")) return json({ items: [], nextToken: null });
    return json({ error: { code: "NOT_FOUND", message: "no" } }, 404);
  };
}

describe("performance page: estimated performance", () => {
  for (const path of ["/ui/models/m/performance?version=1.0.0", "/ui/models/m/performance/report?version=1.0.0"]) {
    it(`${path.split("?")[0]} shows the estimate and the track record`, async () => {
      const res = await createConsoleApp({ api: fakeApi(), mode: { kind: "local" } }).request(path);
      const html = await res.text();
      expect(res.status).toBe(200);
      expect(html).toContain('id="estimated"');
      expect(html).toContain("0.6431");
      expect(html).toContain("Track record");
      expect(html).toContain("3 windows (750 rows)");
      expect(html).toMatch(/<td>f1<\/td><td class="num">0\.0456<\/td><td class="num">0\.002<\/td><td class="num">1<\/td>/);
    });
  }
});
