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
import { setLogSink } from "../shared/logger.js";
import { pageSecurityPolicy, renderApiReference } from "./landing.js";
import { createConsoleApp, inProcessApi, isConsolePath } from "../console/index.js";
import { renderRunning } from "../console/pages/running.js";
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
    const poller = (relay = startRelayPoller(await bootstrapEventRules(prefix, { alarmPrefix: prefix, table: resources.table })));
    const app = hostApp("local", ...allRoutes);
    const host = options.host ?? "127.0.0.1";
    // Known once the server listens (port 0 picks one): the document's local server and the pages name it.
    let url = `http://${host}:${options.port ?? 3000}`;
    // The API's own description (the deployed API's copy is docs/openapi.json), naming the real port.
    let document: ReturnType<typeof buildOpenApiDocument> | undefined;
    app.get("/openapi.json", (c) => c.json((document ??= buildOpenApiDocument(allContracts, { servers: openApiServers(url) }))));
    // operations.json is keyed by operationId; the page looks a row up by `METHOD /path`.
    const clientMethods = new Map(
      Object.values(operationsFile.operations).map((m) => {
        const { method, path, typescript } = m as { method: string; path: string; typescript: string };
        return [`${method.toUpperCase()} ${path}`, typescript];
      }),
    );
    app.get("/api", (c) => {
      c.header("content-security-policy", pageSecurityPolicy);
      return c.html(renderApiReference((document ??= buildOpenApiDocument(allContracts, { servers: openApiServers(url) })) as never, clientMethods));
    });
    // The console (/, /ui/…, /favicon.ico): pages over the same routes, called in-process.
    const consoleApp = createConsoleApp({
      api: inProcessApi(app),
      mode: { kind: "local" },
      running: async () =>
        renderRunning({
          url,
          awsEndpoint: endpoint,
          startedEmulator: emulator !== undefined,
          resources: { bucket: resources.bucket, table: resources.table, topic: resources.topicArn, "audit log group": resources.auditLogGroup },
          health: (await (await app.request("/health")).json().catch(() => undefined)) as never,
        }),
    });
    const route = (req: Request): Response | Promise<Response> => (isConsolePath(new URL(req.url).pathname) ? consoleApp.fetch(req) : app.fetch(req));
    const server: ServerType = await new Promise((resolve, reject) => {
      const logged = options.console
        ? async (req: Request): Promise<Response> => {
            const started = performance.now();
            const res = await answerThenDrain(route, req);
            options.console?.request({ method: req.method, path: new URL(req.url).pathname, status: res.status, ms: performance.now() - started });
            return res;
          }
        : (req: Request) => answerThenDrain(route, req);
      if (options.console) setNoticeSink((n) => options.console?.notice(n));
      if (options.console?.log) setLogSink(options.console.log.bind(options.console));
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
        if (options.console?.log) setLogSink(undefined);
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
