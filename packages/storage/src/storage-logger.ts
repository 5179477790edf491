// The logging the log manager needs: a message plus structured fields. The broker adapts its pino
// logger to this; the default writes one JSON line per event to stderr. Offsets in fields are
// strings (bigint has no JSON form).

export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

export interface StorageLogger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export function stderrLogger(clock: () => number = Date.now): StorageLogger {
  const write =
    (level: string) =>
    (message: string, fields: LogFields = {}) => {
      process.stderr.write(`${JSON.stringify({ time: clock(), level, msg: message, ...fields })}\n`);
    };
  return { info: write("info"), warn: write("warn"), error: write("error") };
}

/** A readable message for an unknown thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code !== undefined && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
