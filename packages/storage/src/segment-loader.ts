// Loads a partition directory's segments at open: completes an interrupted compaction swap,
// removes leftover .deleted/.cleaned files, loads flushed segments as they are, and recovers (scan,
// validate, truncate a torn tail, rebuild indexes) every segment at or after the recovery point
// when the last stop was unclean. Segments after a truncated one are deleted: they cannot follow
// a hole in the offsets.

import { mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { PartitionLogOptions, RecoveryReport } from "./partition-log.ts";
import { LogSegment } from "./segment.ts";
import { recoverSegment } from "./segment-recovery.ts";
import { completeInterruptedSwaps } from "./segment-swap.ts";

const logFilePattern = /^\d{20}\.log$/;

export async function loadSegments(
  options: PartitionLogOptions,
): Promise<{ segments: LogSegment[]; report: RecoveryReport }> {
  const { dir, config } = options;
  await mkdir(dir, { recursive: true });
  // A compaction swap that passed its commit point before a crash is completed first.
  const entries = await completeInterruptedSwaps(dir, await readdir(dir));
  for (const name of entries) {
    if (name.endsWith(".deleted") || name.endsWith(".cleaned")) await rm(join(dir, name), { force: true });
  }
  const baseOffsets = entries
    .filter((name) => logFilePattern.test(name))
    .map((name) => BigInt(name.slice(0, 20)))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const segmentOptions = {
    indexIntervalBytes: config.indexIntervalBytes,
    segmentIndexBytes: config.segmentIndexBytes,
  };
  const segments: LogSegment[] = [];
  const report: RecoveryReport = { dir, segments: [], deletedSegments: [], truncatedBytes: 0 };
  const recoveryPoint = options.recoveryPoint ?? 0n;
  let corrupt = false;
  // Files opened so far are closed when a later one fails (a partition left offline holds no fds).
  const opened: LogSegment[] = [];
  try {
    for (let i = 0; i < baseOffsets.length; i++) {
      const baseOffset = baseOffsets[i] as bigint;
      const segment = await LogSegment.open(dir, baseOffset, segmentOptions);
      opened.push(segment);
      if (corrupt) {
        await segment.delete();
        report.deletedSegments.push(baseOffset);
        continue;
      }
      const nextBase = baseOffsets[i + 1];
      const needsRecovery = options.recover === true && (nextBase === undefined || nextBase > recoveryPoint);
      if (needsRecovery) {
        const result = await recoverSegment(segment, Math.max(config.maxMessageBytes, 1) + 1024 * 1024);
        await segment.flush(true);
        report.segments.push(result);
        (report as { truncatedBytes: number }).truncatedBytes += result.truncatedBytes;
        if (result.truncatedBytes > 0 && nextBase !== undefined) corrupt = true; // later segments can't follow a hole
      } else {
        await segment.load();
      }
      segments.push(segment);
    }
  } catch (error) {
    for (const segment of opened) await segment.close().catch(() => undefined);
    throw error;
  }
  return { segments, report };
}
