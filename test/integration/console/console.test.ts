/**
 * The console in headless Chromium (Debian's chromium, driven by playwright-core) against the local
 * server and the emulator: every page renders with nothing external and no console error, every link
 * found by crawling from /ui/ answers below 400, user strings are shown as text, an alert acknowledged by
 * clicking is acknowledged in the API, and an approval by a second actor promotes (the requester's own
 * approval is refused). The same pages are then served by `mlwatch console` over a SigV4-checking proxy.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { MlwatchClient } from "../../../client/index.js";
import { s3Client } from "../../../lambdas/shared/aws.js";
import { startLocalServer, type LocalServer } from "../../../lambdas/local/server.js";
import { startConsoleServer, type ConsoleServer } from "../../../bin/commands/console.js";
import { proxyCredentials, proxyRegion, startSigningProxy, type SigningProxy } from "../sigv4-proxy.js";
import { emulatorEndpoint } from "../emulator.js";
import { launchBrowser, screenshotDir, watchedPage, type TestBrowser } from "../browser.js";

const suffix = randomBytes(3).toString("hex");
const model = `con${suffix}`;
const gated = `gate${suffix}`;
const hostile = `<img src=x onerror=alert(1)>"'&`;
let server: LocalServer;
let client: MlwatchClient;
let browser: TestBrowser;
let driftAlertId: string;
let checkId: string;

const rows = (n: number, shift: number) => Array.from({ length: n }, (_, i) => ({ age: 30 + ((i * 7) % 40) + shift, plan: i % 3 === 0 ? "pro" : "basic" }));
const outcomes = (n: number, errors: number) => {
  const actuals = Array.from({ length: n }, (_, i) => i % 2);
  return { actuals, predictions: actuals.map((a, i) => (i < errors ? 1 - a : a)) };
};

beforeAll(async () => {
  server = await startLocalServer({ port: 0, endpoint: emulatorEndpoint(), prefix: `con-${randomBytes(4).toString("hex")}` });
  client = new MlwatchClient({ endpoint: server.url });
  const artifact = async (key: string): Promise<string> => {
    await s3Client().send(new PutObjectCommand({ Bucket: server.resources.bucket, Key: key, Body: "model bytes" }));
    return `s3://${server.resources.bucket}/${key}`;
  };
  await client.registerVersion(model, { version: "1.0.0", artifactUri: await artifact(`external/a{suffix}/model.tar.gz`), metrics: { accuracy: 0.9 }, primaryMetric: "accuracy", direction: "higher", tags: { [hostile]: hostile }, description: hostile });
  await client.registerVersion(model, { version: "1.1.0", artifactUri: await artifact(`external/b{suffix}/model.tar.gz`), metrics: { accuracy: 0.92 } });
  await client.promote(model, "1.0.0", { stage: "staging", reason: hostile });
  await client.createBaseline(model, { records: rows(300, 0), categorical: ["plan"] });
  const check = (await client.checkDrift(model, { records: rows(300, 25) })) as { checkId: string };
  checkId = check.checkId;
  for (const [day, errors] of [[3, 2], [2, 4], [1, 30]] as const) {
    await client.recordBatch(model, "1.0.0", { task: "classification", ...outcomes(100, errors), timestamp: new Date(Date.now() - day * 86_400_000).toISOString() });
  }
  const alerts = await client.listAlerts({ model, state: "open" } as never);
  driftAlertId = (alerts as { items: { alertId: string; type: string }[] }).items.find((a) => a.type.startsWith("data"))!.alertId;
  // four eyes: production needs approval
  await client.registerVersion(gated, { version: "2.0.0", artifactUri: await artifact(`external/g{suffix}/model.tar.gz`), metrics: { auc: 0.8 }, primaryMetric: "auc", direction: "higher", stage: "staging" });
  await client.setPromotionPolicy(gated, { gates: [], requireApproval: ["production"] });
  browser = await launchBrowser({ width: 1400, height: 900 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A page that records console problems, dialogs and every request it makes. */
const watched = (): ReturnType<typeof watchedPage> => watchedPage(browser.context);

async function actAs(page: Page, actor: string): Promise<void> {
  await page.goto(`${server.url}/ui/`);
  await page.fill("#actor", actor);
  await page.click("header .who button");
  await page.waitForLoadState("load");
}

