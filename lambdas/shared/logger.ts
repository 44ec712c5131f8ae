/**
 * Structured JSON logging (Powertools Logger): one line per event with level, timestamp, service,
 * request id, and the model/version context a handler appends.
 */
import { Logger } from "@aws-lambda-powertools/logger";

const loggers = new Map<string, Logger>();

/** The logger for a service (created once per service name). */
export function serviceLogger(service: string): Logger {
  let logger = loggers.get(service);
  if (!logger) {
    logger = new Logger({ serviceName: `mlwatch-${service}` });
    loggers.set(service, logger);
  }
  return logger;
}
