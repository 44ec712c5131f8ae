/**
 * The HTML drift report: written to S3 next to the JSON report, named in the check and in the alert,
 * served at GET …/report.html, and rendered by headless Chromium (Debian's chromium, driven by
 * playwright-core) with no console error; the screenshot is kept in .vitest/ for people to look at.
 */
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { s3Client } from "../../../lambdas/shared/aws.js";
import { launchBrowser, screenshotDir, watchedPage, type TestBrowser } from "../browser.js";
import { listenToTopic, type TopicListener } from "../observe.js";
import { createTestStack, type TestStack } from "../stack.js";
import { makeRows } from "./fixtures.js";

let stack: TestStack;
let topic: TopicListener;
let browser: TestBrowser;

beforeAll(async () => {
  stack = await createTestStack("html");
  topic = await listenToTopic(stack.names.topicArn);
  browser = await launchBrowser({ width: 1200, height: 900 });
});

afterAll(async () => {
  await browser?.close();
});

async function driftedCheck(model: string): Promise<any> {
  const baseline = await stack.call("POST", `/models/${model}/baselines`, { records: makeRows(800, 1) });
  expect(baseline.status).toBe(201);
  const check = await stack.call("POST", `/models/${model}/drift-checks`, { records: makeRows(800, 2, 1) });
  expect(check.status).toBe(201);
  return check.body;
}

describe("HTML drift report", () => {
  it("is stored next to the JSON report and named in the check, the JSON report and the alert", async () => {
    // Prepare
    const model = "html-keys";
    // Act
    const check = await driftedCheck(model);
    const [alert] = await topic.receive(1);
    const object = await s3Client().send(new GetObjectCommand({ Bucket: stack.names.bucket, Key: `reports/drift/${model}/${check.checkId}.html` }));
    const json = JSON.parse(await (await s3Client().send(new GetObjectCommand({ Bucket: stack.names.bucket, Key: `reports/drift/${model}/${check.checkId}.json` }))).Body!.transformToString());
    // Assess
    expect(check.reportHtmlUri).toBe(`s3://${stack.names.bucket}/reports/drift/${model}/${check.checkId}.html`);
    expect(check.reportUri).toBe(check.reportHtmlUri.replace(/\.html$/, ".json"));
    expect(object.ContentType).toBe("text/html; charset=utf-8");
    expect(json.reportHtmlUri).toBe(check.reportHtmlUri);
    expect(alert.message).toContain(`HTML report (histograms): ${check.reportHtmlUri}`);
  });

  it("is served at GET …/report.html, with a policy that forbids anything external", async () => {
    // Prepare
    const model = "html-route";
    const check = await driftedCheck(model);
    // Act
    const res = await stack.call("GET", `/models/${model}/drift-checks/${check.checkId}/report.html`);
    const missing = await stack.call("GET", `/models/${model}/drift-checks/20250101T000000000Z-000000/report.html`);
    // Assess
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    expect(res.body).toMatch(/^<!doctype html>/);
    expect(res.body).toContain(`Drift report: ${model}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("NOT_FOUND");
  });

  it("renders in headless Chromium with no console error; the screenshot is a PNG", async () => {
    // Prepare
    const model = "html-render";
    const check = await driftedCheck(model);
    const res = await stack.call("GET", `/models/${model}/drift-checks/${check.checkId}/report.html`);
    const { page, problems, requests } = await watchedPage(browser.context);
    mkdirSync(screenshotDir, { recursive: true });
    const file = join(screenshotDir, "drift-report.png");
    try {
      // Act: the page as the API served it, under the API's content security policy
      await page.route("http://mlwatch.test/report.html", (route) =>
        route.fulfill({ status: 200, headers: { "content-type": "text/html; charset=utf-8", "content-security-policy": res.headers.get("content-security-policy")! }, body: res.body }),
      );
      await page.goto("http://mlwatch.test/report.html", { waitUntil: "load" });
      const svgs = await page.locator("section.feature svg").count();
      const verdict = await page.locator("section.verdict").innerText();
      const firstRow = await page.locator("tbody tr").first().innerText();
      await page.screenshot({ path: file, fullPage: true });
      // Assess
      expect(problems).toEqual([]);
      expect(requests).toEqual(["http://mlwatch.test/report.html"]);
      expect(svgs).toBe(3);
      expect(verdict).toMatch(/Drift detected — severity (HIGH|MODERATE)/);
      expect(firstRow).toMatch(/^income/);
      const png = readFileSync(file);
      expect(statSync(file).size).toBeGreaterThan(10_000);
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    } finally {
      await page.close();
    }
  });
});
