// The log of one partition: an ordered set of segments, the last one active. Every mutation goes
// through the partition's serial queue; reads run concurrently and see only whole, written batches
// (a segment's size moves after its write completes).
//
// Durability: with flush.messages=1 ("durable mode") an append resolves only after an fsync that
// covers it. Concurrent appends share fsyncs (group commit): appends keep writing while one fsync
// runs, and the next fsync covers all of them. Otherwise data is written to the OS at once and
// fsynced per flush.messages / flush.ms, on roll and on close (Kafka's defaults leave it to the OS).

import { rm } from "node:fs/promises";
import {
  type AppendOptions,
  type ValidatedAppend,
  validateAndAssignOffsets,
  verifyCrcs,
} from "./append-validator.ts";
import { fsyncDirectory } from "./durable-fs.ts";
import type { LogConfig } from "./log-config.ts";
import { readSegments } from "./log-read.ts";
import type { ProducerBatch, ProducerView } from "./producer-state.ts";
import {
  collectAbortedTransactions,
  copyAbortedTxns,
  defaultProducerIdExpirationMs,
  loadBounds,
  ProducerStateManager,
} from "./producer-state-manager.ts";
import { LogSegment } from "./segment.ts";
import { loadSegments } from "./segment-loader.ts";
import type { SegmentRecovery } from "./segment-recovery.ts";
import { type ReplaceSegmentsOptions, swapSegments } from "./segment-swap.ts";
import { SerialQueue } from "./serial-queue.ts";
import { StorageError } from "./storage-error.ts";
import { findOffsetForTimestamp, type TimestampLookup } from "./timestamp-lookup.ts";

export interface PartitionLogOptions {
  readonly dir: string;
  readonly config: LogConfig;
  /** Milliseconds since the epoch; injectable for tests. */
  readonly clock?: () => number;
  /** Offset below which data is known flushed; segments after it are recovered when `recover`. */
  readonly recoveryPoint?: bigint;
  readonly logStartOffset?: bigint;
  /** The last stop was unclean: validate and repair segments at and after the recovery point. */
  readonly recover?: boolean;
  /** producer.id.expiration.ms (1 day): idle producers without a transaction are forgotten. */
  readonly producerIdExpirationMs?: number;
}

export interface RecoveryReport {
  readonly dir: string;
  readonly segments: SegmentRecovery[];
  readonly deletedSegments: bigint[];
  readonly truncatedBytes: number;
}

export interface AppendResult extends ValidatedAppend {
  readonly logStartOffset: bigint;
  /**
   * The batches were appended before (an idempotent producer's retry): nothing was written, and
   * firstOffset / lastOffset are those of the original append.
   */
  readonly duplicate?: true;
}

export interface ReadOptions {
  readonly maxBytes: number;
  /** Exclusive: only batches whose last offset is below it are returned (high watermark / LSO). */
  readonly upperBound?: bigint;
  /** Return the first batch even when it is larger than maxBytes (Kafka's minOneMessage). */
  readonly minOneBatch?: boolean;
  /** Where the bytes are read into (default Buffer.allocUnsafe), e.g. a caller's pool. */
  readonly allocate?: ((bytes: number) => Buffer) | undefined;
}

export interface ReadResult {
  /** Whole batches; empty when nothing is readable below the bound. */
  readonly records: Buffer;
  /** Base offset of the first returned batch (may be below the requested offset), or -1. */
  readonly firstBatchOffset: bigint;
}

const _logSuffix = ".log";
const int32Max = 2147483647n;

