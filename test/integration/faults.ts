/**
 * Fault injection for integration tests: a middleware on an SDK client that makes chosen commands fail as
 * a failing AWS service would, before the SDK's own retries (so the fault persists through them). The
 * service keeps running against the real emulator; only the chosen calls fail.
 */
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";

/** Any SDK v3 client (they all carry a middleware stack). */
interface SdkClient {
  readonly middlewareStack: { add(middleware: any, options: any): void; remove(name: string): boolean };
}

let counter = 0;

/** An injected fault; `calls` counts the calls it failed. */
export interface InjectedFault {
  readonly calls: number;
  remove(): void;
}

/** Stands in for a matched call: throws, answers an output, or calls `next` itself. */
type Interception = (next: (args: unknown) => Promise<unknown>, args: unknown, commandName: string) => Promise<unknown>;

/**
 * Adds a middleware to `client` that hands every call whose command name matches, starting with the
 * `skip + 1`-th match, at most `times` times, to `act` instead of the service; `calls` counts them.
 */
function intercept(client: SdkClient, kind: string, command: RegExp, options: { skip?: number; times?: number }, act: Interception): InjectedFault {
  const name = `mlwatchInjected${kind}${++counter}`;
  let seen = 0;
  let taken = 0;
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      if (command.test(String(context.commandName)) && seen++ >= (options.skip ?? 0) && taken < (options.times ?? Infinity)) {
        taken++;
        return act(next, args, String(context.commandName));
      }
      return next(args);
    },
    { step: "initialize", name, priority: "high" },
  );
  return {
    get calls() {
      return taken;
    },
    remove: () => {
      client.middlewareStack.remove(name);
    },
  };
}

/**
 * Makes `client` fail every call whose command name matches, starting with the `skip + 1`-th match, at most
 * `times` times: with a 503 `ServiceUnavailable` server fault, or with `error()` (e.g. a DynamoDB
 * `ValidationException` for an item too large, a `ProvisionedThroughputExceededException`).
 */
export function injectFault(client: SdkClient, command: RegExp, options: { skip?: number; times?: number; error?: () => Error } = {}): InjectedFault {
  return intercept(client, "Fault", command, options, (_next, _args, commandName) => {
    if (options.error) throw options.error();
    throw Object.assign(new Error(`injected fault: ${commandName} unavailable`), {
      name: "ServiceUnavailable",
      $fault: "server",
      $metadata: { httpStatusCode: 503 },
    });
  });
}

/**
 * Makes `client` answer every call whose command name matches with `output` instead of calling the
 * service (e.g. PutEvents answering 200 with `FailedEntryCount: 1`, as EventBridge does when it refuses
 * an entry), at most `times` times.
 */
export function injectAnswer(client: SdkClient, command: RegExp, output: Record<string, unknown>, options: { times?: number } = {}): InjectedFault {
  return intercept(client, "Answer", command, options, () => Promise.resolve({ output: { $metadata: { httpStatusCode: 200 }, ...output }, response: {} }));
}

/**
 * Makes `client` cancel every matching transaction as DynamoDB does, with one code per item (`None`,
 * `ConditionalCheckFailed`, `TransactionConflict`, `ValidationError`, …), starting with the `skip + 1`-th
 * match, at most `times` times. Nothing reaches the emulator: a cancelled transaction writes nothing.
 */
export function injectCancellation(client: SdkClient, command: RegExp, codes: readonly string[], options: { skip?: number; times?: number } = {}): InjectedFault {
  return intercept(client, "Cancellation", command, options, () => {
    throw new TransactionCanceledException({
      message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(", ")}]`,
      $metadata: { httpStatusCode: 400 },
      CancellationReasons: codes.map((Code) => ({ Code })),
    });
  });
}

/**
 * Makes `client` send every matching command twice and answer with the second outcome, at most `times`
 * times: a write whose answer was lost and that the SDK sent again (the first attempt landed; the retry
 * sees its result, e.g. a failed condition).
 */
export function injectReplay(client: SdkClient, command: RegExp, options: { times?: number } = {}): InjectedFault {
  return intercept(client, "Replay", command, options, async (next, args) => {
    await next(args);
    return next(args);
  });
}
