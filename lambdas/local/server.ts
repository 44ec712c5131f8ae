/**
 * Local mode: every service's routes on one Node server, against an embedded emulator.
 *
 * Starts `moto_server` (unless `AWS_ENDPOINT_URL` is already set), creates the stack's resources in it,
 * points every client at it, and serves on 127.0.0.1:$PORT. `close()` stops both.
 */
import { serve, type ServerType } from "@hono/node-server";
import { startEmulator, type Emulator } from "./emulator.js";
import { bootstrapResources, exportResourceNames, useEndpoint } from "./bootstrap.js";
import { allRoutes } from "./services.js";
import { hostApp } from "../shared/http.js";
import { buildOpenApiDocument } from "../shared/openapi.js";
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
    serializeDynamoCalls(dynamoClient());
    process.env.MLWATCH_STAGE ??= "local";
    const prefix = options.prefix ?? "mlwatch-local";
    const resources = await bootstrapResources(prefix);
    exportResourceNames(resources);
    // The EventBridge rules, each relayed through SQS to the handler its Lambda runs when deployed.
    const poller = (relay = startRelayPoller(await bootstrapEventRules(prefix)));
    const app = hostApp("local", ...allRoutes);
    // The API's own description (generated once; the deployed API's copy is docs/openapi.json).
    const document = buildOpenApiDocument(allContracts);
    app.get("/openapi.json", (c) => c.json(document));
    const host = options.host ?? "127.0.0.1";
    const server: ServerType = await new Promise((resolve, reject) => {
      const s = serve({ fetch: (req) => answerThenDrain((r) => app.fetch(r), req), port: options.port ?? 3000, hostname: host }, () => resolve(s));
      s.once("error", reject);
    });
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : options.port ?? 3000;
    return {
      url: `http://${host}:${port}`,
      endpoint,
      startedEmulator: emulator !== undefined,
      resources,
      close: async () => {
        await poller.stop();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await emulator?.stop();
      },
    };
  } catch (err) {
    await relay?.stop();
    await emulator?.stop();
    throw err;
  }
}
