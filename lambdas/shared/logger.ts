/**
 * Structured JSON logging (Powertools Logger): one line per event with level, timestamp, service,
 * request id, and the model/version context a handler appends.
 *
 * Local mode may divert the lines (`setLogSink`): `mlwatch serve` with its readable console prints an error
 * as one line there and keeps the JSON line, stack included, in its JSON log. On Lambda no sink is set and
 * the lines go to stdout and stderr as Powertools writes them.
 */
import { Console } from "node:console";
import { Writable } from "node:stream";
import { Logger } from "@aws-lambda-powertools/logger";

/** Receives each structured log line (one JSON object, with its newline) instead of stdout or stderr. */
export type LogSink = (line: string) => void;

const loggers = new Map<string, Logger>();
const ownConsoles = new WeakMap<Logger, Console>();
let sink: LogSink | undefined;

/** A console whose two streams hand every line to the sink (a sink that throws is ignored). */
const sinkConsole = (): Console => {
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      try {
        sink?.(chunk.toString());
      } catch {
        // logging never fails the work being logged
      }
      done();
    },
  });
  return new Console({ stdout: stream, stderr: stream });
};
let diverted: Console | undefined;

function route(logger: Logger): void {
  const target = logger as unknown as { console: Console };
  if (!ownConsoles.has(logger)) ownConsoles.set(logger, target.console);
  target.console = sink === undefined ? (ownConsoles.get(logger) as Console) : (diverted ??= sinkConsole());
}

/** Sends every logger's lines to `next` (or, with `undefined`, back to stdout and stderr). */
export function setLogSink(next: LogSink | undefined): void {
  sink = next;
  for (const logger of loggers.values()) route(logger);
}

/** The logger for a service (created once per service name). */
export function serviceLogger(service: string): Logger {
  let logger = loggers.get(service);
  if (!logger) {
    logger = new Logger({ serviceName: `mlwatch-${service}` });
    loggers.set(service, logger);
    if (sink !== undefined) route(logger);
  }
  return logger;
}
