// A segment's age for retention.ms and min.compaction.lag.ms is its largest record timestamp, or
// the .log file's last-modified time when no batch carries a timestamp (Kafka's
// LogSegment.largestTimestamp). A segment whose file cannot be stat'ed (deleted meanwhile) counts
// as new: nothing is deleted or compacted on a guess.

import { statSync } from "node:fs";
import { stat } from "node:fs/promises";
import type { LogSegment } from "./segment.ts";

export async function largestTimestamp(segment: LogSegment): Promise<number> {
  if (segment.maxTimestamp >= 0n) return Number(segment.maxTimestamp);
  try {
    return (await stat(segment.logPath)).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** The same, for synchronous callers (one stat, only for segments without timestamps). */
export function largestTimestampSync(segment: LogSegment): number {
  if (segment.maxTimestamp >= 0n) return Number(segment.maxTimestamp);
  try {
    return statSync(segment.logPath).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
