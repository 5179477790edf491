// Log compaction for cleanup.policy=compact (and compact,delete), Kafka's LogCleaner: keeps the
// latest record of every key in the cleanable part of a log, never touching the active segment.
//
// `needsCleaning` is cheap (segment sizes and timestamps). `clean` takes a snapshot of the
// cleanable segments, hands the heavy part to a worker thread (clean-job.ts: read, decompress,
// filter, re-encode, write `.cleaned` segments with their indexes), then swaps the result in under
// the partition's queue with PartitionLog.replaceSegments (segment-swap.ts: crash-safe). Appends
// and reads go on meanwhile; only the swap itself waits for the queue. If the log changed under
// the clean (retention deleted a segment, a truncation), the swap refuses, the cleaned files are
// discarded and the result says why (`aborted`).

import type { PartitionLog } from "../partition-log.ts";
import { LogSegment } from "../segment.ts";
import { cleanedSuffix, type SwapStep } from "../segment-swap.ts";
import { StorageError } from "../storage-error.ts";
import type { CleanJob, CleanStats, SegmentSource } from "./clean-protocol.ts";
import { CleanerClosedError, CleanWorkerClient } from "./clean-worker-client.ts";
import { cleanableRange, compactionLagExceeded } from "./cleanable-range.ts";
import { removeCleanedFiles } from "./cleaned-segment-writer.ts";

export interface LogCleanerOptions {
  /** Memory for one clean's offset map (log.cleaner.dedupe.buffer.size); default 128 MiB. */
  readonly maxBufferBytes?: number;
  /** A producer's last batch is kept (empty) while younger than this (producer.id.expiration.ms). */
  readonly producerIdExpirationMs?: number;
}

export interface NeedsCleaningOptions {
  /** Nothing at or after this offset is cleaned (last stable offset / high watermark). */
  readonly upperBound?: bigint;
}

/** The points of a clean a test can stop at, in order. */
export type CleanStep = "cleaned" | SwapStep | "done";

export interface CleanOptions extends NeedsCleaningOptions {
  /** Test hook, awaited at each step (a crash test kills the process there). */
  readonly onStep?: (step: CleanStep) => void | Promise<void>;
  /** Test hook: see CleanJob.gate. */
  readonly workerGate?: Int32Array;
}

export interface CleanResult {
  /** The next clean's first dirty offset (cleaner-offset-checkpoint). */
  readonly cleanedUpTo: bigint;
  /** Set when the clean was given up (log changed meanwhile, cleaner closed): nothing changed. */
  readonly aborted?: string;
  /** Base offsets of the segments replaced and of the segments that replaced them. */
  readonly replacedSegments: readonly bigint[];
  readonly cleanedSegments: readonly bigint[];
  readonly stats?: CleanStats;
}

const defaultMaxBufferBytes = 128 * 1024 * 1024;
const defaultProducerIdExpirationMs = 86_400_000;
/** Bound on a batch's decompressed records while cleaning (the batch may be max.message.bytes compressed). */
const maxDecompressedBytes = 256 * 1024 * 1024;

export class LogCleaner {
  private readonly maxBufferBytes: number;
  private readonly producerIdExpirationMs: number;
  private readonly worker = new CleanWorkerClient();
  /** Logs being cleaned: one clean per log at a time. */
  private readonly inProgress = new Set<PartitionLog>();
  private readonly running = new Set<Promise<unknown>>();
  /** Earliest delete horizon of a tombstone each log kept at its last clean. */
  private readonly tombstoneHorizons = new WeakMap<PartitionLog, number>();
  private closed = false;

  constructor(options: LogCleanerOptions) {
    const maxBufferBytes = options.maxBufferBytes ?? defaultMaxBufferBytes;
    const expiration = options.producerIdExpirationMs ?? defaultProducerIdExpirationMs;
    if (!Number.isSafeInteger(maxBufferBytes) || maxBufferBytes < 1024)
      throw new StorageError("INVALID_CONFIG", `maxBufferBytes=${maxBufferBytes} must be an integer ≥ 1024`);
    if (!Number.isSafeInteger(expiration) || expiration < 0)
      throw new StorageError("INVALID_CONFIG", `producerIdExpirationMs=${expiration} must be an integer ≥ 0`);
    // Kafka divides the dedupe buffer between cleaner threads; one worker here gets all of it.
    this.maxBufferBytes = maxBufferBytes;
    this.producerIdExpirationMs = expiration;
  }

  /**
   * True when the log is compacted and its cleanable range is dirty enough: dirty ratio above
   * min.cleanable.dirty.ratio, a dirty record older than max.compaction.lag.ms, or a tombstone kept
   * by the last clean whose delete horizon has passed.
   */
  needsCleaning(
    log: PartitionLog,
    firstDirtyOffset: bigint,
    nowMs: number,
    options: NeedsCleaningOptions = {},
  ): boolean {
    if (!log.config.cleanupPolicyCompact || this.closed) return false;
    const range = cleanableRange(log, firstDirtyOffset, nowMs, options.upperBound);
    const total = range.cleanBytes + range.dirtyBytes;
    if (total === 0) return false;
    // Kafka compares with ">" (LogCleanerManager.grabFilthiestCompactedLog).
    if (range.dirtyBytes / total > log.config.minCleanableDirtyRatio) return true;
    if (range.dirtyBytes > 0 && compactionLagExceeded(log, range.firstDirtyOffset, nowMs)) return true;
    const horizon = this.tombstoneHorizons.get(log);
    return horizon !== undefined && nowMs >= horizon;
  }

