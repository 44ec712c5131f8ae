/**
 * Local mode: every service's routes on one Node server, against an embedded emulator.
 *
 * Starts `moto_server` (unless `AWS_ENDPOINT_URL` is already set), creates the stack's resources in it,
 * points every client at it, and serves on 127.0.0.1:$PORT. `close()` stops both.
 */
import { serve, type ServerType } from "@hono/node-server";
import { processRssBytes, startEmulator, type Emulator } from "./emulator.js";
import { setEmulatorProbe } from "../shared/health.js";
import { bootstrapResources, exportResourceNames, useEndpoint } from "./bootstrap.js";
import { allRoutes } from "./services.js";
import { hostApp } from "../shared/http.js";
import { buildOpenApiDocument, openApiServers } from "../shared/openapi.js";
import type { LocalConsole } from "./console.js";
import { setNoticeSink } from "../shared/notices.js";
import { pageSecurityPolicy, renderApiReference, renderLandingPage, type LandingData } from "./landing.js";
import operationsFile from "../../client/operations.json" with { type: "json" };
import { allContracts } from "../contracts.js";
import type { ResourceNames } from "../shared/env.js";
import { dynamoClient } from "../shared/aws.js";
import { serializeDynamoCalls } from "./moto-compat.js";
import { bootstrapEventRules, startRelayPoller, type RelayPoller } from "./event-relay.js";

/** Options of {@link startLocalServer}. */
export interface LocalServerOptions {
  /** TCP port. @default 3000 */
  readonly port?: number;
  /** Interface to bind. @default "127.0.0.1" */
  readonly host?: string;
  /** Resource name prefix in the emulator. @default "mlwatch-local" */
  readonly prefix?: string;
  /** An endpoint to use instead of starting an emulator. @default process.env.AWS_ENDPOINT_URL */
  readonly endpoint?: string;
  /** Prints one line per request and the alerts and events as they happen. @default none */
  readonly console?: LocalConsole;
}

/** A running local server. */
export interface LocalServer {
  readonly url: string;
  readonly endpoint: string;
  readonly startedEmulator: boolean;
  readonly resources: ResourceNames;
  close(): Promise<void>;
}

/** Largest unread body the local host reads to the end after answering, and for how long at most. */
const drainLimit = { bytes: 64 * 1024 * 1024, ms: 10_000 };

/**
 * Answers, and when the answer came before the request body was read (a 404, 413 or 415, a bad path
 * parameter), reads that body to the end first. Otherwise the Node adapter closes the connection after
 * answering, and a keep-alive client that reuses it, or is still uploading, sees a socket error instead of
 * an answer (API Gateway reads the whole request for the deployed API). Bounded in bytes and time.
 */
async function answerThenDrain(fetch: (req: Request) => Response | Promise<Response>, req: Request): Promise<Response> {
  const res = await fetch(req);
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (req.body && !req.bodyUsed && declared <= drainLimit.bytes) {
    const reader = req.body.getReader();
    let timer: NodeJS.Timeout | undefined;
    const timeUp = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), drainLimit.ms)));
    try {
      for (;;) {
        const chunk = await Promise.race([reader.read(), timeUp]);
        if (chunk === "timeout" || chunk.done) break;
      }
    } catch {
      // the client went away: nothing left to drain
    } finally {
      clearTimeout(timer);
      reader.releaseLock();
    }
  }
  return res;
}

/** Reads what the landing page shows through the API's own routes, in-process. */
async function landingData(app: { request(path: string): Response | Promise<Response> }, base: Pick<LandingData, "url" | "awsEndpoint" | "startedEmulator" | "resources">): Promise<LandingData> {
  const get = async <T>(path: string): Promise<T | undefined> => {
    const res = await app.request(path);
    return res.ok ? ((await res.json()) as T) : undefined;
  };
  const [health, models, alerts] = await Promise.all([
    get<LandingData["health"]>("/health"),
    get<{ items: LandingData["models"] }>("/models?limit=100"),
    get<{ items: LandingData["alerts"] }>("/alerts?state=open&limit=20"),
  ]);
  const perModel = await Promise.all((models?.items ?? []).slice(0, 20).map((m) => get<{ checks: LandingData["checks"] }>(`/models/${encodeURIComponent(m.model)}/drift-checks?limit=5`)));
  const checks = perModel.flatMap((p) => p?.checks ?? []).sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 10);
  return { ...base, health, models: models?.items ?? [], checks, alerts: alerts?.items ?? [] };
}

