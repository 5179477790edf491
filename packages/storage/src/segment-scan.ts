// Walks the batch headers of a .log file between two positions, reading the file in chunks and
// looking only at the 61-byte headers (no CRC, no records), so finding an offset or a timestamp
// costs a few positional reads however small the batches are.

import type { FileHandle } from "node:fs/promises";
import { BATCH_HEADER_SIZE, BatchHeader } from "@nagare/protocol/records";

const chunkBytes = 16 * 1024;

export interface BatchLocation {
  readonly position: number;
  readonly size: number;
  readonly baseOffset: bigint;
  readonly lastOffset: bigint;
  readonly maxTimestamp: bigint;
}

/**
 * Calls `visit` for each batch header from `start` while it returns true and the batch lies
 * entirely before `end`. Stops silently at a header that does not fit (a torn tail is recovery's
 * business, not a reader's).
 */
export async function scanBatchHeaders(
  handle: FileHandle,
  start: number,
  end: number,
  visit: (batch: BatchLocation) => boolean,
): Promise<void> {
  let chunk = Buffer.alloc(0);
  let chunkStart = start;
  let position = start;
  while (position + BATCH_HEADER_SIZE <= end) {
    if (position + BATCH_HEADER_SIZE > chunkStart + chunk.length) {
      const length = Math.min(chunkBytes, end - position);
      chunk = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(chunk, 0, length, position);
      chunk = chunk.subarray(0, bytesRead);
      chunkStart = position;
      if (bytesRead < BATCH_HEADER_SIZE) return;
    }
    const header = new BatchHeader(chunk, position - chunkStart);
    const size = header.size;
    if (size < BATCH_HEADER_SIZE || position + size > end) return;
    const keepGoing = visit({
      position,
      size,
      baseOffset: header.baseOffset,
      lastOffset: header.lastOffset,
      maxTimestamp: header.maxTimestamp,
    });
    if (!keepGoing) return;
    position += size;
  }
}

/** The first batch at or after `start` whose last offset is ≥ `offset`. */
export async function findBatch(
  handle: FileHandle,
  start: number,
  end: number,
  offset: bigint,
): Promise<BatchLocation | undefined> {
  let found: BatchLocation | undefined;
  await scanBatchHeaders(handle, start, end, (batch) => {
    if (batch.lastOffset >= offset) {
      found = batch;
      return false;
    }
    return true;
  });
  return found;
}
