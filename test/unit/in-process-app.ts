/**
 * Every service's routes on one host app, called in process (`app.request()`) with no emulator: for the
 * cases that are refused before any store is called (validation of paths, queries and bodies). The AWS
 * clients are pointed at a trap, a loopback server that records each request and refuses it at once, so a
 * case that does reach AWS fails fast and says which call it made (`awsCalls()`), and never hangs. The
 * resource names are dummies: nothing is ever created.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { EnvName } from "../../lambdas/shared/env.js";
import { callApp } from "../app-call.js";

/** What a case answered: the status, the parsed JSON body (or the text). */
export interface InProcessAnswer {
  status: number;
  body: any;
}

/** The app, and the AWS calls the trap saw. */
export interface InProcessApp {
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<InProcessAnswer>;
  /** Each AWS request the trap refused (`POST /` with its `x-amz-target`, or an S3 `METHOD /bucket/key`). */
  awsCalls(): string[];
  close(): Promise<void>;
}

const variables = ["AWS_ENDPOINT_URL", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", EnvName.dataBucket, EnvName.table, EnvName.topicArn, EnvName.auditLogGroup, EnvName.metricsNamespace] as const;

/** Starts the trap, sets the environment (restored by `close()`), and builds the host app. */
export async function inProcessApp(): Promise<InProcessApp> {
  const seen: string[] = [];
  const trap: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}${req.headers["x-amz-target"] ? ` ${String(req.headers["x-amz-target"])}` : ""}`);
    req.resume();
    res.writeHead(400, { "content-type": "application/x-amz-json-1.0" }).end(JSON.stringify({ __type: "UnitTestNoAwsException", message: "unit tests reach no AWS service" }));
  });
  await new Promise<void>((resolve) => trap.listen(0, "127.0.0.1", resolve));
  const saved = new Map(variables.map((v) => [v, process.env[v]]));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: `http://127.0.0.1:${(trap.address() as AddressInfo).port}`,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    [EnvName.dataBucket]: "unit-no-bucket",
    [EnvName.table]: "unit-no-table",
    [EnvName.topicArn]: "arn:aws:sns:us-east-1:000000000000:unit-no-topic",
    [EnvName.auditLogGroup]: "unit-no-log-group",
    [EnvName.metricsNamespace]: "UnitNoNamespace",
  });
  // Loaded after the environment is set, with clients built against the trap.
  const { resetClients } = await import("../../lambdas/shared/aws.js");
  resetClients();
  const { allRoutes } = await import("../../lambdas/local/services.js");
  const { hostApp } = await import("../../lambdas/shared/http.js");
  const app = hostApp("unit", ...allRoutes);
  return {
    async call(method, path, body, headers = {}) {
      const { status, body: parsed } = await callApp(app, method, path, body, headers);
      return { status, body: parsed };
    },
    awsCalls: () => [...seen],
    async close() {
      await new Promise<void>((resolve) => trap.close(() => resolve()));
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      resetClients();
    },
  };
}
