// The read path: from the segment holding `offset`, the batch containing it, then whole batches up
// to maxBytes (at least the first one unless minOneBatch is false) whose last offset stays below
// the upper bound (high watermark or last stable offset). A segment is retained while it is read so
// retention or compaction cannot close it underneath.

import { BATCH_HEADER_SIZE, BatchHeader } from "@nagare/protocol/records";
import type { ReadOptions, ReadResult } from "./partition-log.ts";
import type { LogSegment } from "./segment.ts";

export async function readSegments(
  segments: readonly LogSegment[],
  offset: bigint,
  upperBound: bigint,
  { maxBytes, minOneBatch, allocate }: ReadOptions,
): Promise<ReadResult> {
  const empty: ReadResult = { records: Buffer.alloc(0), firstBatchOffset: -1n };
  for (let i = floorSegmentIndex(segments, offset); i < segments.length; i++) {
    const segment = segments[i] as LogSegment;
    if (!segment.retain()) continue;
    try {
      const limit = segment.size;
      const first = await segment.locate(offset, limit);
      if (!first) continue; // offset is past this segment's last batch (e.g. compacted away)
      if (first.lastOffset >= upperBound) return empty;
      const budget = Math.min(maxBytes, limit - first.position);
      const length = first.size > budget ? (minOneBatch === false ? 0 : first.size) : budget;
      if (length === 0) return empty;
      const bytes = await segment.readAt(first.position, length, allocate);
      return {
        records: bytes.subarray(0, wholeBatchesEnd(bytes, upperBound)),
        firstBatchOffset: first.baseOffset,
      };
    } finally {
      segment.release();
    }
  }
  return empty;
}

/** End of the last whole batch in `bytes` whose last offset is below `upperBound`. */
function wholeBatchesEnd(bytes: Buffer, upperBound: bigint): number {
  let position = 0;
  while (position + BATCH_HEADER_SIZE <= bytes.length) {
    const header = new BatchHeader(bytes, position);
    if (position + header.size > bytes.length || header.lastOffset >= upperBound) break;
    position += header.size;
  }
  return position;
}

/** Index of the last segment whose base offset is ≤ `offset` (0 when none is). */
function floorSegmentIndex(segments: readonly LogSegment[], offset: bigint): number {
  let low = 0;
  let high = segments.length - 1;
  let found = 0;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    if ((segments[mid] as LogSegment).baseOffset <= offset) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}
