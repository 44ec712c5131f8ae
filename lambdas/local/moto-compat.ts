/**
 * Makes the emulator's DynamoDB behave like DynamoDB under concurrency.
 *
 * moto_server serves requests on threads and its TransactWriteItems is not atomic across them: it checks
 * conditions and writes without a lock, and when a condition fails it restores a copy of the whole table
 * taken before the call, silently undoing transactions that committed in between. Real DynamoDB executes
 * each call atomically. Sending this process's DynamoDB calls to the emulator one at a time restores
 * exactly that per-call atomicity and nothing more: concurrent requests still interleave freely between
 * their reads and their conditional writes, which is where the races the services guard against live.
 * Used by the local server and the integration tests; never on AWS.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";

const applied = new WeakSet<DynamoDBClient>();

/** Queues `client`'s calls so at most one is in flight at a time (idempotent per client). */
export function serializeDynamoCalls(client: DynamoDBClient): void {
  if (applied.has(client)) return;
  applied.add(client);
  let tail: Promise<void> = Promise.resolve();
  client.middlewareStack.add(
    (next) => async (args) => {
      const previous = tail;
      let release: () => void = () => undefined;
      tail = new Promise<void>((resolve) => {
        release = resolve;
      });
      await previous;
      try {
        return await next(args);
      } finally {
        release();
      }
    },
    { step: "finalizeRequest", priority: "low", name: "mlwatchSerializeForEmulator" },
  );
}
