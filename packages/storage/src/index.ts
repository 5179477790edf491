// @nagare/storage: the partition log (segments, indexes, recovery), its configuration, and the
// log manager, retention and compaction built on it.

export type { AppendOptions, ValidatedAppend } from "./append-validator.ts";
export { defaultLogConfig, type LogConfig, logConfigDefs, parseLogConfig } from "./log-config.ts";
export {
  type AppendResult,
  PartitionLog,
  type PartitionLogOptions,
  type ReadOptions,
  type ReadResult,
  type RecoveryReport,
} from "./partition-log.ts";
export { LogSegment, segmentFileName } from "./segment.ts";
export type { SegmentRecovery } from "./segment-recovery.ts";
export { StorageError, type StorageErrorCode } from "./storage-error.ts";
export type { TimestampLookup } from "./timestamp-lookup.ts";
