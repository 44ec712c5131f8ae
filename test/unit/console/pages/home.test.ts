/** The home page's quality column: the primary metric's value over the window, and its line when there are days to draw. */
import { describe, expect, it } from "vitest";
import { createConsoleApp } from "../../../../lambdas/console/app.js";
import type { ApiRequest } from "../../../../lambdas/console/api.js";

const json = (body: unknown): Response => new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });

const day = (date: string, accuracy: number) => ({ date, batchCount: 1, count: 100, metrics: { accuracy } });
const report = (daily: ReturnType<typeof day>[], overall: number) => ({
  model: "m",
  days: 14,
  from: "2026-11-24T00:00:00.000Z",
  to: "2026-12-08T00:00:00.000Z",
  task: "classification",
  primaryMetric: "accuracy",
  batchCount: daily.length,
  count: 100 * daily.length,
  overall: { accuracy: overall },
  daily,
  trend: null,
  worstBatches: [],
});

/** The home page over a fake API whose one model has `daily` days of data; the quality cell's HTML. */
async function qualityCell(daily: ReturnType<typeof day>[], overall: number): Promise<string> {
  const api = async (r: ApiRequest): Promise<Response> => {
    if (r.path.startsWith("/models?")) return json({ items: [{ model: "m", versionCount: 1, primaryMetric: "accuracy" }], nextToken: null });
    if (r.path.startsWith("/alerts?")) return json({ items: [], nextToken: null });
    if (r.path.startsWith("/models/m/versions")) return json({ items: [], nextToken: null });
    if (r.path.startsWith("/models/m/drift-checks")) return json({ items: [], nextToken: null });
    if (r.path.startsWith("/models/m/performance?")) return json(report(daily, overall));
    throw new Error(`unexpected ${r.path}`);
  };
  const res = await createConsoleApp({ api, mode: { kind: "local" } }).request("/ui/");
  expect(res.status).toBe(200);
  const cell = /<td><a href="\/ui\/models\/m\/performance"[^>]*>(.*?)<\/a><\/td>/s.exec(await res.text());
  expect(cell).not.toBeNull();
  return cell![1];
}

describe("home page quality column", () => {
  it("shows a single day's value once, without a line", async () => {
    const cell = await qualityCell([day("2026-12-07", 0.8125)], 0.8125);
    expect(cell.match(/0\.8125|0\.813/g)).toHaveLength(1);
    expect(cell).toContain("accuracy 0.8");
    expect(cell).not.toContain("<svg");
  });

  it("draws the line over two days or more, beside the window's value", async () => {
    const cell = await qualityCell([day("2026-12-06", 0.9), day("2026-12-07", 0.7)], 0.8);
    expect(cell).toContain('<svg class="spark"');
    expect(cell).toMatch(/accuracy 0\.8/);
  });
});
