// Recovery of one segment after an unclean stop: read the .log from the start, accept batches while
// each is whole, magic 2, passes its CRC-32C and continues the offsets; truncate everything after
// the last valid batch; rebuild both indexes. Reports what was cut and why.

import { BatchHeader, CodecError, probeBatch } from "@nagare/protocol/records";
import type { LogSegment } from "./segment.ts";

const chunkBytes = 1024 * 1024;
const int32Max = 2147483647n;

export interface SegmentRecovery {
  readonly baseOffset: bigint;
  readonly validBytes: number;
  readonly truncatedBytes: number;
  readonly batches: number;
  /** Why the tail was cut, when it was. */
  readonly reason: string | undefined;
}

export async function recoverSegment(segment: LogSegment, maxBatchBytes: number): Promise<SegmentRecovery> {
  const { size: fileSize } = await segment.file.stat();
  let position = 0;
  let batches = 0;
  let expectedOffset: bigint | undefined;
  let reason: string | undefined;
  scan: while (position < fileSize) {
    const chunk = await segment.readAt(position, Math.min(chunkBytes, fileSize - position));
    let at = 0;
    for (;;) {
      let probe: ReturnType<typeof probeBatch>;
      try {
        probe = probeBatch(chunk, at, { maxBatchSize: maxBatchBytes });
      } catch (error) {
        reason = error instanceof CodecError ? error.message : String(error);
        position += at;
        break scan;
      }
      if (probe === null) {
        position += at;
        continue scan;
      }
      let batch = chunk;
      let batchAt = at;
      if (probe.kind === "truncated") {
        if (at > 0) {
          position += at; // re-read from this batch's first byte
          continue scan;
        }
        if (probe.size === null || position + probe.size > fileSize) {
          reason = `torn batch at position ${position}: the file ends inside it`;
          break scan;
        }
        batch = await segment.readAt(position, probe.size); // larger than a chunk
        batchAt = 0;
      }
      const problem = checkBatch(batch, batchAt, expectedOffset, segment.baseOffset);
      if (typeof problem === "string") {
        reason = problem;
        position += at;
        break scan;
      }
      expectedOffset = problem;
      batches++;
      if (probe.kind === "truncated") {
        position += probe.size ?? 0;
        continue scan;
      }
      at += probe.size;
    }
  }
  const truncatedBytes = fileSize - position;
  await segment.truncateBytes(position);
  await segment.rebuildIndexes();
  return {
    baseOffset: segment.baseOffset,
    validBytes: position,
    truncatedBytes,
    batches,
    reason: truncatedBytes > 0 ? reason : undefined,
  };
}

/** The next expected offset when the batch is valid, otherwise what is wrong with it. */
function checkBatch(
  buf: Buffer,
  at: number,
  expectedOffset: bigint | undefined,
  segmentBase: bigint,
): bigint | string {
  const header = new BatchHeader(buf, at);
  if (!header.isCrcValid()) return `CRC-32C mismatch in the batch at offset ${header.baseOffset}`;
  // baseOffset sits outside the CRC: check it against what the segment can hold.
  if (header.baseOffset < segmentBase || header.lastOffset - segmentBase > int32Max)
    return `batch offset ${header.baseOffset} does not belong in the segment starting at ${segmentBase}`;
  if (expectedOffset !== undefined && header.baseOffset < expectedOffset)
    return `batch at offset ${header.baseOffset} goes backwards (expected ≥ ${expectedOffset})`;
  return header.lastOffset + 1n;
}