export class PartitionLog {
  readonly dir: string;
  private configValue: LogConfig;
  private readonly clock: () => number;
  private readonly queue = new SerialQueue();
  /**
   * Never mutated in place: every change installs a new array, so a read that iterates it across
   * awaits works on a stable snapshot while retention, compaction or truncation replace segments.
   */
  private segmentList: readonly LogSegment[];
  private startOffset: bigint;
  private flushedOffset: bigint;
  private unflushedMessages = 0;
  private lastFlushMs: number;
  /** When the active segment became active (segment.ms for batches without timestamps). */
  private activeSinceMs: number;
  private flushing: Promise<void> | undefined;
  /**
   * A segment file was created since the directory was last fsynced: the next fsync covers the
   * directory too, or a power loss could lose the new file's name with acknowledged data in it.
   */
  private directoryDirty = true;
  /** Bumped by truncateTo: an fsync that overlapped a truncation proves nothing after it. */
  private truncations = 0;
  private closed = false;
  /** Set by the first I/O error: the log is offline until restart (Kafka's offline log dir). */
  private failure: StorageError | undefined;
  /** Producer ids, sequences, transactions, snapshots (producer-state-manager.ts). */
  private readonly producerState: ProducerStateManager;

  private constructor(options: PartitionLogOptions, segments: LogSegment[], logStartOffset: bigint) {
    this.dir = options.dir;
    this.configValue = options.config;
    this.clock = options.clock ?? Date.now;
    this.segmentList = segments;
    this.startOffset = logStartOffset;
    this.flushedOffset = this.logEndOffset;
    this.lastFlushMs = this.clock();
    this.activeSinceMs = this.lastFlushMs;
    this.producerState = new ProducerStateManager({
      dir: this.dir,
      clock: this.clock,
      producerIdExpirationMs: options.producerIdExpirationMs ?? defaultProducerIdExpirationMs,
    });
  }

  /** Opens the log in `dir` (created when missing), recovering it after an unclean stop. */
  static async open(options: PartitionLogOptions): Promise<{ log: PartitionLog; recovery: RecoveryReport }> {
    const { dir, config } = options;
    const { segments, report } = await loadSegments(options);
    const segmentOptions = {
      indexIntervalBytes: config.indexIntervalBytes,
      segmentIndexBytes: config.segmentIndexBytes,
    };
    const logStartOffset = options.logStartOffset ?? segments[0]?.baseOffset ?? 0n;
    if (segments.length === 0) segments.push(await LogSegment.open(dir, logStartOffset, segmentOptions));
    const log = new PartitionLog(options, segments, logStartOffset);
    if (log.startOffset > log.logEndOffset) log.startOffset = log.logEndOffset;
    await log.active.activate();
    try {
      const bounds = loadBounds(segments, options.recover === true, options.recoveryPoint ?? 0n);
      await log.producerState.open(segments, bounds);
    } catch (error) {
      for (const segment of segments) await segment.close().catch(() => undefined);
      throw error;
    }
    return { log, recovery: report };
  }

  get config(): LogConfig {
    return this.configValue;
  }

  /** Applies a new config; retention, compaction and segment settings take effect from now on. */
  updateConfig(config: LogConfig): void {
    this.configValue = config;
  }

  get segments(): readonly LogSegment[] {
    return this.segmentList;
  }

  get active(): LogSegment {
    return this.segmentList[this.segmentList.length - 1] as LogSegment;
  }

  get logStartOffset(): bigint {
    return this.startOffset;
  }

  get logEndOffset(): bigint {
    return this.active.nextOffset;
  }

  /**
   * True once an I/O error (ENOSPC, EIO, …) hit this log: every later append, read and flush
   * rejects with KAFKA_STORAGE_ERROR until the log is reopened, so a half-written state is never
   * served or extended. Recovery at the next (unclean) start repairs the tail.
   */
  get offline(): boolean {
    return this.failure !== undefined;
  }

  /** The I/O error that took the log offline. */
  get offlineError(): StorageError | undefined {
    return this.failure;
  }

  /** Offsets below this are fsynced. */
  get recoveryPoint(): bigint {
    return this.flushedOffset;
  }

  /** Bytes in all segments. */
  get size(): number {
    return this.segmentList.reduce((sum, s) => sum + s.size, 0);
  }

