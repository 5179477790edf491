// Backoff for retries: exponential from `baseMs`, capped at `maxMs`, with ±20% jitter so clients
// that failed together do not retry together (Kafka's retry.backoff.ms / retry.backoff.max.ms).

export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** attempt);
  const jitter = 0.8 + Math.random() * 0.4;
  return Math.round(Math.min(maxMs, exponential * jitter));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
