// Writes one `.cleaned` segment through LogSegment's own append path, so its offset and time
// indexes are built exactly as for appended data (an entry every index.interval.bytes). Batches are
// buffered and written in large appends; `finish` fsyncs the .log and both indexes before the
// segment may be swapped in.

import { rm, utimes } from "node:fs/promises";
import { join } from "node:path";
import { BatchHeader } from "@nagare/protocol/records";
import { type AppendedBatch, LogSegment, type SegmentOptions, segmentFileName } from "../segment.ts";
import { cleanedSuffix } from "../segment-swap.ts";

const writeChunkBytes = 1024 * 1024;

export class CleanedSegmentWriter {
  readonly baseOffset: bigint;
  bytesWritten = 0;
  batchesWritten = 0;
  private readonly segment: LogSegment;
  private parts: Buffer[] = [];
  private batches: AppendedBatch[] = [];
  private pendingBytes = 0;

  private constructor(segment: LogSegment) {
    this.segment = segment;
    this.baseOffset = segment.baseOffset;
  }

  static async create(
    dir: string,
    baseOffset: bigint,
    options: SegmentOptions,
  ): Promise<CleanedSegmentWriter> {
    // A leftover of an earlier failed clean must not be appended to.
    await removeCleanedFiles(dir, baseOffset);
    return new CleanedSegmentWriter(await LogSegment.open(dir, baseOffset, options, cleanedSuffix));
  }

  async add(batch: Buffer): Promise<void> {
    const header = new BatchHeader(batch, 0);
    this.batches.push({
      position: this.pendingBytes,
      size: batch.length,
      baseOffset: header.baseOffset,
      lastOffset: header.lastOffset,
      maxTimestamp: header.maxTimestamp,
    });
    this.parts.push(batch);
    this.pendingBytes += batch.length;
    if (this.pendingBytes >= writeChunkBytes) await this.writePending();
  }

  /** Writes what is buffered, fsyncs, closes, and dates the file like the segments it replaces. */
  async finish(modified: Date): Promise<void> {
    await this.writePending();
    await this.segment.flush(true);
    await this.segment.close();
    await utimes(this.segment.logPath, modified, modified);
  }

  /** Closes and removes the files (the clean failed). */
  async abandon(): Promise<void> {
    await this.segment.close().catch(() => undefined);
    await removeCleanedFiles(this.segment.dir, this.baseOffset);
  }

  private async writePending(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const buffer =
      this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.pendingBytes);
    await this.segment.append(buffer, this.batches);
    this.bytesWritten += this.pendingBytes;
    this.batchesWritten += this.batches.length;
    this.parts = [];
    this.batches = [];
    this.pendingBytes = 0;
  }
}

export async function removeCleanedFiles(dir: string, baseOffset: bigint): Promise<void> {
  for (const name of [".log", ".index", ".timeindex"])
    await rm(join(dir, segmentFileName(baseOffset, name) + cleanedSuffix), { force: true });
}
