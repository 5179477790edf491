// @nagare/storage: the partition log (segments, indexes, recovery), its configuration, and the
// log manager, retention and compaction built on it.

export type { AppendOptions, ValidatedAppend } from "./append-validator.ts";
export {
  type CheckpointEntry,
  type CheckpointRead,
  readOffsetCheckpoint,
  writeOffsetCheckpoint,
} from "./checkpoint-file.ts";
export { cleanShutdownFileName } from "./clean-shutdown-marker.ts";
export type { CleanStats } from "./cleaner/clean-protocol.ts";
export {
  type CleanOptions,
  type CleanResult,
  type CleanStep,
  LogCleaner,
  type LogCleanerOptions,
  type NeedsCleaningOptions,
} from "./cleaner/log-cleaner.ts";
export { fsyncDirectory, unlinkDurably, writeFileAtomic, writeFileSynced } from "./durable-fs.ts";
export { defaultLogConfig, type LogConfig, logConfigDefs, parseLogConfig } from "./log-config.ts";
export type { PartitionRecoveryReport } from "./log-dir-loader.ts";
export { LogManager, type OfflineDir, type OfflinePartition } from "./log-manager.ts";
export { defaultIntervals, type LogManagerIntervals, type LogManagerOptions } from "./log-manager-options.ts";
export {
  type AppendResult,
  PartitionLog,
  type PartitionLogOptions,
  type ReadOptions,
  type ReadResult,
  type RecoveryReport,
} from "./partition-log.ts";
export type { AppendOrigin } from "./producer-append.ts";
export type { ProducerView } from "./producer-state.ts";
export { defaultProducerIdExpirationMs } from "./producer-state-manager.ts";
export { applyRetention, type RetentionOptions, type RetentionResult } from "./retention.ts";
export { LogSegment, segmentFileName } from "./segment.ts";
export type { SegmentRecovery } from "./segment-recovery.ts";
export type { ReplaceSegmentsOptions, SwapStep } from "./segment-swap.ts";
export { StorageError, type StorageErrorCode } from "./storage-error.ts";
export { type LogFields, type StorageLogger, stderrLogger } from "./storage-logger.ts";
export type { TimestampLookup } from "./timestamp-lookup.ts";
