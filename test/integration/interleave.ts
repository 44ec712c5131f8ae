/**
 * Forces the interleaving a race guards against: every participant request has made all the reads it makes
 * before its first write, and none of them has written yet. A middleware on the DynamoDB client (the same
 * hook as faults.ts, nothing in the services) holds each participant's writes until every participant is
 * waiting on a write or has finished; then the held writes go out one at a time, in the order asked for.
 * Random concurrency reaches this state only now and then, which is why a race test used to need 100 runs;
 * forced, a handful of runs (one per release order) shows the same. The randomised long run is
 * bench/races.bench.ts.
 *
 * Calls made outside {@link WriteGate.run} pass untouched, so the test's own setup and checks are not held.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { mulberry32 } from "../../lambdas/core/stats/seeded.js";

/** Calls that only read or describe (the emulator-compat lock's split, lambdas/local/moto-compat.ts). */
const readOnly = /^(Get|BatchGet|Query|Scan|Describe|List)/;

/** In which order the held writes are let through. */
export type ReleaseOrder = "arrival" | "reverse" | { readonly seed: number };

/** What one forced round did. */
export interface GateRound<T> {
  readonly results: T[];
  /** Participants that had at least one write held when the gate opened. */
  readonly held: number;
  /** Writes held in all. */
  readonly heldWrites: number;
}

/** A write gate on one DynamoDB client. */
export interface WriteGate {
  /**
   * Runs `ops` concurrently as participants of one round: their writes wait until each of them is either
   * waiting on a write or done, then go out one by one in `order`; later writes pass freely.
   * @throws when the gate has not opened after `timeoutMs` (a participant neither wrote nor finished)
   */
  run<T>(ops: ReadonlyArray<() => Promise<T>>, order: ReleaseOrder, timeoutMs?: number): Promise<GateRound<T>>;
}

interface Held {
  readonly participant: number;
  readonly release: (err?: Error) => void;
}

interface Round {
  readonly size: number;
  open: boolean;
  readonly held: Held[];
  readonly waiting: Set<number>;
  readonly done: Set<number>;
  check(): void;
}

const installed = new WeakMap<DynamoDBClient, WriteGate>();

/** The write gate of `client` (installed once per client). */
export function writeGate(client: DynamoDBClient): WriteGate {
  const existing = installed.get(client);
  if (existing) return existing;
  const participant = new AsyncLocalStorage<{ round: Round; id: number }>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const who = participant.getStore();
      const command = String((context as { commandName?: string }).commandName ?? "");
      if (!who || who.round.open || readOnly.test(command)) return next(args);
      await new Promise<void>((resolve, reject) => {
        who.round.held.push({ participant: who.id, release: (err) => (err ? reject(err) : resolve()) });
        who.round.waiting.add(who.id);
        who.round.check();
      });
      return next(args);
    },
    // Before the emulator-compat lock (finalizeRequest): a held write must not hold the lock.
    { step: "initialize", priority: "high", name: "mlwatchTestWriteGate" },
  );
  const gate: WriteGate = {
    async run(ops, order, timeoutMs = 30_000) {
      let opened: () => void = () => undefined;
      const openedPromise = new Promise<void>((r) => (opened = r));
      let heldParticipants = 0;
      let heldWrites = 0;
      let failure: Error | undefined;
      let settling = false;
      const round: Round = {
        size: ops.length,
        open: false,
        held: [],
        waiting: new Set(),
        done: new Set(),
        check() {
          if (this.open) return;
          const ready = [...Array(this.size).keys()].every((i) => this.waiting.has(i) || this.done.has(i));
          if (!ready || settling) return;
          // Ready: let writes already on their way (a participant issuing several at once) arrive too.
          settling = true;
          void quiet(() => this.held.length).then(() => {
            settling = false;
            if (this.open) return;
            this.open = true;
            heldParticipants = this.waiting.size;
            heldWrites = this.held.length;
            void releaseInOrder(ordered(this.held, order)).then(opened);
          });
        },
      };
      const timer = setTimeout(() => {
        if (round.open) return;
        round.open = true;
        const stuck = [...Array(round.size).keys()].filter((i) => !round.waiting.has(i) && !round.done.has(i));
        for (const h of round.held.splice(0)) h.release(new Error("write gate timed out"));
        failure = new Error(`write gate: participants ${stuck.join(", ")} neither wrote nor finished within ${timeoutMs} ms`);
        opened();
      }, timeoutMs);
      const settled = await Promise.allSettled(
        ops.map((op, id) =>
          participant.run({ round, id }, async () => {
            try {
              return await op();
            } finally {
              round.done.add(id);
              round.check();
            }
          }),
        ),
      );
      await openedPromise;
      clearTimeout(timer);
      if (failure) throw failure;
      const rejected = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
      if (rejected) throw rejected.reason;
      return { results: settled.map((s) => (s as PromiseFulfilledResult<Awaited<ReturnType<(typeof ops)[number]>>>).value), held: heldParticipants, heldWrites };
    },
  };
  installed.set(client, gate);
  return gate;
}

function ordered(held: readonly Held[], order: ReleaseOrder): Held[] {
  if (order === "arrival") return [...held];
  if (order === "reverse") return [...held].reverse();
  const random = mulberry32(order.seed);
  const out = [...held];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Resolves once `count()` has not changed over a few turns of the event loop. */
async function quiet(count: () => number): Promise<void> {
  let last = -1;
  let still = 0;
  while (still < 3) {
    await new Promise((r) => setImmediate(r));
    const now = count();
    still = now === last ? still + 1 : 0;
    last = now;
  }
}

/** Lets the held writes go one at a time: the next once the previous has been sent on (not answered). */
async function releaseInOrder(held: readonly Held[]): Promise<void> {
  for (const h of held) {
    h.release();
    // One macrotask: the released call reaches the emulator-compat lock's queue before the next is let go.
    await new Promise((r) => setImmediate(r));
  }
}

/**
 * How the race tests run: `forced` (default) — one run per release order below, every run through the
 * write gate; `free` — `RACE_RUNS` runs (default 100) of unforced concurrency, each on a fresh stack, the
 * randomised long run of bench/races.bench.ts.
 */
export const raceMode: "forced" | "free" = process.env.RACE_INTERLEAVING === "free" ? "free" : "forced";

/** The release orders of the forced runs: as the writes arrived, reversed, and two seeded shuffles. */
export const raceOrders: readonly ReleaseOrder[] = ["arrival", "reverse", { seed: 7 }, { seed: 11 }];

/** Runs per race test. */
export const raceRuns = Number(process.env.RACE_RUNS ?? (raceMode === "free" ? 100 : raceOrders.length));

/**
 * One round of a race test: forced through `client`'s write gate (run `run` takes release order
 * `run % raceOrders.length`), or free.
 */
export async function raceRound<T>(client: DynamoDBClient, ops: ReadonlyArray<() => Promise<T>>, run: number): Promise<GateRound<T>> {
  if (raceMode === "free") return { results: await Promise.all(ops.map((op) => op())), held: ops.length, heldWrites: 0 };
  return writeGate(client).run(ops, raceOrders[run % raceOrders.length]);
}
