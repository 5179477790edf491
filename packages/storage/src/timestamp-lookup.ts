// ListOffsets by timestamp: the first offset whose record timestamp is ≥ the target. The segment is
// the first whose largest timestamp reaches the target; the time index gives a starting offset; batch
// headers are scanned to the first batch whose max timestamp reaches it; only that one batch is
// decoded to find the record (timestamps inside a batch need not be ordered).

import { decodeBatch, TimestampType } from "@nagare/protocol/records";
import type { LogSegment } from "./segment.ts";

export interface TimestampLookup {
  readonly offset: bigint;
  readonly timestamp: bigint;
}

export async function findOffsetForTimestamp(
  segments: readonly LogSegment[],
  timestamp: bigint,
  logStartOffset: bigint,
): Promise<TimestampLookup | undefined> {
  for (const segment of segments) {
    if (segment.size === 0 || segment.maxTimestamp < timestamp) continue;
    const from = segment.timeIndex.lookup(timestamp);
    const start = from > logStartOffset ? from : logStartOffset;
    let target: { position: number; size: number } | undefined;
    await segment.scanFrom(start, (batch) => {
      if (batch.lastOffset >= start && batch.maxTimestamp >= timestamp) {
        target = batch;
        return false;
      }
      return true;
    });
    if (!target) continue;
    const batch = decodeBatch(await segment.readAt(target.position, target.size), { verifyCrc: false });
    const logAppend = batch.timestampType === TimestampType.LOG_APPEND_TIME;
    for (const record of batch.records) {
      const offset = batch.baseOffset + BigInt(record.offsetDelta);
      const recordTimestamp = logAppend ? batch.maxTimestamp : batch.baseTimestamp + record.timestampDelta;
      if (offset >= logStartOffset && recordTimestamp >= timestamp)
        return { offset, timestamp: recordTimestamp };
    }
  }
  return undefined;
}
