// Processing one record with retries and exponential backoff, and a dead-letter topic for records
// that keep failing — the pattern the seeds' consumers implement by hand. The failed record goes
// to the dead-letter topic with its key, value and headers, plus headers saying where it came
// from and why it failed, so it can be inspected and replayed.

import { backoffDelay, sleep } from "../retry.ts";
import type { ConsumerRecord, ProducerRecord, RecordHeader, RecordMetadata } from "../types.ts";

export interface RetryOptions {
  /** Attempts after the first (default 3). */
  readonly retries?: number;
  /** First backoff (default 100 ms), doubled per attempt up to maxBackoffMs (default 10 s). */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Errors for which retrying is pointless (default: retry everything). */
  readonly isRetriable?: (error: unknown) => boolean;
}

export interface DeadLetterOptions<K, V> {
  readonly topic: string;
  /** Usually a producer's send, with the consumer's serde types. */
  readonly send: (record: ProducerRecord<K, V>) => Promise<RecordMetadata>;
}

/** Header names on dead-lettered records. */
export const deadLetterHeaders = {
  topic: "dlq.original.topic",
  partition: "dlq.original.partition",
  offset: "dlq.original.offset",
  timestamp: "dlq.original.timestamp",
  errorName: "dlq.error.name",
  errorMessage: "dlq.error.message",
  attempts: "dlq.attempts",
} as const;

export type Outcome =
  | { readonly status: "processed"; readonly attempts: number }
  | { readonly status: "dead-lettered"; readonly attempts: number; readonly error: unknown };

/**
 * Runs `handler(record)` until it succeeds or the retries are used up; then the record goes to the
 * dead-letter topic (when one is configured) and the outcome says so — or, without one, the last
 * error is thrown.
 */
export async function processWithRetry<K, V>(
  record: ConsumerRecord<K, V>,
  handler: (record: ConsumerRecord<K, V>) => Promise<void>,
  options: RetryOptions & { readonly deadLetter?: DeadLetterOptions<K, V> } = {},
): Promise<Outcome> {
  const retries = options.retries ?? 3;
  let attempts = 0;
  for (;;) {
    attempts++;
    try {
      await handler(record);
      return { status: "processed", attempts };
    } catch (error) {
      const retriable = options.isRetriable?.(error) ?? true;
      if (retriable && attempts <= retries) {
        await sleep(
          backoffDelay(attempts - 1, options.initialBackoffMs ?? 100, options.maxBackoffMs ?? 10_000),
        );
        continue;
      }
      if (!options.deadLetter) throw error;
      await options.deadLetter.send(deadLetterRecord(record, error, attempts, options.deadLetter.topic));
      return { status: "dead-lettered", attempts, error };
    }
  }
}

export function deadLetterRecord<K, V>(
  record: ConsumerRecord<K, V>,
  error: unknown,
  attempts: number,
  topic: string,
): ProducerRecord<K, V> {
  const text = (value: string): Buffer => Buffer.from(value, "utf8");
  const headers: RecordHeader[] = [
    ...record.headers,
    { key: deadLetterHeaders.topic, value: text(record.topic) },
    { key: deadLetterHeaders.partition, value: text(String(record.partition)) },
    { key: deadLetterHeaders.offset, value: text(String(record.offset)) },
    { key: deadLetterHeaders.timestamp, value: text(String(record.timestamp)) },
    { key: deadLetterHeaders.errorName, value: text(error instanceof Error ? error.name : typeof error) },
    {
      key: deadLetterHeaders.errorMessage,
      value: text(error instanceof Error ? error.message : String(error)),
    },
    { key: deadLetterHeaders.attempts, value: text(String(attempts)) },
  ];
  return { topic, key: record.key, value: record.value, headers, timestamp: record.timestamp };
}
