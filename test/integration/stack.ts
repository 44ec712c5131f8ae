/**
 * Per-file test stack: resources with a unique name prefix in the shared emulator, the environment
 * pointed at them, and the same host app the local server runs, called in-process.
 */
import { randomBytes } from "node:crypto";
import { DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { inject } from "vitest";
import { bootstrapResources, exportResourceNames, useEndpoint } from "../../lambdas/local/bootstrap.js";
import { allRoutes } from "../../lambdas/local/services.js";
import { hostApp } from "../../lambdas/shared/http.js";
import { dynamoClient, resetClients } from "../../lambdas/shared/aws.js";
import { serializeDynamoCalls } from "../../lambdas/local/moto-compat.js";
import type { ResourceNames } from "../../lambdas/shared/env.js";

/** A test's own stack in the emulator. */
export interface TestStack {
  readonly endpoint: string;
  readonly names: ResourceNames;
  readonly app: ReturnType<typeof hostApp>;
  /** Sends a request to the app; a non-string body is sent as JSON. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
}

/** Creates isolated resources for one test file and returns a caller for the app. */
export async function createTestStack(label = "t"): Promise<TestStack> {
  const endpoint = inject("emulatorEndpoint");
  useEndpoint(endpoint);
  resetClients();
  // The emulator's transactions are not atomic under concurrent calls; real DynamoDB's are (see moto-compat).
  serializeDynamoCalls(dynamoClient());
  const prefix = `${label}-${randomBytes(4).toString("hex")}`.toLowerCase();
  const names = await bootstrapResources(prefix, `MLWatchTest/${prefix}`);
  exportResourceNames(names);
  const app = hostApp("test", ...allRoutes);
  return {
    endpoint,
    names,
    app,
    async call(method, path, body, headers = {}) {
      const init: RequestInit = { method, headers: { ...headers } };
      if (body !== undefined) {
        init.body = typeof body === "string" ? body : JSON.stringify(body);
        (init.headers as Record<string, string>)["content-type"] ??= "application/json";
      }
      const res = await app.request(path, init);
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
  };
}

/**
 * A new stack for the next of many repeated runs, with the old stack's table dropped: the emulator copies
 * whole tables during transactions and keeps the copies, so a table that grew over hundreds of runs would
 * only make later runs slower and the emulator bigger, not the race under test any different.
 */
export async function replaceStack(old: TestStack, label: string): Promise<TestStack> {
  const next = await createTestStack(label);
  await dynamoClient().send(new DeleteTableCommand({ TableName: old.names.table }));
  return next;
}