  /**
   * Cleans the log's cleanable range. Undefined when nothing was cleaned: not compacted, nothing
   * cleanable, a clean of this log already running, or the cleaner closed.
   */
  clean(
    log: PartitionLog,
    firstDirtyOffset: bigint,
    nowMs: number,
    options: CleanOptions = {},
  ): Promise<CleanResult | undefined> {
    if (this.closed || !log.config.cleanupPolicyCompact || this.inProgress.has(log))
      return Promise.resolve(undefined);
    this.inProgress.add(log);
    const run = this.cleanLog(log, firstDirtyOffset, nowMs, options).finally(() => {
      this.inProgress.delete(log);
      this.running.delete(run);
    });
    this.running.add(run);
    return run;
  }

  /** Stops the worker (a clean in its worker phase is aborted) and waits for running cleans. */
  async close(): Promise<void> {
    this.closed = true;
    await this.worker.close();
    await Promise.allSettled([...this.running]);
  }

  private async cleanLog(
    log: PartitionLog,
    firstDirtyOffset: bigint,
    nowMs: number,
    options: CleanOptions,
  ): Promise<CleanResult | undefined> {
    const config = log.config;
    const range = cleanableRange(log, firstDirtyOffset, nowMs, options.upperBound);
    if (range.segments.length === 0) return undefined;
    const sizes = range.segments.map((s) => s.size);
    const nothing = { cleanedUpTo: range.firstDirtyOffset, replacedSegments: [], cleanedSegments: [] };
    const horizon = this.tombstoneHorizons.get(log);
    const job: CleanJob = {
      dir: log.dir,
      segments: range.segments.map(
        (segment, i): SegmentSource => ({
          baseOffset: segment.baseOffset,
          size: sizes[i] as number,
          endOffset: (range.segments[i + 1] ?? { baseOffset: range.endOffset }).baseOffset,
          offsetIndexBytes: segment.offsetIndex.entries * 8,
          timeIndexBytes: segment.timeIndex.entries * 12,
        }),
      ),
      firstDirtyOffset: range.firstDirtyOffset,
      nowMs,
      rewriteClean: horizon !== undefined && nowMs >= horizon,
      deleteRetentionMs: config.deleteRetentionMs,
      segmentBytes: config.segmentBytes,
      segmentIndexBytes: config.segmentIndexBytes,
      indexIntervalBytes: config.indexIntervalBytes,
      maxDecompressedBytes,
      producerIdExpirationMs: this.producerIdExpirationMs,
      offsetMapBytes: this.maxBufferBytes,
      ...(options.workerGate ? { gate: options.workerGate } : {}),
    };

    let result: Awaited<ReturnType<CleanWorkerClient["run"]>>;
    try {
      result = await this.worker.run(job);
    } catch (error) {
      for (const segment of range.segments) await removeCleanedFiles(log.dir, segment.baseOffset);
      if (error instanceof CleanerClosedError) return { ...nothing, aborted: error.message };
      if (changedSince(log, range.segments, sizes))
        return { ...nothing, aborted: `the log changed during the clean (${describe(error)})` };
      throw new StorageError("KAFKA_STORAGE_ERROR", `cleaning ${log.dir} failed: ${describe(error)}`, {
        cause: error,
      });
    }
    // Nothing to rewrite (e.g. an undecided transaction covers the dirty part): report no clean, so
    // a caller that runs again at once after a clean does not spin.
    if (result.outputs.length === 0) return undefined;
    await options.onStep?.("cleaned");

    const segmentOptions = {
      indexIntervalBytes: config.indexIntervalBytes,
      segmentIndexBytes: config.segmentIndexBytes,
    };
    const cleaned: LogSegment[] = [];
    const replaced: LogSegment[] = [];
    const expectedSizes: number[] = [];
    try {
      for (const output of result.outputs) {
        const segment = await LogSegment.open(log.dir, output.baseOffset, segmentOptions, cleanedSuffix);
        cleaned.push(segment);
        await segment.load();
        for (const base of output.replaced) {
          const i = range.segments.findIndex((s) => s.baseOffset === base);
          replaced.push(range.segments[i] as LogSegment);
          expectedSizes.push(sizes[i] as number);
        }
      }
      await log.replaceSegments(replaced, cleaned, {
        expectedSizes,
        ...(options.onStep ? { onStep: options.onStep } : {}),
      });
    } catch (error) {
      // Before the commit point every new segment still has its `.cleaned` name: discard them.
      if (cleaned.every((s) => s.suffix === cleanedSuffix)) {
        for (const segment of cleaned) await segment.delete();
        for (const output of result.outputs) await removeCleanedFiles(log.dir, output.baseOffset);
        if (changedSince(log, range.segments, sizes))
          return { ...nothing, aborted: `the log changed during the clean (${describe(error)})` };
      }
      throw error;
    }
    if (result.nextDeleteHorizonMs === undefined) this.tombstoneHorizons.delete(log);
    else this.tombstoneHorizons.set(log, result.nextDeleteHorizonMs);
    await options.onStep?.("done");
    return {
      cleanedUpTo: result.cleanedUpTo,
      replacedSegments: replaced.map((s) => s.baseOffset),
      cleanedSegments: cleaned.map((s) => s.baseOffset),
      stats: result.stats,
    };
  }
}

/** True when a segment of the snapshot is gone from the log, or its size changed. */
function changedSince(log: PartitionLog, segments: readonly LogSegment[], sizes: readonly number[]): boolean {
  const current = log.segments;
  return segments.some((s, i) => !current.includes(s) || s.size !== sizes[i] || s === log.active);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
