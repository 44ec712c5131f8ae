/** Headless Chromium for the tests that render pages: one fresh profile per file, and pages that record what goes wrong. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

/** Where screenshots go. */
export const screenshotDir = join(process.cwd(), ".vitest", "screenshots");

/** A browser with its own fresh profile (playwright passes it as --user-data-dir); `close()` removes it. */
export interface TestBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Starts Debian's chromium, headless, with a fresh profile and nothing that calls home. */
export async function launchBrowser(viewport: { width: number; height: number }): Promise<TestBrowser> {
  const profileDir = mkdtempSync(join(tmpdir(), "mlwatch-chromium-"));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    viewport,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** A new page that records console errors and warnings, page errors and dialogs (dismissed) as problems, and every request it makes. */
export async function watchedPage(context: BrowserContext): Promise<{ page: Page; problems: string[]; requests: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("dialog", (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on("request", (r) => requests.push(r.url()));
  return { page, problems, requests };
}