  /** Runs `task` in this partition's serial queue (for the retention and compaction helpers). */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      this.ensureOpen();
      return task();
    });
  }

  /**
   * Validates `records` (mutated in place: offsets, leader epoch, LogAppendTime) and appends them.
   * Resolves once written — and fsynced when flush.messages says so.
   */
  async append(records: Buffer, options: AppendOptions = {}): Promise<AppendResult> {
    const result = await this.queue.run(async () => {
      this.ensureOpen();
      const now = this.clock();
      // CRC-32Cs are checked while the write is in flight (the write runs in the thread pool):
      // the checksum costs about as much as the write for large batches.
      const validated = validateAndAssignOffsets(
        records,
        this.logEndOffset,
        this.configValue,
        now,
        options,
        true,
      );
      if (validated.batches.length === 0) return validated;
      let verify: (() => void) | undefined =
        validated.logAppendTime < 0n ? () => verifyCrcs(records, validated.batches) : undefined;
      const producers = this.producerState.prepare(records, validated.batches, options, verify);
      if (producers?.duplicate) return duplicateAppend(producers.duplicate, validated.logAppendTime);
      try {
        if (this.shouldRoll(records.length, validated, now)) {
          verify?.(); // a rejected append must not roll
          verify = undefined;
          await this.rollLocked(validated.firstOffset);
        }
        await this.active.append(records, validated.batches, verify);
        if (producers) await this.producerState.apply(producers, this.active);
      } catch (error) {
        if (error instanceof StorageError && error.code === "CORRUPT_MESSAGE") throw error;
        throw this.markOffline("append", error);
      }
      this.unflushedMessages += validated.recordCount;
      return validated;
    });
    if (result.batches.length > 0 && this.unflushedMessages >= this.configValue.flushMessages) {
      await this.flushUpTo(result.lastOffset + 1n);
    }
    // The original may still wait for its fsync: a retry is acknowledged no earlier.
    if ("duplicate" in result && this.configValue.flushMessages <= 1)
      await this.flushUpTo(result.lastOffset + 1n);
    return { ...result, logStartOffset: this.startOffset };
  }

  private shouldRoll(bytes: number, append: ValidatedAppend, now: number): boolean {
    const segment = this.active;
    if (segment.size === 0) return false;
    const config = this.configValue;
    const rollAfter = config.segmentMs - config.segmentJitterMs;
    // Kafka measures a segment's age by its first batch's timestamp, or by wall time when the
    // batches carry none.
    const since = segment.firstBatchTimestamp;
    const age =
      since !== undefined && since >= 0n && append.maxTimestamp >= 0n
        ? Number(append.maxTimestamp - since)
        : now - this.activeSinceMs;
    return (
      segment.size + bytes > config.segmentBytes ||
      age > rollAfter ||
      segment.indexesFull ||
      append.lastOffset - segment.baseOffset > int32Max
    );
  }

  /** Starts a new active segment at the log end offset. */
  roll(): Promise<void> {
    return this.exclusive(() => this.rollLocked(this.logEndOffset));
  }

  private async rollLocked(baseOffset: bigint): Promise<void> {
    const previous = this.active;
    if (previous.size === 0) return;
    await this.producerState.takeSnapshot(baseOffset, false);
    await previous.flush(false);
    await previous.deactivate();
    const segment = await LogSegment.open(this.dir, baseOffset, {
      indexIntervalBytes: this.configValue.indexIntervalBytes,
      segmentIndexBytes: this.configValue.segmentIndexBytes,
    });
    await segment.activate();
    this.segmentList = [...this.segmentList, segment];
    this.activeSinceMs = this.clock();
    this.directoryDirty = true;
    // Kafka fsyncs a rolled segment in the background so the recovery point advances past it and
    // an unclean stop re-scans only the newer segments. A failure marks the log offline.
    this.flushUpTo(baseOffset).catch(() => undefined);
  }

  /** fsyncs everything written so far (group commit: concurrent callers share one fsync). */
  flush(): Promise<void> {
    return this.flushUpTo(this.logEndOffset);
  }

  private async flushUpTo(offset: bigint): Promise<void> {
    // Capped at the log end each time: a truncation meanwhile removed the offsets past it.
    while (this.flushedOffset < (offset < this.logEndOffset ? offset : this.logEndOffset)) {
      this.flushing ??= this.syncOnce().finally(() => {
        this.flushing = undefined;
      });
      await this.flushing;
    }
  }

  private async syncOnce(): Promise<void> {
    this.ensureOnline();
    const target = this.logEndOffset;
    const truncations = this.truncations;
    const messages = this.unflushedMessages;
    const dirty = this.segmentList.filter((s) => s.needsSync || s === this.active);
    try {
      for (const segment of dirty) {
        if (!segment.retain()) continue; // deleted meanwhile (retention, compaction): nothing to keep
        try {
          // Only the active segment's .log: recovery always re-scans the active segment and
          // rebuilds its indexes, so fsyncing them would only triple the fsyncs of group commit.
          // They are fsynced by the first flush after the segment rolls, and by close.
          await segment.flush(true, segment !== this.active);
        } finally {
          segment.release();
        }
      }
      if (this.directoryDirty) {
        this.directoryDirty = false;
        await fsyncDirectory(this.dir).catch((error: unknown) => {
          // Removed underneath (the partition was deleted): no name is left to make durable.
          if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
        });
      }
    } catch (error) {
      throw this.markOffline("fsync", error);
    }
    this.lastFlushMs = this.clock();
    if (truncations !== this.truncations) return; // overlapped a truncation: proves nothing
    this.unflushedMessages -= Math.min(messages, this.unflushedMessages);
    if (target > this.flushedOffset) this.flushedOffset = target;
  }

  /** Flushes when flush.ms has passed since the last flush (called by the log manager's timer). */
  async flushIfDue(): Promise<void> {
    if (
      this.clock() - this.lastFlushMs >= this.configValue.flushMs &&
      this.flushedOffset < this.logEndOffset
    ) {
      await this.flush();
    }
  }

  /** Reads whole batches from the batch containing `offset`. */
  async read(offset: bigint, options: ReadOptions): Promise<ReadResult> {
    this.ensureOpen();
    const empty: ReadResult = { records: Buffer.alloc(0), firstBatchOffset: -1n };
    const end = this.logEndOffset;
    if (offset < this.startOffset || offset > end)
      throw new StorageError(
        "OFFSET_OUT_OF_RANGE",
        `offset ${offset} is outside [${this.startOffset}, ${end}] of ${this.dir}`,
      );
    const upperBound = options.upperBound ?? end;
    if (offset >= upperBound) return empty;
    try {
      return await readSegments(this.segmentList, offset, upperBound, options);
    } catch (error) {
      throw error instanceof StorageError ? error : this.markOffline("read", error);
    }
  }

  /** The first offset whose timestamp is ≥ `timestamp` (ListOffsets by time), or undefined. */
  offsetForTimestamp(timestamp: bigint): Promise<TimestampLookup | undefined> {
    this.ensureOpen();
    return findOffsetForTimestamp(this.segmentList, timestamp, this.startOffset).catch((error: unknown) => {
      throw error instanceof StorageError ? error : this.markOffline("read", error);
    });
  }

  /** Offset and timestamp of the record with the largest timestamp (ListOffsets -3). */
  maxTimestampOffset(): TimestampLookup | undefined {
    let best: TimestampLookup | undefined;
    for (const segment of this.segmentList) {
      if (segment.size > 0 && (!best || segment.maxTimestamp > best.timestamp))
        best = { offset: segment.offsetOfMaxTimestamp, timestamp: segment.maxTimestamp };
    }
    return best;
  }

  /** Removes every batch whose last offset is ≥ `offset` (replica truncation). */
  truncateTo(offset: bigint): Promise<number> {
    return this.exclusive(async () => {
      if (offset >= this.logEndOffset) return 0;
      // Bumped before and after: an fsync that started before or during the truncation must not
      // advance the recovery point to a log end that no longer exists.
      this.truncations++;
      try {
        await this.producerState.deleteSnapshotsWhere((snapshot) => snapshot > offset);
        let removed = 0;
        while (this.segmentList.length > 1 && this.active.baseOffset >= offset) {
          const segment = this.active;
          this.segmentList = this.segmentList.slice(0, -1);
          removed += segment.size;
          await segment.delete();
        }
        removed += await this.active.truncateTo(offset);
        await this.active.activate();
        const end = this.logEndOffset;
        await this.producerState.reload(this.segmentList, { limit: end, rebuildFrom: end });
        if (this.flushedOffset > this.logEndOffset) this.flushedOffset = this.logEndOffset;
        if (this.startOffset > this.logEndOffset) this.startOffset = this.logEndOffset;
        return removed;
      } finally {
        this.truncations++;
      }
    });
  }

  /**
   * Advances the log start offset (DeleteRecords): offsets below it become unreadable and whole
   * segments below it are deleted. Returns the new log start offset.
   */
  deleteRecordsBefore(offset: bigint): Promise<bigint> {
    return this.exclusive(async () => {
      if (offset > this.logEndOffset)
        throw new StorageError(
          "OFFSET_OUT_OF_RANGE",
          `cannot delete records before ${offset}: log ends at ${this.logEndOffset}`,
        );
      if (offset > this.startOffset) this.startOffset = offset;
      await this.deleteSegmentsLocked(
        (_segment, next) => next !== undefined && next.baseOffset <= this.startOffset,
      );
      return this.startOffset;
    });
  }

  /**
   * Deletes leading closed segments while `shouldDelete(segment, nextSegment)` holds (retention).
   * Never deletes the active segment; advances the log start offset past deleted segments.
   */
  deleteSegments(
    shouldDelete: (segment: LogSegment, next: LogSegment | undefined) => boolean,
  ): Promise<bigint[]> {
    return this.exclusive(() => this.deleteSegmentsLocked(shouldDelete));
  }

  private async deleteSegmentsLocked(
    shouldDelete: (segment: LogSegment, next: LogSegment | undefined) => boolean,
  ): Promise<bigint[]> {
    const deleted: bigint[] = [];
    while (this.segmentList.length > 1) {
      const [segment, next] = this.segmentList as [LogSegment, LogSegment];
      if (!shouldDelete(segment, next)) break;
      this.segmentList = this.segmentList.slice(1);
      deleted.push(segment.baseOffset);
      if (next.baseOffset > this.startOffset) this.startOffset = next.baseOffset;
      await segment.delete();
    }
    const first = this.segmentList[0] as LogSegment;
    if (deleted.length > 0)
      await this.producerState.deleteSnapshotsWhere((offset) => offset < first.baseOffset);
    return deleted;
  }

  /**
   * Swaps `replaced` (consecutive closed segments) for `replacement`, under the queue (compaction).
   * Replacements opened under a suffix (`.cleaned`) go through the crash-safe swap protocol of
   * segment-swap.ts. Throws when the segments changed since the caller looked (retention,
   * truncation), before anything is touched.
   */
  replaceSegments(
    replaced: readonly LogSegment[],
    replacement: readonly LogSegment[],
    options: ReplaceSegmentsOptions = {},
  ): Promise<void> {
    return this.exclusive(async () => {
      const first = this.segmentList.indexOf(replaced[0] as LogSegment);
      const { expectedSizes } = options;
      const changed = (s: LogSegment, i: number) =>
        this.segmentList[first + i] !== s ||
        s === this.active ||
        (expectedSizes !== undefined && expectedSizes[i] !== s.size);
      if (first < 0 || replaced.some(changed))
        throw new StorageError("KAFKA_STORAGE_ERROR", "segments changed while they were being replaced");
      await copyAbortedTxns(replaced, replacement);
      await swapSegments(
        this.dir,
        replaced,
        replacement,
        () => {
          this.segmentList = [
            ...this.segmentList.slice(0, first),
            ...replacement,
            ...this.segmentList.slice(first + replaced.length),
          ];
        },
        options.onStep,
      );
    });
  }

  /**
   * The first offset of the oldest ongoing transaction, undefined when none: the broker's last
   * stable offset is min(this, high watermark).
   */
  get firstUnstableOffset(): bigint | undefined {
    return this.producerState.state.firstUnstableOffset;
  }

  /** Aborted transactions overlapping [fetchOffset, upperBound): what read_committed Fetch returns. */
  abortedTransactions(
    fetchOffset: bigint,
    upperBound: bigint,
  ): { producerId: bigint; firstOffset: bigint }[] {
    return collectAbortedTransactions(this.segmentList, fetchOffset, upperBound).map((txn) => ({
      producerId: txn.producerId,
      firstOffset: txn.firstOffset,
    }));
  }

  /** Every producer this partition knows (DescribeProducers). */
  producers(): ProducerView[] {
    return this.producerState.state.view();
  }

  /**
   * Forgets producers idle for producer.id.expiration.ms that have no ongoing transaction
   * (the log manager calls it every producer.id.expiration.check.interval.ms). Returns how many.
   */
  removeExpiredProducers(nowMs: number = this.clock()): Promise<number> {
    return this.exclusive(async () => this.producerState.removeExpired(nowMs));
  }

  /** Flushes, fsyncs and closes every segment. */
  close(): Promise<void> {
    return this.queue.run(async () => {
      if (this.closed) return;
      if (this.failure) {
        // Nothing more is written to an offline log: release the files, let recovery repair it.
        this.closed = true;
        for (const segment of this.segmentList) await segment.close().catch(() => undefined);
        return;
      }
      await this.syncOnce();
      await this.producerState.takeSnapshot(this.logEndOffset, true);
      this.closed = true;
      for (const segment of this.segmentList) await segment.close();
    });
  }

  /** Closes and removes the partition directory (DeleteTopics). */
  async delete(): Promise<void> {
    await this.close();
    await rm(this.dir, { recursive: true, force: true });
  }

  private ensureOpen(): void {
    if (this.closed) throw new StorageError("LOG_CLOSED", `log ${this.dir} is closed`);
    this.ensureOnline();
  }

  private ensureOnline(): void {
    if (this.failure)
      throw new StorageError("KAFKA_STORAGE_ERROR", `log ${this.dir} is offline: ${this.failure.message}`, {
        cause: this.failure,
      });
  }

  /** Records the first I/O error (the log goes offline) and returns the error to throw. */
  private markOffline(operation: string, error: unknown): StorageError {
    if (error instanceof StorageError && error.code === "KAFKA_STORAGE_ERROR") return error;
    const failure = new StorageError(
      "KAFKA_STORAGE_ERROR",
      `${operation} in ${this.dir} failed: ${String(error)}`,
      { cause: error },
    );
    if (!this.closed) this.failure ??= failure;
    return failure;
  }
}

/** The answer to a retried append: the original offsets, nothing written. */
function duplicateAppend(
  original: { readonly first: ProducerBatch; readonly last: ProducerBatch },
  logAppendTime: bigint,
): ValidatedAppend & { readonly duplicate: true } {
  return {
    batches: [],
    firstOffset: original.first.firstOffset,
    lastOffset: original.last.lastOffset,
    maxTimestamp: original.last.maxTimestamp,
    offsetOfMaxTimestamp: original.last.lastOffset,
    // A LogAppendTime batch's max timestamp is the time it was appended (Kafka answers that).
    logAppendTime: logAppendTime >= 0n ? original.last.maxTimestamp : -1n,
    recordCount: 0,
    duplicate: true,
  };
}
