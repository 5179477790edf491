// Retention (Kafka's UnifiedLog.deleteOldSegments): deletes whole closed segments from the start
// of the log, advancing the log start offset, for three reasons checked in Kafka's order:
//
// 1. log start offset breach (always, whatever the cleanup.policy): a segment whose successor
//    starts at or below the log start offset (DeleteRecords moved it) holds nothing readable;
// 2. retention.bytes (cleanup.policy includes delete; -1 = unlimited): with `excess` = log size -
//    retention.bytes, the oldest segments go while excess - segment size ≥ 0, so the log never
//    drops below retention.bytes;
// 3. retention.ms (cleanup.policy includes delete; -1 = forever): a segment goes when now - its
//    largest timestamp > retention.ms (segment-age.ts for segments without timestamps).
//
// Deletion stops at the first segment that is kept. The active segment is never deleted (Kafka
// rolls a breached active segment and deletes it; here it waits for segment.ms/segment.bytes to
// roll it). With `highWatermark`, a segment is deleted only when it lies wholly below it.

import type { PartitionLog } from "./partition-log.ts";
import type { LogSegment } from "./segment.ts";
import { largestTimestamp } from "./segment-age.ts";

export interface RetentionOptions {
  /** Only segments wholly below this offset may go (Kafka keeps the log start ≤ high watermark). */
  readonly highWatermark?: bigint;
}

export interface RetentionResult {
  /** Base offsets of every deleted segment, oldest first. */
  readonly deletedSegments: bigint[];
  /** Why segments went: "size" or "time" when those rules deleted any, else "none". */
  readonly reason: "time" | "size" | "none";
  readonly logStartBreach: bigint[];
  readonly sizeBreach: bigint[];
  readonly timeBreach: bigint[];
  readonly logStartOffset: bigint;
}

export async function applyRetention(
  log: PartitionLog,
  nowMs: number,
  options: RetentionOptions = {},
): Promise<RetentionResult> {
  const { highWatermark } = options;
  const below = (next: LogSegment | undefined): next is LogSegment =>
    next !== undefined && (highWatermark === undefined || next.baseOffset <= highWatermark);

  const logStartBreach = await log.deleteSegments(
    (_segment, next) => below(next) && next.baseOffset <= log.logStartOffset,
  );
  let sizeBreach: bigint[] = [];
  let timeBreach: bigint[] = [];
  const config = log.config;
  if (config.cleanupPolicyDelete && config.retentionBytes >= 0) {
    let excess: number | undefined;
    sizeBreach = await log.deleteSegments((segment, next) => {
      if (!below(next)) return false;
      excess ??= log.size - config.retentionBytes;
      if (excess - segment.size < 0) return false;
      excess -= segment.size;
      return true;
    });
  }
  if (config.cleanupPolicyDelete && config.retentionMs >= 0) {
    // Ages are read before entering the partition's queue (a stat may be needed).
    const ages = new Map<LogSegment, number>();
    for (const segment of log.segments.slice(0, -1)) ages.set(segment, await largestTimestamp(segment));
    timeBreach = await log.deleteSegments(
      (segment, next) =>
        below(next) && nowMs - (ages.get(segment) ?? Number.POSITIVE_INFINITY) > config.retentionMs,
    );
  }
  return {
    deletedSegments: [...logStartBreach, ...sizeBreach, ...timeBreach],
    reason: sizeBreach.length > 0 ? "size" : timeBreach.length > 0 ? "time" : "none",
    logStartBreach,
    sizeBreach,
    timeBreach,
    logStartOffset: log.logStartOffset,
  };
}
