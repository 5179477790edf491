// Which part of a log compaction may touch now (Kafka's LogCleanerManager.cleanableOffsets and
// LogToClean). From the log's first segment up to, not including, the first uncleanable segment:
// the active segment, the segment holding `upperBound` (the caller's last stable offset / high
// watermark, when given), or the first dirty segment whose largest timestamp is newer than
// now - min.compaction.lag.ms — whichever comes first. Bytes split into clean (segments wholly
// below the first dirty offset) and dirty (the rest of the range); dirty / (clean + dirty) is the
// ratio min.cleanable.dirty.ratio is compared with.

import type { PartitionLog } from "../partition-log.ts";
import type { LogSegment } from "../segment.ts";
import { largestTimestampSync } from "../segment-age.ts";

export interface CleanableRange {
  /** Cleanable closed segments, from the log's first. */
  readonly segments: readonly LogSegment[];
  /** Exclusive end: the first uncleanable segment's base offset. */
  readonly endOffset: bigint;
  /** The first dirty offset, reset to the log start when outside [log start, log end]. */
  readonly firstDirtyOffset: bigint;
  readonly cleanBytes: number;
  readonly dirtyBytes: number;
}

export function cleanableRange(
  log: PartitionLog,
  firstDirtyOffset: bigint,
  nowMs: number,
  upperBound: bigint | undefined,
): CleanableRange {
  const all = log.segments;
  const firstDirty =
    firstDirtyOffset < log.logStartOffset || firstDirtyOffset > log.logEndOffset
      ? log.logStartOffset
      : firstDirtyOffset;
  const lagMs = log.config.minCompactionLagMs;
  const segments: LogSegment[] = [];
  let cleanBytes = 0;
  let dirtyBytes = 0;
  for (let i = 0; i < all.length - 1; i++) {
    const segment = all[i] as LogSegment;
    const end = (all[i + 1] as LogSegment).baseOffset;
    if (upperBound !== undefined && end > upperBound) break;
    const dirty = end > firstDirty;
    if (dirty && lagMs > 0 && largestTimestampSync(segment) > nowMs - lagMs) break;
    segments.push(segment);
    if (dirty) dirtyBytes += segment.size;
    else cleanBytes += segment.size;
  }
  const next = all[segments.length] as LogSegment;
  return { segments, endOffset: next.baseOffset, firstDirtyOffset: firstDirty, cleanBytes, dirtyBytes };
}

/**
 * True when max.compaction.lag.ms forces a clean: the earliest first-batch timestamp of a dirty
 * closed segment is older than now - max.compaction.lag.ms (Kafka's maxCompactionDelay > 0).
 */
export function compactionLagExceeded(log: PartitionLog, firstDirtyOffset: bigint, nowMs: number): boolean {
  const maxLagMs = log.config.maxCompactionLagMs;
  if (!Number.isFinite(maxLagMs)) return false;
  const all = log.segments;
  for (let i = 0; i < all.length - 1; i++) {
    const segment = all[i] as LogSegment;
    if ((all[i + 1] as LogSegment).baseOffset <= firstDirtyOffset) continue;
    const first = segment.firstBatchTimestamp;
    if (first !== undefined && first > 0n && Number(first) < nowMs - maxLagMs) return true;
  }
  return false;
}
