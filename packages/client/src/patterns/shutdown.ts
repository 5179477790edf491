// Graceful shutdown on signals: the first SIGINT/SIGTERM runs `close` (e.g. consumer.close(),
// which commits and leaves the group, then producer.close(), which flushes); a second signal, or
// `timeoutMs` passing, exits at once with a non-zero code.

export interface ShutdownOptions {
  readonly signals?: readonly NodeJS.Signals[];
  readonly timeoutMs?: number;
  /** Called after close resolved (default: process.exit(0)). */
  readonly onClosed?: () => void;
}

/** Installs the handlers; returns a function that removes them. */
export function closeOnSignals(close: () => Promise<void>, options: ShutdownOptions = {}): () => void {
  const signals = options.signals ?? ["SIGINT", "SIGTERM"];
  let closing = false;
  const handler = () => {
    if (closing) {
      process.exit(130);
    }
    closing = true;
    const timer = setTimeout(() => process.exit(1), options.timeoutMs ?? 30_000);
    timer.unref();
    close().then(
      () => {
        clearTimeout(timer);
        (options.onClosed ?? (() => process.exit(0)))();
      },
      (error: unknown) => {
        console.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, handler);
  return () => {
    for (const signal of signals) process.off(signal, handler);
  };
}
