// One log segment: `<base offset, 20 digits>.log` holding record batches exactly as appended
// (offsets assigned), plus its sparse `.index` and `.timeindex`. Only the partition's serial queue
// calls the mutating methods; `size` and `nextOffset` move only after a write has completed, so a
// concurrent reader never sees a half-written batch.

import { type FileHandle, open, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { OffsetIndex } from "./offset-index.ts";
import { type BatchLocation, findBatch, scanBatchHeaders } from "./segment-scan.ts";
import { TimeIndex } from "./time-index.ts";
import { TxnIndex } from "./txn-index.ts";

export interface SegmentOptions {
  readonly indexIntervalBytes: number;
  readonly segmentIndexBytes: number;
}

/** What the log knows about each batch it appends (from the batch headers, offsets assigned). */
export interface AppendedBatch {
  /** Position of the batch inside the appended buffer. */
  readonly position: number;
  readonly size: number;
  readonly baseOffset: bigint;
  readonly lastOffset: bigint;
  readonly maxTimestamp: bigint;
}

export const noTimestamp = -1n;

/**
 * Batches remembered from the latest appends, so a consumer reading at the tail finds its batch
 * without a header read (one thread-pool round trip less per fetch on the latency path).
 */
const recentBatchesKept = 64;

export function segmentFileName(baseOffset: bigint, suffix: string): string {
  return `${baseOffset.toString().padStart(20, "0")}${suffix}`;
}

export class LogSegment {
  readonly dir: string;
  readonly baseOffset: bigint;
  readonly offsetIndex: OffsetIndex;
  readonly timeIndex: TimeIndex;
  /** Aborted transactions whose marker is in this segment (`.txnindex`, see txn-index.ts). */
  readonly txnIndex: TxnIndex;
  private readonly handle: FileHandle;
  private readonly options: SegmentOptions;
  /** Bytes of whole batches in the .log. */
  size = 0;
  /** Offset after the last batch; the base offset while empty. */
  nextOffset: bigint;
  maxTimestamp = noTimestamp;
  offsetOfMaxTimestamp: bigint;
  /** Max timestamp of the first batch: what segment.ms measures the segment's age from. */
  firstBatchTimestamp: bigint | undefined;
  /** Bytes appended but not yet fsynced. */
  unflushedBytes = 0;
  private bytesSinceIndexEntry = 0;
  /** The last appended batches (positions in the .log), oldest first; contiguous up to `size`. */
  private recent: BatchLocation[] = [];
  private readers = 0;
  private deleted = false;
  private closeWhenIdle: (() => void) | undefined;
  /** Appended to every file name: "" normally, ".cleaned" / ".swap" while a compaction swaps it in. */
  private fileSuffix = "";

  private constructor(
    dir: string,
    baseOffset: bigint,
    handle: FileHandle,
    offsetIndex: OffsetIndex,
    timeIndex: TimeIndex,
    txnIndex: TxnIndex,
    options: SegmentOptions,
  ) {
    this.dir = dir;
    this.baseOffset = baseOffset;
    this.handle = handle;
    this.offsetIndex = offsetIndex;
    this.timeIndex = timeIndex;
    this.txnIndex = txnIndex;
    this.options = options;
    this.nextOffset = baseOffset;
    this.offsetOfMaxTimestamp = baseOffset;
  }

  get logPath(): string {
    return join(this.dir, segmentFileName(this.baseOffset, ".log") + this.fileSuffix);
  }

  get suffix(): string {
    return this.fileSuffix;
  }

  /**
   * Renames the segment's files to `<name><suffix>`, indexes first and the .log last, so the .log's
   * name is the one that decides (compaction's swap protocol, see segment-swap.ts).
   */
  async changeSuffix(suffix: string): Promise<void> {
    const base = (name: string) => join(this.dir, segmentFileName(this.baseOffset, name) + suffix);
    await this.offsetIndex.index.renameTo(base(".index"));
    await this.timeIndex.index.renameTo(base(".timeindex"));
    await this.txnIndex.renameTo(base(".txnindex"));
    await rename(this.logPath, base(".log"));
    this.fileSuffix = suffix;
  }

  get file(): FileHandle {
    return this.handle;
  }

  /**
   * Opens the segment's files (creating them when missing). State is loaded by `load` or `rebuild`.
   * `suffix` names a segment being written by compaction (`00…0.log.cleaned`).
   */
  static async open(
    dir: string,
    baseOffset: bigint,
    options: SegmentOptions,
    suffix = "",
  ): Promise<LogSegment> {
    const logPath = join(dir, segmentFileName(baseOffset, ".log") + suffix);
    const handle = await open(logPath, "a+").then(async (h) => {
      await h.close();
      return open(logPath, "r+");
    });
    const offsetIndex = await OffsetIndex.open(
      join(dir, segmentFileName(baseOffset, ".index") + suffix),
      baseOffset,
      options.segmentIndexBytes,
    );
    const timeIndex = await TimeIndex.open(
      join(dir, segmentFileName(baseOffset, ".timeindex") + suffix),
      baseOffset,
      Math.floor(options.segmentIndexBytes * 1.5),
    );
    const txnIndex = await TxnIndex.open(
      join(dir, segmentFileName(baseOffset, ".txnindex") + suffix),
      baseOffset,
    );
    const segment = new LogSegment(dir, baseOffset, handle, offsetIndex, timeIndex, txnIndex, options);
    segment.fileSuffix = suffix;
    return segment;
  }

  /**
   * Loads size, next offset and timestamps of a segment that was flushed (below the recovery
   * point): the file length is trusted, and only the batches after the last index entries are
   * scanned to find the last offset and timestamp.
   */
  async load(): Promise<void> {
    const { size } = await this.handle.stat();
    this.size = size;
    const lastIndexed = this.offsetIndex.lastEntry();
    const lastTime = this.timeIndex.lastEntry();
    if (lastTime) {
      this.maxTimestamp = lastTime.timestamp;
      this.offsetOfMaxTimestamp = lastTime.offset;
    }
    let first = true;
    await scanBatchHeaders(this.handle, lastIndexed?.position ?? 0, size, (batch) => {
      if (first && !lastIndexed) this.firstBatchTimestamp = batch.maxTimestamp;
      first = false;
      this.noteBatch(batch);
      return true;
    });
    if (this.firstBatchTimestamp === undefined && size > 0) {
      await scanBatchHeaders(this.handle, 0, size, (batch) => {
        this.firstBatchTimestamp = batch.maxTimestamp;
        return false;
      });
    }
  }

  private noteBatch(batch: BatchLocation): void {
    this.nextOffset = batch.lastOffset + 1n;
    if (batch.maxTimestamp > this.maxTimestamp) {
      this.maxTimestamp = batch.maxTimestamp;
      this.offsetOfMaxTimestamp = batch.lastOffset;
    }
  }

  /**
   * Appends whole batches (already validated, offsets assigned) at the end of the .log. `verify`
   * (the deferred CRC checks) runs while the write is in flight; when it throws, the bytes written
   * past the end are cut off again and nothing moves.
   */
  async append(buffer: Buffer, batches: readonly AppendedBatch[], verify?: () => void): Promise<void> {
    if (buffer.length === 0) return;
    const writing = this.writeAt(buffer, this.size);
    if (verify) {
      try {
        verify();
      } catch (error) {
        await writing.catch(() => undefined);
        await this.handle.truncate(this.size);
        throw error;
      }
    }
    await writing;
    if (this.recent.length + batches.length > 2 * recentBatchesKept)
      this.recent = this.recent.slice(-recentBatchesKept);
    for (const batch of batches) {
      const position = this.size + batch.position;
      this.recent.push({
        position,
        size: batch.size,
        baseOffset: batch.baseOffset,
        lastOffset: batch.lastOffset,
        maxTimestamp: batch.maxTimestamp,
      });
      if (this.firstBatchTimestamp === undefined) this.firstBatchTimestamp = batch.maxTimestamp;
      if (this.bytesSinceIndexEntry > this.options.indexIntervalBytes && !this.offsetIndex.isFull) {
        this.offsetIndex.append(batch.baseOffset, position);
        this.bytesSinceIndexEntry = 0;
      }
      this.bytesSinceIndexEntry += batch.size;
      if (batch.maxTimestamp > this.maxTimestamp) {
        this.maxTimestamp = batch.maxTimestamp;
        this.offsetOfMaxTimestamp = batch.lastOffset;
        this.timeIndex.maybeAppend(batch.maxTimestamp, batch.lastOffset);
      }
    }
    const last = batches[batches.length - 1];
    if (last) this.nextOffset = last.lastOffset + 1n;
    this.size += buffer.length;
    this.unflushedBytes += buffer.length;
  }

  private async writeAt(buffer: Buffer, position: number): Promise<void> {
    let written = 0;
    while (written < buffer.length) {
      const { bytesWritten } = await this.handle.write(
        buffer,
        written,
        buffer.length - written,
        position + written,
      );
      written += bytesWritten;
    }
  }

  /** True when the indexes cannot take another entry (a reason to roll). */
  get indexesFull(): boolean {
    return this.offsetIndex.isFull || this.timeIndex.isFull;
  }

  /** The first batch with last offset ≥ `offset`, from the nearest index entry. */
  async locate(offset: bigint, end = this.size): Promise<BatchLocation | undefined> {
    // Every batch before the oldest remembered one ends below its base offset, so from there the
    // first batch reaching `offset` is among the remembered ones (when it is complete before `end`).
    const oldest = this.recent[0];
    if (oldest !== undefined && offset >= oldest.baseOffset) {
      for (const batch of this.recent)
        if (batch.lastOffset >= offset) {
          if (batch.position + batch.size <= end) return batch;
          break;
        }
    }
    const start = this.offsetIndex.lookup(offset).position;
    return findBatch(this.handle, start, end, offset);
  }

  /** Reads `length` bytes at `position` (fewer at the end of the file) into a buffer from `allocate`. */
  async readAt(
    position: number,
    length: number,
    allocate: (bytes: number) => Buffer = Buffer.allocUnsafe,
  ): Promise<Buffer> {
    const buf = allocate(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await this.handle.read(buf, filled, length - filled, position + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buf.subarray(0, filled);
  }

  /** Visits batch headers from the index entry at or before `offset`. */
  async scanFrom(offset: bigint, visit: (batch: BatchLocation) => boolean): Promise<void> {
    await scanBatchHeaders(this.handle, this.offsetIndex.lookup(offset).position, this.size, visit);
  }

  /**
   * Writes index entries and, when `sync`, fsyncs the .log and the indexes. Without `indexes` only
   * the .log is touched (group commit on the active segment, whose indexes recovery rebuilds).
   */
  async flush(sync: boolean, indexes = true): Promise<void> {
    // Always: recovery trusts .txnindex entries below the recovery point (it has no other source).
    await this.txnIndex.flush(sync);
    if (indexes) {
      await this.offsetIndex.index.flush(sync);
      await this.timeIndex.index.flush(sync);
    }
    if (sync) {
      const pending = this.unflushedBytes; // appends during the fsync are not covered by it
      await this.handle.sync();
      this.unflushedBytes -= pending;
    }
  }

  /** Bytes or index entries not yet fsynced. */
  get needsSync(): boolean {
    return this.unflushedBytes > 0 || this.offsetIndex.index.needsSync || this.timeIndex.index.needsSync;
  }

  /**
   * Removes every batch whose last offset is ≥ `offset` (the batch containing `offset` goes too,
   * as in Kafka). Returns the bytes removed.
   */
  async truncateTo(offset: bigint): Promise<number> {
    const batch = offset <= this.baseOffset ? undefined : await this.locate(offset);
    const position = offset <= this.baseOffset ? 0 : (batch?.position ?? this.size);
    const removed = this.size - position;
    if (removed === 0) return 0;
    this.recent = [];
    await this.handle.truncate(position);
    this.size = position;
    const cut = batch?.baseOffset ?? this.baseOffset;
    this.offsetIndex.truncateTo(cut);
    this.timeIndex.truncateTo(cut);
    await this.txnIndex.truncateTo(cut);
    await this.offsetIndex.index.flush(false);
    await this.timeIndex.index.flush(false);
    await this.rescanTail();
    return removed;
  }

  /** Recomputes next offset and timestamps after the tail changed. */
  private async rescanTail(): Promise<void> {
    this.recent = [];
    this.nextOffset = this.baseOffset;
    this.maxTimestamp = noTimestamp;
    this.offsetOfMaxTimestamp = this.baseOffset;
    this.firstBatchTimestamp = undefined;
    this.bytesSinceIndexEntry = 0;
    await scanBatchHeaders(this.handle, 0, this.size, (batch) => {
      if (this.firstBatchTimestamp === undefined) this.firstBatchTimestamp = batch.maxTimestamp;
      this.noteBatch(batch);
      return true;
    });
  }

  /** Marks the segment active: its indexes are preallocated like Kafka's. */
  async activate(): Promise<void> {
    await this.offsetIndex.index.preallocate();
    await this.timeIndex.index.preallocate();
  }

  /** No longer active: trim the indexes to their entries. */
  async deactivate(): Promise<void> {
    await this.offsetIndex.index.trim();
    await this.timeIndex.index.trim();
  }

  /** Holds the file open for a read; `release` when done. */
  retain(): boolean {
    if (this.deleted) return false;
    this.readers++;
    return true;
  }

  release(): void {
    this.readers--;
    if (this.readers === 0) this.closeWhenIdle?.();
  }

  async close(): Promise<void> {
    await this.flush(false);
    await this.offsetIndex.index.close();
    await this.timeIndex.index.close();
    await this.txnIndex.close();
    await this.handle.close();
  }

  /**
   * Removes the segment: renamed to `.deleted` at once (so a restart never loads it again), files
   * closed once in-flight reads finish, then unlinked.
   */
  async delete(): Promise<void> {
    this.deleted = true;
    const paths = [this.logPath, this.offsetIndex.index.path, this.timeIndex.index.path, this.txnIndex.path];
    await Promise.all(paths.map((p) => rename(p, `${p}.deleted`).catch(() => undefined)));
    if (this.readers > 0) await new Promise<void>((resolve) => (this.closeWhenIdle = resolve));
    await this.handle.close().catch(() => undefined);
    await this.offsetIndex.index.delete();
    await this.timeIndex.index.delete();
    await this.txnIndex.close().catch(() => undefined);
    await Promise.all(paths.map((p) => rm(`${p}.deleted`, { force: true })));
  }

  /** Rebuilds both indexes and the in-memory state from the .log (recovery). */
  async rebuildIndexes(): Promise<void> {
    this.offsetIndex.index.reset();
    this.timeIndex.index.reset();
    this.nextOffset = this.baseOffset;
    this.maxTimestamp = noTimestamp;
    this.offsetOfMaxTimestamp = this.baseOffset;
    this.firstBatchTimestamp = undefined;
    this.bytesSinceIndexEntry = 0;
    const batches: AppendedBatch[] = [];
    await scanBatchHeaders(this.handle, 0, this.size, (batch) => {
      batches.push({ ...batch });
      return true;
    });
    const size = this.size;
    this.size = 0;
    for (const batch of batches) {
      if (this.firstBatchTimestamp === undefined) this.firstBatchTimestamp = batch.maxTimestamp;
      if (this.bytesSinceIndexEntry > this.options.indexIntervalBytes && !this.offsetIndex.isFull) {
        this.offsetIndex.append(batch.baseOffset, batch.position);
        this.bytesSinceIndexEntry = 0;
      }
      this.bytesSinceIndexEntry += batch.size;
      if (batch.maxTimestamp > this.maxTimestamp)
        this.timeIndex.maybeAppend(batch.maxTimestamp, batch.lastOffset);
      this.noteBatch(batch);
    }
    this.size = size;
    await this.flush(false);
  }

  /** Sets the valid length after recovery truncated a torn tail. */
  async truncateBytes(size: number): Promise<void> {
    await this.handle.truncate(size);
    this.size = size;
  }
}
