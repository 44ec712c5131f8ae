/**
 * Local mode's front door: GET / (the console's home), /ui/running (what is running, health) and GET /api
 * (the API reference from the OpenAPI document), served by the local server under a policy that forbids
 * anything external, and rendered by headless Chromium (Debian's chromium, driven by playwright-core)
 * with no console error and no request but the page itself; GET /openapi.json names the real port.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MlwatchClient } from "../../../client/index.js";
import { AlertType } from "../../../lambdas/alerts/contract.js";
import { startLocalServer, type LocalServer } from "../../../lambdas/local/server.js";
import { emulatorEndpoint } from "../emulator.js";
import { launchBrowser, screenshotDir, watchedPage, type TestBrowser } from "../browser.js";

let server: LocalServer;
let browser: TestBrowser;
const model = `land${randomBytes(3).toString("hex")}`;

const rows = (n: number, shift: number) => Array.from({ length: n }, (_, i) => ({ age: 30 + ((i * 7) % 40) + shift, plan: i % 3 === 0 ? "pro" : "basic" }));

beforeAll(async () => {
  server = await startLocalServer({ port: 0, endpoint: emulatorEndpoint(), prefix: `land-${randomBytes(4).toString("hex")}` });
  const client = new MlwatchClient({ endpoint: server.url });
  await client.registerVersion(model, { requestUpload: true, primaryMetric: "auc", direction: "higher" });
  await client.createBaseline(model, { records: rows(300, 0), categorical: ["plan"] });
  await client.checkDrift(model, { records: rows(300, 25) });
  browser = await launchBrowser({ width: 1200, height: 900 });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens a page of the local server; returns what it asked for and what went wrong. */
async function open(path: string, screenshot: string) {
  const { page, problems, requests } = await watchedPage(browser.context);
  const res = await page.goto(`${server.url}${path}`, { waitUntil: "load" });
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, screenshot), fullPage: true });
  return { page, res, problems, requests };
}

describe("GET / and /ui/running in local mode", () => {
  it("shows the console's home at / and what is running, health and where to go at /ui/running, with nothing external", async () => {
    const home = await open("/", "landing.png");
    try {
      const row = await home.page.locator(`#models tr[data-model="${model}"]`).innerText();
      expect(home.res?.status()).toBe(200);
      expect(home.res?.headers()["content-security-policy"]).toMatch(/^default-src 'none'; style-src 'unsafe-inline'; img-src data:;/);
      expect(home.problems).toEqual([]);
      expect(home.requests).toEqual([`${server.url}/`]);
      expect(row).toMatch(/drift · (high|moderate)/);
      expect(await home.page.locator("#open-alerts tbody tr").allInnerTexts()).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`${AlertType.dataDrift}\\s+${model}`))]));
    } finally {
      await home.page.close();
    }
    const { page, res, problems, requests } = await open("/ui/running", "running.png");
    try {
      const running = await page.locator("#running").innerText();
      const health = await page.locator("#health h2").innerText();
      const links = await page.locator("a").evaluateAll((as) => as.map((a) => (a as unknown as { getAttribute(name: string): string | null }).getAttribute("href")));
      expect(res?.status()).toBe(200);
      expect(problems).toEqual([]);
      expect(requests).toEqual([`${server.url}/ui/running`]);
      expect(running).toContain(server.url);
      expect(running).toContain(server.resources.bucket);
      expect(health).toBe("Health: ok");
      expect(links).toEqual(expect.arrayContaining(["/api", "/openapi.json", "/health", "/ui/", "/ui/alerts", "/ui/audit"]));
    } finally {
      await page.close();
    }
  });
});

describe("GET /api in local mode", () => {
  it("lists every operation of the OpenAPI document with its client method, with nothing external", async () => {
    const doc = JSON.parse(readFileSync(join(process.cwd(), "docs", "openapi.json"), "utf8"));
    const operations = Object.values(doc.paths as Record<string, object>).reduce((n: number, item) => n + Object.keys(item).filter((k) => ["get", "post", "put", "patch", "delete"].includes(k)).length, 0);
    const { page, res, problems, requests } = await open("/api", "api-reference.png");
    try {
      // One row per operation; a body's fields are a table inside its row.
      const rowCount = await page.locator("section > table > tbody > tr").count();
      const promote = await page.locator("section > table > tbody > tr", { hasText: "/models/{model}/versions/{version}/promote" }).innerText();
      expect(res?.status()).toBe(200);
      expect(res?.headers()["content-security-policy"]).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
      expect(problems).toEqual([]);
      expect(requests).toEqual([`${server.url}/api`]);
      expect(rowCount).toBe(operations);
      expect(promote).toMatch(/^POST\s+\/models\/\{model\}\/versions\/\{version\}\/promote/);
      expect(promote).toContain("client: promote");
      expect(promote).toMatch(/reason\s+required\s+string\s+1–1000 characters/);
      expect(await page.locator("table.fields").count()).toBeGreaterThan(20);
      expect(await page.title()).toBe("mlwatch API reference");
      expect(await page.locator("header").innerText()).toContain(`${operations} operations`);
    } finally {
      await page.close();
    }
  });
});

describe("GET /openapi.json in local mode", () => {
  it("names the port the server really listens on", async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as { servers: { url: string }[] };
    expect(new URL(server.url).port).not.toBe("3000");
    expect(doc.servers.map((s) => s.url)).toEqual(["https://{restApiId}.execute-api.{region}.amazonaws.com/v1", server.url]);
  });
});
