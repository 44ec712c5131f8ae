/**
 * The console: server-rendered pages under `/ui/` over the API, and the forms that act through it.
 *
 * One Hono app, given the {@link ApiFetch} it reads and acts through: the local server passes its own
 * app (in-process), `mlwatch console` a SigV4-signing fetch to a deployed API. Pages carry no script;
 * forms POST to the console, which calls the API and redirects back (303) with a one-time message.
 * Every POST must carry the page's CSRF token and come from the console's own origin; against a deployed
 * API the console answers only requests whose Host is a loopback name, so another site cannot drive it
 * (DNS rebinding) with the caller's credentials.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { Hono, type Context } from "hono";
import { getCookie, setCookie, deleteCookie } from "hono/cookie";
import { ApiAnswerError, ConsoleApi, type ApiFetch } from "./api.js";
import { consoleSecurityPolicy, esc, faviconSvg, frame, type FrameOptions, type Html, type Identity } from "./html.js";
import { renderHome } from "./pages/home.js";
import { renderModel } from "./pages/model.js";
import { renderDrift, renderDriftReport } from "./pages/drift.js";
import { renderPerformance, renderPerformanceReport } from "./pages/performance.js";
import { renderAlert, renderAlerts } from "./pages/alerts.js";
import { renderAudit } from "./pages/audit.js";

/** Options of {@link createConsoleApp}. */
export interface ConsoleOptions {
  /** How the console reaches the API. */
  readonly api: ApiFetch;
  /** `local`: the actor is picked in the page (cookie) and sent as `x-mlwatch-actor`; `signed`: the caller's IAM principal. */
  readonly mode: { readonly kind: "local" } | { readonly kind: "signed"; readonly endpoint: string };
  /** Local mode: the "what is running" section's body. */
  readonly running?: (() => Promise<Html>) | undefined;
  /** Host header values the console answers; undefined: any. */
  readonly allowedHost?: ((host: string) => boolean) | undefined;
}

/** What a local actor name may be (the API's own rule for `x-mlwatch-actor`). */
const actorPattern = /^[A-Za-z0-9][A-Za-z0-9._@:-]{0,63}$/;
const actorCookie = "mlwatch-actor";
const flashCookie = "mlwatch-flash";

/** A loopback host name, with or without a port. */
export const isLoopbackHost = (host: string): boolean => /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i.test(host);

/** The favicon as an ICO file holding one PNG-less 16×16 BMP would be larger; browsers accept SVG here. */
const favicon = new TextEncoder().encode(faviconSvg);

