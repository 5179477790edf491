// Start-up of one data directory: notes and removes the clean-shutdown marker, reads the three
// checkpoints, finds the partition directories and opens each partition's log — recovering it
// (re-scan from the recovery point, truncate a torn or corrupt tail, rebuild indexes) when the
// last stop was unclean or a segment has lost an index file. A partition that fails to open is
// reported as offline; the others load regardless. What recovery changed is logged and returned.

import { access, mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { checkpointOffsets, readOffsetCheckpoint } from "./checkpoint-file.ts";
import { hasCleanShutdownMarker, removeCleanShutdownMarker } from "./clean-shutdown-marker.ts";
import type { LogConfig } from "./log-config.ts";
import { deleteDirSuffix, parsePartitionDirName } from "./partition-dir-name.ts";
import { PartitionLog, type RecoveryReport } from "./partition-log.ts";
import { segmentFileName } from "./segment.ts";
import { describeError, type StorageLogger } from "./storage-logger.ts";

export const recoveryPointCheckpointFile = "recovery-point-offset-checkpoint";
export const logStartOffsetCheckpointFile = "log-start-offset-checkpoint";
export const cleanerOffsetCheckpointFile = "cleaner-offset-checkpoint";

/** Kafka keeps its KRaft metadata log in a data directory; it is not a partition we manage. */
const metadataTopic = "__cluster_metadata";
const segmentLogPattern = /^(\d{20})\.log$/;

export interface PartitionRecoveryReport extends RecoveryReport {
  readonly topic: string;
  readonly partition: number;
  readonly dataDir: string;
  /** Segments whose .index or .timeindex was missing: their indexes were rebuilt from the .log. */
  readonly missingIndexes: readonly bigint[];
}

/** What the checkpoints said about a partition (kept for partitions that could not be opened). */
export interface CheckpointedOffsets {
  readonly recoveryPoint: bigint | undefined;
  readonly logStartOffset: bigint | undefined;
  readonly cleanerOffset: bigint | undefined;
}

export interface LoadedLog {
  readonly topic: string;
  readonly partition: number;
  readonly log: PartitionLog;
  /** Where the cleaner resumes: from cleaner-offset-checkpoint, else the log start offset. */
  readonly firstDirtyOffset: bigint;
}

export interface FailedLog {
  readonly topic: string;
  readonly partition: number;
  readonly error: string;
  readonly checkpointed: CheckpointedOffsets;
}

export interface LoadedDataDir {
  readonly dataDir: string;
  readonly cleanShutdown: boolean;
  readonly logs: LoadedLog[];
  readonly failed: FailedLog[];
  readonly reports: PartitionRecoveryReport[];
}

export interface LoadDataDirOptions {
  readonly dataDir: string;
  readonly configFor: (topic: string) => LogConfig;
  readonly clock: () => number;
  readonly logger: StorageLogger;
  /** Partitions opened at once (Kafka's num.recovery.threads.per.data.dir). */
  readonly concurrency: number;
  /** producer.id.expiration.ms, for each log. */
  readonly producerIdExpirationMs?: number;
}

export async function loadDataDir(options: LoadDataDirOptions): Promise<LoadedDataDir> {
  const { dataDir, logger } = options;
  const started = options.clock();
  await mkdir(dataDir, { recursive: true });
  const cleanShutdown = await hasCleanShutdownMarker(dataDir);
  if (cleanShutdown) await removeCleanShutdownMarker(dataDir);
  const [recoveryPoints, logStartOffsets, cleanerOffsets] = (await Promise.all(
    [recoveryPointCheckpointFile, logStartOffsetCheckpointFile, cleanerOffsetCheckpointFile].map(
      async (name) => {
        const read = await readOffsetCheckpoint(join(dataDir, name));
        if (read.status === "corrupt")
          logger.warn("ignoring a corrupt checkpoint file (treated as missing)", {
            dataDir,
            file: name,
            problem: read.problem,
          });
        return checkpointOffsets(read.entries);
      },
    ),
  )) as [Map<string, bigint>, Map<string, bigint>, Map<string, bigint>];

  const partitions: { name: string; topic: string; partition: number }[] = [];
  for (const entry of await readdir(dataDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    if (entry.name.endsWith(deleteDirSuffix)) {
      // A deletion interrupted by a crash: the rename happened, the removal did not finish.
      await rm(join(dataDir, entry.name), { recursive: true, force: true });
      logger.info("removed a partition directory left over from a deletion", { dataDir, dir: entry.name });
      continue;
    }
    const parsed = parsePartitionDirName(entry.name);
    if (!parsed) {
      logger.warn("skipping a directory that is not named <topic>-<partition>", { dataDir, dir: entry.name });
      continue;
    }
    if (parsed.topic === metadataTopic) continue;
    partitions.push({ name: entry.name, ...parsed });
  }

  const result: LoadedDataDir = { dataDir, cleanShutdown, logs: [], failed: [], reports: [] };
  await forEachLimited(partitions, options.concurrency, async ({ name, topic, partition }) => {
    const checkpointed: CheckpointedOffsets = {
      recoveryPoint: recoveryPoints.get(name),
      logStartOffset: logStartOffsets.get(name),
      cleanerOffset: cleanerOffsets.get(name),
    };
    const dir = join(dataDir, name);
    try {
      const missingIndexes = await segmentsMissingIndexes(dir);
      // Rebuilding a lost index goes through recovery from that segment on, even after a clean stop.
      const recover = !cleanShutdown || missingIndexes.length > 0;
      let recoveryPoint = checkpointed.recoveryPoint ?? 0n;
      const firstMissing = missingIndexes[0];
      if (firstMissing !== undefined && firstMissing < recoveryPoint) recoveryPoint = firstMissing;
      const { log, recovery } = await PartitionLog.open({
        dir,
        config: options.configFor(topic),
        clock: options.clock,
        recover,
        recoveryPoint,
        ...(options.producerIdExpirationMs !== undefined
          ? { producerIdExpirationMs: options.producerIdExpirationMs }
          : {}),
        ...(checkpointed.logStartOffset !== undefined ? { logStartOffset: checkpointed.logStartOffset } : {}),
      });
      result.logs.push({ topic, partition, log, firstDirtyOffset: validDirtyOffset(log, checkpointed) });
      if (recover) {
        const report = { ...recovery, topic, partition, dataDir, missingIndexes };
        result.reports.push(report);
        logRecovery(logger, report);
      }
    } catch (error) {
      result.failed.push({ topic, partition, error: describeError(error), checkpointed });
      logger.error("cannot open partition log: it stays offline", {
        dataDir,
        topic,
        partition,
        error: describeError(error),
      });
    }
  });
  logger.info(cleanShutdown ? "loaded logs after a clean shutdown" : "loaded and recovered logs", {
    dataDir,
    partitions: result.logs.length,
    offline: result.failed.length,
    truncatedBytes: result.reports.reduce((sum, r) => sum + r.truncatedBytes, 0),
    durationMs: options.clock() - started,
  });
  return result;
}

/** Kafka resets a checkpointed dirty offset outside [logStartOffset, logEndOffset] to the start. */
function validDirtyOffset(log: PartitionLog, checkpointed: CheckpointedOffsets): bigint {
  const offset = checkpointed.cleanerOffset;
  if (offset === undefined || offset < log.logStartOffset || offset > log.logEndOffset)
    return log.logStartOffset;
  return offset;
}

/** Base offsets (ascending) of segments whose .index or .timeindex file is missing. */
async function segmentsMissingIndexes(dir: string): Promise<bigint[]> {
  const bases = (await readdir(dir))
    .map((name) => segmentLogPattern.exec(name)?.[1])
    .filter((base): base is string => base !== undefined)
    .map((base) => BigInt(base))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const missing: bigint[] = [];
  for (const base of bases) {
    for (const suffix of [".index", ".timeindex"]) {
      const exists = await access(join(dir, segmentFileName(base, suffix))).then(
        () => true,
        () => false,
      );
      if (!exists) {
        missing.push(base);
        break;
      }
    }
  }
  return missing;
}

function logRecovery(logger: StorageLogger, report: PartitionRecoveryReport): void {
  const where = { dataDir: report.dataDir, topic: report.topic, partition: report.partition };
  for (const base of report.missingIndexes)
    logger.warn("rebuilt missing index files", { ...where, segment: base.toString() });
  for (const segment of report.segments) {
    if (segment.truncatedBytes === 0) continue;
    logger.warn("truncated a torn or corrupt segment tail", {
      ...where,
      segment: segment.baseOffset.toString(),
      validBytes: segment.validBytes,
      truncatedBytes: segment.truncatedBytes,
      reason: segment.reason,
    });
  }
  for (const base of report.deletedSegments)
    logger.warn("deleted a segment that followed a corrupt one", { ...where, segment: base.toString() });
}

async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