/** Starts the emulator (when needed), creates the resources and serves every route. */
export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const external = options.endpoint ?? process.env.AWS_ENDPOINT_URL;
  let emulator: Emulator | undefined;
  let relay: RelayPoller | undefined;
  const endpoint = external ?? (emulator = await startEmulator()).endpoint;
  try {
    useEndpoint(endpoint);
    const emulatorPid = emulator?.pid;
    if (emulatorPid !== undefined) setEmulatorProbe(async () => ({ pid: emulatorPid, rssBytes: await processRssBytes(emulatorPid) }));
    serializeDynamoCalls(dynamoClient());
    process.env.MLWATCH_STAGE ??= "local";
    const prefix = options.prefix ?? "mlwatch-local";
    const resources = await bootstrapResources(prefix);
    exportResourceNames(resources);
    // The EventBridge rules, each relayed through SQS to the handler its Lambda runs when deployed.
    const poller = (relay = startRelayPoller(await bootstrapEventRules(prefix)));
    const app = hostApp("local", ...allRoutes);
    const host = options.host ?? "127.0.0.1";
    // Known once the server listens (port 0 picks one): the document's local server and the pages name it.
    let url = `http://${host}:${options.port ?? 3000}`;
    // The API's own description (the deployed API's copy is docs/openapi.json), naming the real port.
    let document: ReturnType<typeof buildOpenApiDocument> | undefined;
    app.get("/openapi.json", (c) => c.json((document ??= buildOpenApiDocument(allContracts, { servers: openApiServers(url) }))));
    const clientMethods = new Map(Object.entries(operationsFile.operations).map(([op, m]) => [op, (m as { typescript: string }).typescript]));
    app.get("/api", (c) => {
      c.header("content-security-policy", pageSecurityPolicy);
      return c.html(renderApiReference((document ??= buildOpenApiDocument(allContracts, { servers: openApiServers(url) })) as never, clientMethods));
    });
    app.get("/", async (c) => {
      c.header("content-security-policy", pageSecurityPolicy);
      return c.html(renderLandingPage(await landingData(app, { url, awsEndpoint: endpoint, startedEmulator: emulator !== undefined, resources: { bucket: resources.bucket, table: resources.table, topic: resources.topicArn, "audit log group": resources.auditLogGroup } })));
    });
    const server: ServerType = await new Promise((resolve, reject) => {
      const logged = options.console
        ? async (req: Request): Promise<Response> => {
            const started = performance.now();
            const res = await answerThenDrain((r) => app.fetch(r), req);
            options.console?.request({ method: req.method, path: new URL(req.url).pathname, status: res.status, ms: performance.now() - started });
            return res;
          }
        : (req: Request) => answerThenDrain((r) => app.fetch(r), req);
      if (options.console) setNoticeSink((n) => options.console?.notice(n));
      const s = serve({ fetch: logged, port: options.port ?? 3000, hostname: host }, () => resolve(s));
      s.once("error", reject);
    });
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : options.port ?? 3000;
    url = `http://${host}:${port}`;
    return {
      url,
      endpoint,
      startedEmulator: emulator !== undefined,
      resources,
      close: async () => {
        await poller.stop();
        if (options.console) setNoticeSink(undefined);
        await new Promise<void>((resolve) => server.close(() => resolve()));
        if (emulatorPid !== undefined) setEmulatorProbe(undefined);
        await emulator?.stop();
      },
    };
  } catch (err) {
    await relay?.stop();
    await emulator?.stop();
    throw err;
  }
}