/** Builds the console's app. */
export function createConsoleApp(options: ConsoleOptions): Hono {
  const app = new Hono();
  const csrf = randomBytes(18).toString("base64url");

  const actorOf = (c: Context): string | undefined => {
    if (options.mode.kind !== "local") return undefined;
    const named = getCookie(c, actorCookie);
    return named !== undefined && actorPattern.test(named) ? named : undefined;
  };
  const identity = (c: Context): Identity => (options.mode.kind === "local" ? { kind: "local", actor: actorOf(c) ?? "local" } : { kind: "signed", endpoint: options.mode.endpoint });
  const apiFor = (c: Context): ConsoleApi => new ConsoleApi(options.api, actorOf(c));
  const frameOf = (c: Context): Omit<FrameOptions, "title" | "section"> => {
    const text = getCookie(c, flashCookie);
    if (text !== undefined) deleteCookie(c, flashCookie, { path: "/" });
    const flash = text === undefined ? undefined : { ok: text.startsWith("ok:"), text: text.slice(3) };
    const url = new URL(c.req.url);
    return { identity: identity(c), csrf, flash, back: url.pathname + url.search, running: options.running !== undefined };
  };
  const flashThenGo = (c: Context, ok: boolean, text: string, to: string): Response => {
    setCookie(c, flashCookie, `${ok ? "ok" : "no"}:${text.slice(0, 600)}`, { path: "/", httpOnly: true, sameSite: "Strict" });
    return c.redirect(to, 303);
  };

  app.use("*", async (c, next) => {
    const host = c.req.header("host") ?? "";
    if (options.allowedHost && !options.allowedHost(host)) return c.text("this console answers only on its loopback address", 421);
    await next();
    c.header("content-security-policy", consoleSecurityPolicy);
    c.header("x-content-type-options", "nosniff");
    // "same-origin", not "no-referrer": with no-referrer the browser sends `Origin: null` on the console's own forms
    c.header("referrer-policy", "same-origin");
    c.header("cache-control", "no-store");
  });

  // Forms: same origin and the page's token, or nothing happens.
  app.use("*", async (c, next) => {
    if (c.req.method !== "POST") return next();
    const origin = c.req.header("origin");
    const site = c.req.header("sec-fetch-site");
    const own = new URL(c.req.url);
    const host = c.req.header("host") ?? own.host;
    if ((origin !== undefined && origin !== "null" && new URL(origin).host !== host) || origin === "null" || (site !== undefined && site !== "same-origin" && site !== "none")) {
      return c.text("refused: a console form must be sent from the console's own pages", 403);
    }
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const token = typeof form.csrf === "string" ? Buffer.from(form.csrf) : Buffer.alloc(0);
    const expected = Buffer.from(csrf);
    if (token.length !== expected.length || !timingSafeEqual(token, expected)) return c.text("refused: the form's token is missing or stale; reload the page and send it again", 403);
    c.set("form" as never, form as never);
    return next();
  });
  const formOf = (c: Context): Record<string, string> => {
    const raw = (c.get("form" as never) ?? {}) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(raw).filter(([, v]) => typeof v === "string")) as Record<string, string>;
  };

  const page = (render: (c: Context) => Promise<Html>) => async (c: Context) => {
    try {
      return c.html(await render(c));
    } catch (err) {
      return errorPage(c, err);
    }
  };
  const errorPage = (c: Context, err: unknown): Response => {
    const api = err instanceof ApiAnswerError ? err : undefined;
    const status = api ? (api.status >= 500 ? 502 : api.status) : 500;
    if (!api) console.error("console page failed", err);
    const body = `<h1>${api?.status === 404 ? "Not found" : "Could not show this page"}</h1><section class="card"><p>${api ? `The API answered <b>${esc(api.status)}</b> <code>${esc(api.code)}</code>: ${esc(api.message)}` : "An unexpected error: see the server's log."}</p><p><a href="/ui/">back to the models</a></p></section>`;
    return c.html(frame({ ...frameOf(c), title: "Error", section: "models" }, body), status as 400);
  };

  app.get("/favicon.ico", (c) => c.body(favicon, 200, { "content-type": "image/svg+xml", "cache-control": "max-age=86400" }));
  app.get("/ui", (c) => c.redirect("/ui/", 301));
  app.get("/ui/", page((c) => renderHome(apiFor(c), frameOf(c))));
  const running = options.running;
  if (running) app.get("/ui/running", page(async (c) => frame({ ...frameOf(c), title: "What is running", section: "running" }, await running())));
  if (options.mode.kind !== "local") app.get("/", (c) => c.redirect("/ui/", 302));
  if (options.mode.kind === "local") {
    app.get("/", page((c) => renderHome(apiFor(c), frameOf(c))));
    app.post("/ui/actor", (c) => {
      const actor = (formOf(c).actor ?? "").trim();
      if (!actorPattern.test(actor)) return flashThenGo(c, false, "an actor name is 1-64 letters, digits, '.', '_', '@', ':' or '-', starting with a letter or digit", back(c));
      setCookie(c, actorCookie, actor, { path: "/", httpOnly: true, sameSite: "Strict" });
      return flashThenGo(c, true, `now acting as ${actor}`, back(c));
    });
  }
  app.get("/ui/models/:model", page((c) => renderModel(apiFor(c), frameOf(c), param(c, "model"), [c.req.query("a"), c.req.query("b")].filter((v): v is string => !!v))));
  app.get("/ui/models/:model/drift", page((c) => renderDrift(apiFor(c), frameOf(c), param(c, "model"))));
  app.get("/ui/models/:model/drift/:checkId/report", async (c) => {
    try {
      const { status, html } = await renderDriftReport(apiFor(c), param(c, "model"), param(c, "checkId"));
      return c.html(html, status as 200);
    } catch (err) {
      return errorPage(c, err);
    }
  });
  app.get("/ui/models/:model/performance", page((c) => renderPerformance(apiFor(c), frameOf(c), param(c, "model"), c.req.query("days"), c.req.query("version"))));
  app.get("/ui/models/:model/performance/report", page((c) => renderPerformanceReport(apiFor(c), param(c, "model"), c.req.query("days"), c.req.query("version"))));
  app.get("/ui/alerts", page((c) => renderAlerts(apiFor(c), frameOf(c), { state: c.req.query("state"), model: c.req.query("model"), type: c.req.query("type"), nextToken: c.req.query("nextToken") })));
  app.get("/ui/alerts/:alertId", page((c) => renderAlert(apiFor(c), frameOf(c), param(c, "alertId"))));
  app.get("/ui/audit", page((c) => renderAudit(apiFor(c), frameOf(c), { model: c.req.query("model"), type: c.req.query("type"), nextToken: c.req.query("nextToken") })));

  /** An action: the reason is asked in the form; the API's refusal is shown as it answered. */
  const action = (run: (api: ConsoleApi, c: Context, form: Record<string, string>) => Promise<string>, to: (c: Context) => string) => async (c: Context) => {
    const form = formOf(c);
    try {
      return flashThenGo(c, true, await run(apiFor(c), c, form), to(c));
    } catch (err) {
      if (!(err instanceof ApiAnswerError)) throw err;
      return flashThenGo(c, false, `refused (${err.status} ${err.code}): ${err.message}`, to(c));
    }
  };
  const modelPage = (c: Context): string => `/ui/models/${encodeURIComponent(param(c, "model"))}`;
  app.post(
    "/ui/models/:model/versions/:version/approve",
    action(async (api, c, f) => {
      const r = await api.approve(param(c, "model"), param(c, "version"), f.reason ?? "");
      return `approved: ${param(c, "version")} is now ${String((r.body as { to?: string }).to ?? "promoted")}`;
    }, modelPage),
  );
  app.post(
    "/ui/models/:model/versions/:version/reject",
    action(async (api, c, f) => {
      await api.reject(param(c, "model"), param(c, "version"), f.reason ?? "");
      return `rejected the promotion of ${param(c, "version")}`;
    }, modelPage),
  );
  app.post(
    "/ui/models/:model/promote",
    action(async (api, c, f) => {
      const r = await api.promote(param(c, "model"), f.version ?? "", f.stage ?? "", f.reason ?? "");
      return r.status === 202 ? `${f.version} → ${f.stage} waits for approval by another person` : `${f.version} is now ${f.stage}`;
    }, modelPage),
  );
  for (const verb of ["acknowledge", "resolve"] as const) {
    app.post(
      `/ui/alerts/:alertId/${verb}`,
      action(
        async (api, c, f) => {
          await api[verb](param(c, "alertId"), f.reason ?? "");
          return `alert ${verb === "acknowledge" ? "acknowledged" : "resolved"}`;
        },
        (c) => back(c, `/ui/alerts/${encodeURIComponent(param(c, "alertId"))}`),
      ),
    );
  }
  app.notFound((c) => c.html(frame({ ...frameOf(c), title: "Not found", section: "models" }, `<h1>Not found</h1><section class="card"><p>No console page at <code>${esc(c.req.path)}</code>.</p><p><a href="/ui/">back to the models</a></p></section>`), 404));
  return app;
}

/** Where a form came from (its `back` field, a console path), else a fallback. */
function back(c: Context, fallback = "/ui/"): string {
  const raw = (c.get("form" as never) as Record<string, unknown> | undefined)?.back;
  return typeof raw === "string" && (raw === "/" || /^\/ui\/[^\s\\]*$/.test(raw)) ? raw : fallback;
}

/** A path parameter of the matched route. */
const param = (c: Context, name: string): string => c.req.param(name) ?? "";
