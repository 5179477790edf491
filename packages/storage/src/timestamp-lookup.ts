// ListOffsets by timestamp: the first offset whose record timestamp is ≥ the target. The segment is
// the first whose largest timestamp reaches the target; the time index gives a starting offset; batch
// headers are scanned to the first batch whose max timestamp reaches it; only such batches are
// decoded (usually one) to find the record (timestamps inside a batch need not be ordered).

import { decodeBatch, TimestampType } from "@nagare/protocol/records";
import type { LogSegment } from "./segment.ts";
import type { BatchLocation } from "./segment-scan.ts";

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
    let start = from > logStartOffset ? from : logStartOffset;
    // A batch may reach the timestamp only with records below the log start offset (it straddles
    // it), or carry a maxTimestamp none of its records has (the header is the producer's); then the
    // search goes on after that batch, as Kafka's does. `start` grows, so the loop ends.
    for (;;) {
      const target = await firstBatchReaching(segment, start, timestamp);
      if (!target) break;
      const found = await firstRecordReaching(segment, target, timestamp, logStartOffset);
      if (found) return found;
      start = target.lastOffset + 1n;
    }
  }
  return undefined;
}

async function firstBatchReaching(
  segment: LogSegment,
  start: bigint,
  timestamp: bigint,
): Promise<BatchLocation | undefined> {
  let target: BatchLocation | undefined;
  await segment.scanFrom(start, (batch) => {
    if (batch.lastOffset >= start && batch.maxTimestamp >= timestamp) {
      target = batch;
      return false;
    }
    return true;
  });
  return target;
}

async function firstRecordReaching(
  segment: LogSegment,
  target: BatchLocation,
  timestamp: bigint,
  logStartOffset: bigint,
): Promise<TimestampLookup | undefined> {
  const batch = decodeBatch(await segment.readAt(target.position, target.size), { verifyCrc: false });
  const logAppend = batch.timestampType === TimestampType.LOG_APPEND_TIME;
  for (const record of batch.records) {
    const offset = batch.baseOffset + BigInt(record.offsetDelta);
    const recordTimestamp = logAppend ? batch.maxTimestamp : batch.baseTimestamp + record.timestampDelta;
    if (offset >= logStartOffset && recordTimestamp >= timestamp)
      return { offset, timestamp: recordTimestamp };
  }
  return undefined;
}