describe("console pages in local mode", () => {
  it("renders every page reachable from /ui/ with nothing external, and every link answers below 400", async () => {
    const { page, problems, requests } = await watched();
    const seen = new Map<string, number>();
    const queue = ["/", "/ui/", `/ui/models/${model}?a=1.0.0&b=1.1.0`];
    const outside = new Set<string>();
    try {
      while (queue.length && seen.size < 60) {
        const path = queue.shift()!;
        if (seen.has(path)) continue;
        const res = await page.goto(`${server.url}${path}`, { waitUntil: "load" });
        seen.set(path, res?.status() ?? 0);
        expect(res?.headers()["content-security-policy"], path).toMatch(/^default-src 'none'; style-src 'unsafe-inline'; img-src data:/);
        const hrefs = await page.locator("a[href]").evaluateAll((as) => as.map((a) => (a as unknown as { getAttribute(n: string): string }).getAttribute("href")));
        for (const href of hrefs) {
          const url = new URL(href, `${server.url}${path}`);
          expect(url.origin, `${path} links to ${href}`).toBe(server.url);
          const local = url.pathname + url.search;
          if (url.pathname === "/" || url.pathname.startsWith("/ui/")) {
            if (!seen.has(local) && !queue.includes(local)) queue.push(local);
          } else outside.add(local);
        }
      }
      for (const path of outside) seen.set(path, (await fetch(`${server.url}${path}`)).status);
      const failing = [...seen].filter(([, status]) => status >= 400);
      expect(failing).toEqual([]);
      expect(problems).toEqual([]);
      expect(requests.every((r) => r.startsWith(server.url))).toBe(true);
      // each kind of page was reached by following links
      for (const p of ["/ui/alerts", "/ui/audit", `/ui/models/${model}`, `/ui/models/${model}/drift`, `/ui/models/${model}/performance`, `/ui/models/${model}/drift/${checkId}/report`, "/ui/running"]) {
        expect([...seen.keys()].some((k) => k === p || k.startsWith(`${p}?`)), p).toBe(true);
      }
      expect([...seen.keys()].some((k) => k.startsWith(`/ui/models/${model}/performance/report`))).toBe(true);
    } finally {
      await page.close();
    }
  });

  it("shows each model's production version, drift verdict, quality trend and open alerts on the home page, also at /", async () => {
    const { page, problems } = await watched();
    try {
      for (const path of ["/ui/", "/"]) {
        await page.goto(`${server.url}${path}`);
        const row = await page.locator(`#models tr[data-model="${model}"]`).innerText();
        expect(row).toContain(model);
        expect(row).toMatch(/drift · (high|moderate)/);
        expect(row).toMatch(/\d+ open/);
        expect(await page.locator(`#models tr[data-model="${model}"] svg.spark path`).count()).toBeGreaterThan(0);
      }
      mkdirSync(screenshotDir, { recursive: true });
      await page.screenshot({ path: join(screenshotDir, "console-home.png"), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("shows user strings as text: a hostile tag, description and reason do not become markup", async () => {
    const { page, problems } = await watched();
    try {
      const res = await page.goto(`${server.url}/ui/models/${model}`);
      const html = await res!.text();
      expect(html).not.toContain("<img src=x");
      expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
      expect(await page.locator("main img, main script").count()).toBe(0);
      expect(await page.locator(`tr[data-version="1.0.0"]`).innerText()).toContain(`${hostile}=${hostile}`);
      expect(await page.locator("#timeline").innerText()).toContain(hostile);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("acknowledges an alert by clicking, as the actor picked in the page", async () => {
    const { page, problems } = await watched();
    try {
      await actAs(page, "carol");
      await page.goto(`${server.url}/ui/alerts?state=open&model=${model}`);
      const row = page.locator(`tr[data-alert="${driftAlertId}"]`);
      await row.locator(`form[action$="/acknowledge"] input[name=reason]`).fill("looking into the age shift");
      await row.locator(`form[action$="/acknowledge"] button`).click();
      await page.waitForLoadState("load");
      expect(await page.locator(".flash").innerText()).toBe("alert acknowledged");
      const alert = (await client.getAlert(driftAlertId)) as { state: string; acknowledged?: { by: string; reason: string } };
      expect(alert.state).toBe("acknowledged");
      expect(alert.acknowledged).toMatchObject({ by: "carol", reason: "looking into the age shift" });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("promotes on approval by a second actor; the requester's own approval is refused", async () => {
    const { page, problems } = await watched();
    try {
      await actAs(page, "alice");
      await page.goto(`${server.url}/ui/models/${gated}`);
      await page.selectOption("#promote select[name=version]", "2.0.0");
      await page.selectOption("#promote select[name=stage]", "production");
      await page.fill("#promote input[name=reason]", "ready for traffic");
      await page.click("#promote button");
      await page.waitForLoadState("load");
      expect(await page.locator(".flash").innerText()).toContain("waits for approval");
      const approve = async (reason: string) => {
        const form = page.locator(`#approvals form[action$="/versions/2.0.0/approve"]`);
        await form.locator("input[name=reason]").fill(reason);
        await form.locator("button").click();
        await page.waitForLoadState("load");
      };
      await approve("my own");
      expect(await page.locator(".flash").innerText()).toMatch(/refused \(403 FORBIDDEN\)/);
      expect(((await client.getVersion(gated, "2.0.0")) as { stage: string }).stage).toBe("staging");
      await actAs(page, "bob");
      await page.goto(`${server.url}/ui/models/${gated}`);
      await page.screenshot({ path: join(screenshotDir, "console-approval.png"), fullPage: true });
      await approve("reviewed the evaluation");
      expect(await page.locator(".flash").innerText()).toContain("approved");
      const version = (await client.getVersion(gated, "2.0.0")) as { stage: string };
      expect(version.stage).toBe("production");
      const approvals = (await client.listApprovals(gated)) as { items: { state: string; requestedBy: string; decidedBy?: string }[] };
      expect(approvals.items[0]).toMatchObject({ state: "approved", requestedBy: "alice", decidedBy: "bob" });
      expect(await page.locator("#approvals").count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("serves a favicon, links the drift report back to the console and refuses forms without the page's token or from another origin", async () => {
    const icon = await fetch(`${server.url}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toBe("image/svg+xml");
    const report = await (await fetch(`${server.url}/ui/models/${model}/drift/${checkId}/report`)).text();
    expect(report).toContain(`href="/ui/models/${model}/drift"`);
    expect(report).toContain("age");
    const perf = await fetch(`${server.url}/ui/models/${model}/performance/report?days=7`);
    expect(perf.status).toBe(200);
    expect(await perf.text()).toMatch(/<svg[^>]*id="primary-chart"/);
    const form = { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" } as const;
    const noToken = await fetch(`${server.url}/ui/alerts/${driftAlertId}/resolve`, { ...form, body: "reason=x" });
    expect(noToken.status).toBe(403);
    const page = await (await fetch(`${server.url}/ui/alerts`)).text();
    const token = /name="csrf" value="([^"]+)"/.exec(page)![1];
    const foreign = await fetch(`${server.url}/ui/alerts/${driftAlertId}/resolve`, { ...form, headers: { ...form.headers, origin: "https://evil.example" }, body: `csrf=${token}&reason=x` });
    expect(foreign.status).toBe(403);
    expect(((await client.getAlert(driftAlertId)) as { state: string }).state).toBe("acknowledged");
  });
});

describe("mlwatch console over a signed API", () => {
  let proxy: SigningProxy;
  let console_: ConsoleServer;
  beforeAll(async () => {
    proxy = await startSigningProxy(server.url);
    console_ = await startConsoleServer({ endpoint: proxy.url, auth: "sigv4", region: proxyRegion, credentials: proxyCredentials, port: 0 });
  });
  afterAll(async () => {
    await console_?.close();
    await proxy?.close();
  });

  it("reads every page through SigV4-signed calls and acts as the signer", async () => {
    for (const path of ["/ui/", `/ui/models/${model}`, `/ui/models/${model}/drift`, `/ui/models/${model}/performance`, "/ui/alerts", "/ui/audit"]) {
      const res = await fetch(`${console_.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain("signed with your AWS credentials");
    }
    expect(proxy.seen.length).toBeGreaterThan(10);
    expect(proxy.seen.every((s) => s.signed && s.valid)).toBe(true);
    const page = await (await fetch(`${console_.url}/ui/alerts`)).text();
    expect(page).not.toContain('name="actor"');
    const token = /name="csrf" value="([^"]+)"/.exec(page)![1];
    const res = await fetch(`${console_.url}/ui/alerts/${driftAlertId}/resolve`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `csrf=${token}&reason=fixed+upstream`, redirect: "manual" });
    expect(res.status).toBe(303);
    const alert = (await client.getAlert(driftAlertId)) as { state: string; resolved?: { by: string; reason: string } };
    expect(alert.state).toBe("resolved");
    expect(alert.resolved?.reason).toBe("fixed upstream");
    expect(proxy.seen.at(-1)).toEqual({ request: `POST /alerts/${driftAlertId}/resolve`, signed: true, valid: true });
  });

  it("answers only on its loopback name (no DNS rebinding with the caller's credentials)", async () => {
    const { request } = await import("node:http");
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${console_.url}/ui/`, { headers: { host: "attacker.example:80" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(421);
  });
});
