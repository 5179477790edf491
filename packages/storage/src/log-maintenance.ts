// The bodies of the log manager's periodic jobs. Each visits a snapshot of the logs once (bounded
// by the number of logs), skips logs that are offline, and catches and logs each log's failure so
// one bad partition never stops the others. A log closed meanwhile (deleted partition) is skipped
// silently.
//
// - flush (log.flush.scheduler.interval.ms): fsync logs whose flush.ms has passed.
// - retention (log.retention.check.interval.ms): every log — segments below the log start offset
//   go whatever the policy; retention.ms / retention.bytes apply when cleanup.policy includes
//   delete (retention.ts decides).
// - producer expiration (producer.id.expiration.check.interval.ms): forget idle producers.
// - cleaner (log.cleaner.backoff.ms): compacts at most one log per run, round robin over the logs
//   whose cleanup.policy includes compact, from each log's first dirty offset.

import { LogCleaner } from "./cleaner/log-cleaner.ts";
import type { PartitionLog } from "./partition-log.ts";
import { applyRetention } from "./retention.ts";
import { StorageError } from "./storage-error.ts";
import { describeError, type StorageLogger } from "./storage-logger.ts";

export interface MaintainedLog {
  readonly topic: string;
  readonly partition: number;
  readonly log: PartitionLog;
  /** First offset not yet compacted (cleaner-offset-checkpoint). */
  firstDirtyOffset: bigint;
}

function isClosed(error: unknown): boolean {
  return error instanceof StorageError && error.code === "LOG_CLOSED";
}

function reportFailure(logger: StorageLogger, job: string, entry: MaintainedLog, error: unknown): void {
  if (isClosed(error)) return;
  logger.error(`${job} failed`, {
    topic: entry.topic,
    partition: entry.partition,
    offline: entry.log.offline,
    error: describeError(error),
  });
}

export async function flushDueLogs(logs: readonly MaintainedLog[], logger: StorageLogger): Promise<void> {
  for (const entry of logs) {
    if (entry.log.offline) continue;
    try {
      await entry.log.flushIfDue();
    } catch (error) {
      reportFailure(logger, "scheduled flush", entry, error);
    }
  }
}

export async function applyRetentionToLogs(
  logs: readonly MaintainedLog[],
  nowMs: number,
  logger: StorageLogger,
): Promise<void> {
  for (const entry of logs) {
    const { log } = entry;
    if (log.offline) continue;
    try {
      const { deletedSegments, reason } = await applyRetention(log, nowMs);
      if (deletedSegments.length > 0) {
        logger.info("deleted segments by retention", {
          topic: entry.topic,
          partition: entry.partition,
          reason,
          segments: deletedSegments.join(","),
          logStartOffset: log.logStartOffset.toString(),
        });
      }
      if (entry.firstDirtyOffset < log.logStartOffset) entry.firstDirtyOffset = log.logStartOffset;
    } catch (error) {
      reportFailure(logger, "retention", entry, error);
    }
  }
}

export async function expireProducers(
  logs: readonly MaintainedLog[],
  nowMs: number,
  logger: StorageLogger,
): Promise<void> {
  for (const entry of logs) {
    if (entry.log.offline) continue;
    try {
      await entry.log.removeExpiredProducers(nowMs);
    } catch (error) {
      reportFailure(logger, "producer expiration", entry, error);
    }
  }
}

export interface CleanerRunnerOptions {
  readonly maxBufferBytes: number;
  readonly logger: StorageLogger;
  /** producer.id.expiration.ms: how long compaction keeps a producer's last batch. */
  readonly producerIdExpirationMs?: number;
}

/** Drives the LogCleaner: picks the next compacted log that needs cleaning and cleans it. */
export class CleanerRunner {
  private readonly cleaner: LogCleaner;
  private readonly logger: StorageLogger;
  /** Logs whose cleaning failed: skipped until restart (Kafka's "uncleanable partitions"). */
  private readonly uncleanable = new WeakSet<PartitionLog>();
  private cursor = 0;

  constructor(options: CleanerRunnerOptions) {
    this.cleaner = new LogCleaner({
      maxBufferBytes: options.maxBufferBytes,
      ...(options.producerIdExpirationMs !== undefined
        ? { producerIdExpirationMs: options.producerIdExpirationMs }
        : {}),
    });
    this.logger = options.logger;
  }

  /** Cleans at most one log; true when it cleaned one (more may be waiting). */
  async cleanOne(logs: readonly MaintainedLog[], nowMs: number): Promise<boolean> {
    const candidates = logs.filter(
      (e) => e.log.config.cleanupPolicyCompact && !e.log.offline && !this.uncleanable.has(e.log),
    );
    for (let visited = 0; visited < candidates.length; visited++) {
      const entry = candidates[(this.cursor + visited) % candidates.length] as MaintainedLog;
      const { log } = entry;
      // Retention or DeleteRecords may have moved the log start past the last clean.
      let firstDirty = entry.firstDirtyOffset;
      if (firstDirty < log.logStartOffset) firstDirty = log.logStartOffset;
      try {
        // Records of an ongoing transaction may still be aborted: nothing from its first offset on
        // is cleaned (Kafka's first uncleanable offset includes the first unstable offset).
        const firstUnstable = log.firstUnstableOffset;
        const bound = firstUnstable === undefined ? {} : { upperBound: firstUnstable };
        if (!this.cleaner.needsCleaning(log, firstDirty, nowMs, bound)) continue;
        this.cursor = (this.cursor + visited + 1) % candidates.length;
        const result = await this.cleaner.clean(log, firstDirty, nowMs, bound);
        if (!result) return false;
        const where = { topic: entry.topic, partition: entry.partition };
        if (result.aborted !== undefined) {
          this.logger.info("compaction given up; retried later", { ...where, reason: result.aborted });
          return false;
        }
        entry.firstDirtyOffset = result.cleanedUpTo;
        this.logger.info("compacted log", {
          ...where,
          from: firstDirty.toString(),
          cleanedUpTo: result.cleanedUpTo.toString(),
          replacedSegments: result.replacedSegments.length,
        });
        return true;
      } catch (error) {
        if (!isClosed(error)) this.uncleanable.add(log);
        reportFailure(this.logger, "compaction", entry, error);
        return false;
      }
    }
    return false;
  }

  close(): Promise<void> {
    return this.cleaner.close();
  }
}
