// Groups consecutive segments so that each group is cleaned into one segment (Kafka's
// groupSegmentsBySize): a group's .log bytes stay within segment.bytes and its index bytes within
// segment.index.bytes, so cleaning also merges segments that shrank in earlier cleans, and its
// offsets stay within an int32 of its base (the offset index stores relative offsets).

import type { SegmentSource } from "./clean-protocol.ts";

const int32Max = 2147483647n;

export interface GroupLimits {
  readonly segmentBytes: number;
  readonly segmentIndexBytes: number;
}

export function groupSegmentsBySize(
  segments: readonly SegmentSource[],
  limits: GroupLimits,
): SegmentSource[][] {
  const groups: SegmentSource[][] = [];
  let i = 0;
  while (i < segments.length) {
    const first = segments[i] as SegmentSource;
    const group = [first];
    let logBytes = first.size;
    let offsetIndexBytes = first.offsetIndexBytes;
    let timeIndexBytes = first.timeIndexBytes;
    for (i++; i < segments.length; i++) {
      const next = segments[i] as SegmentSource;
      const fits =
        logBytes + next.size <= limits.segmentBytes &&
        offsetIndexBytes + next.offsetIndexBytes <= limits.segmentIndexBytes &&
        timeIndexBytes + next.timeIndexBytes <= limits.segmentIndexBytes &&
        (next.size === 0 || next.endOffset - 1n - first.baseOffset <= int32Max);
      if (!fits) break;
      group.push(next);
      logBytes += next.size;
      offsetIndexBytes += next.offsetIndexBytes;
      timeIndexBytes += next.timeIndexBytes;
    }
    groups.push(group);
  }
  return groups;
}
