// Options of the log manager, with Kafka's broker config names and defaults, validated once.

import { resolve } from "node:path";
import type { LogConfig } from "./log-config.ts";
import { StorageError } from "./storage-error.ts";
import type { StorageLogger } from "./storage-logger.ts";

export interface LogManagerIntervals {
  /** log.flush.scheduler.interval.ms: how often flush.ms is checked (Kafka: Long.MAX_VALUE, never). */
  readonly flushCheckMs: number;
  /** log.flush.offset.checkpoint.interval.ms (60000): writes all three checkpoint files. */
  readonly checkpointMs: number;
  /** log.retention.check.interval.ms (300000). */
  readonly retentionCheckMs: number;
  /** log.cleaner.backoff.ms (15000): pause when no log needs compaction. */
  readonly cleanerBackoffMs: number;
  /** producer.id.expiration.check.interval.ms (600000): how often idle producers are forgotten. */
  readonly producerIdExpirationCheckMs: number;
}

export interface LogManagerOptions {
  /** log.dirs */
  readonly logDirs: readonly string[];
  readonly defaultConfig: LogConfig;
  /** The config of a topic's partitions (defaults to `defaultConfig`). */
  readonly configFor?: (topic: string) => LogConfig;
  readonly clock?: () => number;
  readonly logger?: StorageLogger;
  /** Omitted fields take Kafka's defaults; a value beyond ~24.8 days (2^31-1 ms) means never. */
  readonly intervals?: Partial<LogManagerIntervals>;
  /** log.cleaner.enable (true) and log.cleaner.dedupe.buffer.size (128 MiB). */
  readonly cleaner?: { readonly enable?: boolean; readonly dedupeBufferBytes?: number };
  /** num.recovery.threads.per.data.dir (1): partitions opened at once per data directory. */
  readonly recoveryThreadsPerDataDir?: number;
  /**
   * producer.id.expiration.ms (86400000, 1 day): a producer idle this long without an ongoing
   * transaction is forgotten (its sequence state goes; the compactor stops keeping its last batch).
   */
  readonly producerIdExpirationMs?: number;
}

export const defaultIntervals: LogManagerIntervals = {
  flushCheckMs: Number.POSITIVE_INFINITY,
  checkpointMs: 60_000,
  retentionCheckMs: 300_000,
  cleanerBackoffMs: 15_000,
  producerIdExpirationCheckMs: 600_000,
};

/** Checks the options once; returns the intervals with defaults and the data directories resolved. */
export function validateOptions(options: LogManagerOptions): {
  intervals: LogManagerIntervals;
  logDirs: string[];
} {
  const logDirs = options.logDirs.map((dir) => resolve(dir));
  if (logDirs.length === 0)
    throw new StorageError("INVALID_CONFIG", "log.dirs must name at least one directory");
  if (new Set(logDirs).size !== logDirs.length)
    throw new StorageError(
      "INVALID_CONFIG",
      `log.dirs lists a directory twice: ${options.logDirs.join(",")}`,
    );
  const intervals = { ...defaultIntervals, ...options.intervals };
  for (const [name, value] of Object.entries(intervals))
    if (!(value > 0))
      throw new StorageError("INVALID_CONFIG", `${name} must be a positive number of ms, got ${value}`);
  const threads = options.recoveryThreadsPerDataDir;
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1))
    throw new StorageError("INVALID_CONFIG", `num.recovery.threads.per.data.dir must be ≥ 1, got ${threads}`);
  const buffer = options.cleaner?.dedupeBufferBytes;
  if (buffer !== undefined && !(Number.isSafeInteger(buffer) && buffer > 0))
    throw new StorageError(
      "INVALID_CONFIG",
      `log.cleaner.dedupe.buffer.size must be a positive integer, got ${buffer}`,
    );
  const expiration = options.producerIdExpirationMs;
  if (expiration !== undefined && !(expiration > 0))
    throw new StorageError("INVALID_CONFIG", `producer.id.expiration.ms must be positive, got ${expiration}`);
  return { intervals, logDirs };
}
