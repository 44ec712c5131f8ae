/**
 * Makes the emulator's DynamoDB behave like DynamoDB under concurrency.
 *
 * moto_server serves requests on threads and its TransactWriteItems is not atomic across them: it checks
 * conditions and writes without a lock, and when a condition fails it restores a copy of the whole table
 * taken before the call, silently undoing transactions that committed in between. Real DynamoDB executes
 * each call atomically. Sending this process's DynamoDB writes to the emulator one at a time, and reads
 * only while no write is in flight, restores exactly that per-call atomicity and nothing more: concurrent requests still interleave freely between
 * their reads and their conditional writes, which is where the races the services guard against live.
 * (Since moto-patch.ts the rollback restores only the items a transaction names, not whole tables; the
 * calls must still be serialised for the check-then-write to be atomic.)
 * Used by the local server and the integration tests; never on AWS.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";

const applied = new WeakSet<DynamoDBClient>();

/** Calls that only read: they may run together, never alongside a write. */
const readOnly = /^(Get|BatchGet|Query|Scan|Describe|List)/;

/**
 * Calls that read no item (table and TTL descriptions, listings of tables): nothing a transaction changes
 * half-way, so they skip the queue. `/health`'s DynamoDB probe is one; queued behind a burst of writes on a
 * loaded machine it outlived its 3-second timeout and the server answered 503 although nothing was wrong.
 */
const itemFree = /^(Describe|List)/;

/**
 * A readers–writer lock, first come first served: reads run together, a write runs alone. A waiting write
 * holds back later reads, so writes are never starved.
 */
class ReadWriteLock {
  private readers = 0;
  private writing = false;
  private readonly queue: Array<{ write: boolean; grant: () => void }> = [];

  public acquire(write: boolean): Promise<void> {
    return new Promise((grant) => {
      this.queue.push({ write, grant });
      this.pump();
    });
  }

  public release(write: boolean): void {
    if (write) this.writing = false;
    else this.readers--;
    this.pump();
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.writing) {
      const head = this.queue[0];
      if (head.write && this.readers > 0) return;
      this.queue.shift();
      if (head.write) this.writing = true;
      else this.readers++;
      head.grant();
      if (head.write) return;
    }
  }
}

/**
 * Gives `client`'s calls DynamoDB's per-call atomicity against the emulator (idempotent per client): a
 * write (including every transaction) is in flight alone; reads run concurrently with each other but never
 * alongside a write, so no read observes a half-applied or rolled-back transaction.
 */
export function serializeDynamoCalls(client: DynamoDBClient): void {
  if (applied.has(client)) return;
  applied.add(client);
  const lock = new ReadWriteLock();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String((context as { commandName?: string }).commandName ?? "");
      if (itemFree.test(command)) return next(args);
      const write = !readOnly.test(command);
      await lock.acquire(write);
      try {
        return await next(args);
      } finally {
        lock.release(write);
      }
    },
    { step: "finalizeRequest", priority: "low", name: "mlwatchSerializeForEmulator" },
  );
}
