// Structured logging (pino). Handlers and connections log through this narrow interface so tests
// can capture lines; the broker never logs per message.

import { pino } from "pino";

export interface Logger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
  debug(fields: Record<string, unknown>, message: string): void;
}

export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const logger = pino(
    { level: options.level ?? process.env.NAGARE_LOG_LEVEL ?? "info", base: { name: "nagare" } },
    options.destination ?? process.stderr,
  );
  return {
    info: (fields, message) => logger.info(fields, message),
    warn: (fields, message) => logger.warn(fields, message),
    error: (fields, message) => logger.error(fields, message),
    debug: (fields, message) => logger.debug(fields, message),
  };
}

/** A logger that drops everything (tests that don't look at logs). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };

/** Logs at most `perWindow` lines per `windowMs` for one kind of event (bad input must not flood logs). */
export class RateLimitedLog {
  private windowStart = 0;
  private count = 0;
  private suppressed = 0;
  private readonly logger: Logger;
  private readonly perWindow: number;
  private readonly windowMs: number;

  constructor(logger: Logger, perWindow = 10, windowMs = 60_000) {
    this.logger = logger;
    this.perWindow = perWindow;
    this.windowMs = windowMs;
  }

  warn(now: number, fields: Record<string, unknown>, message: string): void {
    if (now - this.windowStart >= this.windowMs) {
      if (this.suppressed > 0)
        this.logger.warn({ suppressed: this.suppressed }, "similar warnings suppressed");
      this.windowStart = now;
      this.count = 0;
      this.suppressed = 0;
    }
    if (this.count++ < this.perWindow) this.logger.warn(fields, message);
    else this.suppressed++;
  }
}
