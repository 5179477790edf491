// What the three checkpoint files of a data directory say, built from its logs:
// recovery-point-offset-checkpoint (offsets below it are fsynced: recovery starts there),
// log-start-offset-checkpoint (DeleteRecords / retention progress) and cleaner-offset-checkpoint
// (first dirty offset of each compacted log). Partitions that could not be opened keep the values
// the checkpoints had for them, so an unreadable partition loses nothing while it is offline.

import { join } from "node:path";
import { type CheckpointEntry, writeOffsetCheckpoint } from "./checkpoint-file.ts";
import {
  type CheckpointedOffsets,
  cleanerOffsetCheckpointFile,
  logStartOffsetCheckpointFile,
  recoveryPointCheckpointFile,
} from "./log-dir-loader.ts";
import type { MaintainedLog } from "./log-maintenance.ts";

export interface UnopenedPartition {
  readonly topic: string;
  readonly partition: number;
  readonly checkpointed: CheckpointedOffsets;
}

/** Writes the three files atomically, one after the other. */
export async function writeCheckpoints(
  dataDir: string,
  logs: readonly MaintainedLog[],
  unopened: readonly UnopenedPartition[],
): Promise<void> {
  const recovery: CheckpointEntry[] = [];
  const start: CheckpointEntry[] = [];
  const cleaner: CheckpointEntry[] = [];
  for (const { topic, partition, log, firstDirtyOffset } of logs) {
    recovery.push({ topic, partition, offset: log.recoveryPoint });
    start.push({ topic, partition, offset: log.logStartOffset });
    if (log.config.cleanupPolicyCompact) cleaner.push({ topic, partition, offset: firstDirtyOffset });
  }
  for (const { topic, partition, checkpointed } of unopened) {
    const { recoveryPoint, logStartOffset, cleanerOffset } = checkpointed;
    if (recoveryPoint !== undefined) recovery.push({ topic, partition, offset: recoveryPoint });
    if (logStartOffset !== undefined) start.push({ topic, partition, offset: logStartOffset });
    if (cleanerOffset !== undefined) cleaner.push({ topic, partition, offset: cleanerOffset });
  }
  await writeOffsetCheckpoint(join(dataDir, recoveryPointCheckpointFile), recovery);
  await writeOffsetCheckpoint(join(dataDir, logStartOffsetCheckpointFile), start);
  await writeOffsetCheckpoint(join(dataDir, cleanerOffsetCheckpointFile), cleaner);
}
