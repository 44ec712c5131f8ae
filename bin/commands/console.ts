/**
 * `mlwatch console --endpoint URL`: the console's pages on 127.0.0.1, over a deployed API. Every call is
 * signed with SigV4 from the caller's AWS credentials (the default provider chain), so each action is
 * made as that IAM principal and the API's own rules hold (four-eyes approval among them). Nothing is
 * deployed for it. Against the local server (a loopback endpoint) requests are sent unsigned unless
 * `--auth sigv4` is given.
 */
import { serve, type ServerType } from "@hono/node-server";
import { createConsoleApp, isLoopbackHost, type ApiFetch } from "../../lambdas/console/index.js";
import { signRequest, type AwsCredentials } from "../../client/sigv4.js";
import { flag, parseArgs, UsageError, type CommandIo, processIo } from "./api-common.js";

/** Options of {@link startConsoleServer}. */
export interface ConsoleServerOptions {
  /** The API's base URL (with the stage: `https://{id}.execute-api.{region}.amazonaws.com/v1`). */
  readonly endpoint: string;
  /** @default 3100; 0 picks a free port */
  readonly port?: number;
  /** @default "sigv4", or "none" for a loopback endpoint */
  readonly auth?: "sigv4" | "none";
  /** @default the region in an execute-api host name, else AWS_REGION / AWS_DEFAULT_REGION */
  readonly region?: string | undefined;
  /** @default the AWS SDK's default provider chain */
  readonly credentials?: AwsCredentials | (() => Promise<AwsCredentials>);
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** A running console. */
export interface ConsoleServer {
  readonly url: string;
  close(): Promise<void>;
}

const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i;

/** The region a signature is made for. */
export function signingRegion(endpoint: string, given?: string): string {
  if (given) return given;
  const fromHost = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(new URL(endpoint).hostname)?.[1];
  const region = fromHost ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new UsageError("no region to sign with: pass --region or set AWS_REGION");
  return region;
}

/** The console's fetch over HTTP: SigV4-signed with the caller's credentials, or plain for the local server. */
export function signedApiFetch(options: ConsoleServerOptions): ApiFetch {
  const base = options.endpoint.replace(/\/+$/, "");
  const auth = options.auth ?? (loopback.test(new URL(base).hostname) ? "none" : "sigv4");
  const region = auth === "sigv4" ? signingRegion(base, options.region) : "";
  const doFetch = options.fetch ?? globalThis.fetch;
  let provider: (() => Promise<AwsCredentials>) | undefined;
  const credentials = async (): Promise<AwsCredentials> => {
    const given = options.credentials;
    if (given !== undefined) return typeof given === "function" ? given() : given;
    if (!provider) {
      const { defaultProvider } = await import("@aws-sdk/credential-provider-node");
      provider = defaultProvider() as () => Promise<AwsCredentials>;
    }
    return provider();
  };
  return async (r) => {
    const url = new URL(base + r.path);
    const body = r.body === undefined ? undefined : JSON.stringify(r.body);
    let headers: Record<string, string> = { accept: "application/json, text/html" };
    if (body !== undefined) headers["content-type"] = "application/json";
    // the actor header means something only to the local server; the deployed API takes the signer
    if (auth === "none" && r.actor !== undefined) headers["x-mlwatch-actor"] = r.actor;
    if (auth === "sigv4") {
      headers = await signRequest({ method: r.method, url, headers, body }, { credentials: await credentials(), region });
      delete headers.host;
    }
    return doFetch(url, { method: r.method, headers, ...(body === undefined ? {} : { body }), signal: AbortSignal.timeout(30_000) });
  };
}

/** Serves the console on 127.0.0.1 over the API at `endpoint`. */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const api = signedApiFetch(options);
  const signed = (options.auth ?? (loopback.test(new URL(options.endpoint).hostname) ? "none" : "sigv4")) === "sigv4";
  const app = createConsoleApp({ api, mode: signed ? { kind: "signed", endpoint: options.endpoint } : { kind: "local" }, allowedHost: isLoopbackHost });
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 3100, hostname: "127.0.0.1" }, () => resolve(s));
    s.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port ?? 3100;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const help = `usage: mlwatch console [--endpoint URL] [--port N] [--region REGION] [--auth sigv4|none]

Serves the console (models, versions, drift, performance, alerts, audit) on http://127.0.0.1:PORT over an
mlwatch API. A deployed API (https://{id}.execute-api.{region}.amazonaws.com/v1) is called with SigV4 from
the default AWS credential chain: every action is made as your IAM principal. Nothing is deployed for it.

options:
  --endpoint URL        the API (default $MLWATCH_ENDPOINT or http://127.0.0.1:3000)
  --port N              the console's port on 127.0.0.1 (default 3100)
  --region REGION       signing region (default: from the endpoint's host name, else $AWS_REGION)
  --auth sigv4|none     sign or not (default: none for a loopback endpoint, else sigv4)
  -h, --help            show this help
`;

/** Runs `mlwatch console` until Ctrl-C. */
export async function runConsole(argv: string[], io: CommandIo = processIo): Promise<number> {
  let args;
  try {
    args = parseArgs(argv, ["port", "auth"]);
  } catch (err) {
    io.stderr.write(`mlwatch console: ${(err as Error).message}\n`);
    return 2;
  }
  if (args.flags.has("help")) {
    io.stdout.write(help);
    return 0;
  }
  const endpoint = flag(args, "endpoint") ?? (process.env.MLWATCH_ENDPOINT || "http://127.0.0.1:3000");
  const portText = flag(args, "port") ?? "3100";
  const port = Number(portText);
  const auth = flag(args, "auth");
  let problem: string | undefined;
  if (!/^https?:\/\/[^\s]+$/.test(endpoint) || !URL.canParse(endpoint)) problem = `--endpoint must be an http(s) URL, got "${endpoint.slice(0, 100)}"`;
  else if (!Number.isInteger(port) || port < 0 || port > 65535) problem = `--port must be a TCP port number, got "${portText}"`;
  else if (auth !== undefined && auth !== "sigv4" && auth !== "none") problem = `--auth must be sigv4 or none, got "${auth}"`;
  else if (args.positionals.length) problem = `unexpected argument "${args.positionals[0]}"; see mlwatch console --help`;
  if (problem) {
    io.stderr.write(`mlwatch console: ${problem}\n`);
    return 2;
  }
  let server: ConsoleServer;
  try {
    server = await startConsoleServer({ endpoint, port, auth: auth as "sigv4" | "none" | undefined, region: flag(args, "region") });
  } catch (err) {
    io.stderr.write(`mlwatch console: ${(err as Error).message.split("\n")[0]}\n`);
    return 2;
  }
  io.stdout.write(`mlwatch console on ${server.url}/ui/ over ${endpoint} — Ctrl-C to stop\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.removeListener("SIGINT", stop);
      process.removeListener("SIGTERM", stop);
      void server.close().then(resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  return 0;
}
