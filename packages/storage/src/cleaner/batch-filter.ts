// What compaction keeps of one batch (Kafka's LogCleaner.cleanInto + MemoryRecords.filterTo):
//
// - batches at or after the offset map's end, and control batches (transaction markers), are kept
//   as they are — markers are never removed yet (removing them safely needs issue 6's txn index);
// - a batch of an aborted transaction loses all its records;
// - otherwise a record is kept iff it has a key, no later offset for its key is in the offset map,
//   and it is not a tombstone (null value) whose delete horizon has passed;
// - KIP-534 delete horizon: the first clean that keeps a tombstone rewrites its batch with the
//   delete-horizon attribute and baseTimestamp = now + delete.retention.ms; a later clean at or
//   after that time drops the tombstone. Record timestamps stay the same (their deltas are
//   rebased);
// - a batch keeping every record (and needing no horizon) is copied byte for byte; a batch keeping
//   some is re-encoded with the same base offset, last offset delta, codec, producer id, epoch and
//   base sequence, leader epoch and attributes;
// - a batch keeping nothing is dropped, unless it must stay as an empty batch (header only, no
//   records, same offsets and producer fields): the last batch of a cleaned segment (so the segment
//   still ends where the segments it replaces ended), and a producer's last batch (its epoch and
//   sequence survive a restart) while younger than producer.id.expiration.ms.

import {
  BATCH_HEADER_SIZE,
  type BatchHeader,
  CompressionType,
  decodeBatch,
  encodeBatch,
  isXerialSnappy,
  type KafkaRecord,
  type RecordBatch,
  TimestampType,
} from "@nagare/protocol/records";
import type { OffsetMap } from "./offset-map.ts";
import type { TransactionScan } from "./transaction-scan.ts";

export interface FilterContext {
  readonly map: OffsetMap;
  /** Records at or after this offset are outside the offset map and kept. */
  readonly mapEnd: bigint;
  readonly nowMs: number;
  readonly deleteRetentionMs: number;
  readonly producerIdExpirationMs: number;
  readonly transactions: TransactionScan;
  readonly maxDecompressedBytes: number;
}

export interface FilteredBatch {
  /** What to write: the original bytes, a rebuilt batch or an empty one; undefined drops it. */
  readonly bytes: Buffer | undefined;
  readonly recordsRead: number;
  readonly recordsKept: number;
  /** The written batch's delete horizon when it still holds tombstones. */
  readonly tombstoneHorizonMs: bigint | undefined;
}

/** Filters one batch; `lastOfSegment` marks the last batch of the segment being written. */
export function filterBatch(
  bytes: Buffer,
  header: BatchHeader,
  lastOfSegment: boolean,
  context: FilterContext,
): FilteredBatch {
  if (header.lastOffset >= context.mapEnd || header.isControl)
    return { bytes, recordsRead: 0, recordsKept: 0, tombstoneHorizonMs: undefined };
  const batch = decodeBatch(bytes, { maxDecompressedBytes: context.maxDecompressedBytes });
  const aborted = batch.isTransactional && context.transactions.isAborted(batch.producerId, batch.baseOffset);
  const horizon = batch.hasDeleteHorizonMs ? batch.baseTimestamp : undefined;
  const tombstonesExpired = horizon !== undefined && BigInt(context.nowMs) >= horizon;
  const kept = aborted
    ? []
    : batch.records.filter((record) => keepRecord(batch, record, tombstonesExpired, context));
  const hasTombstone = kept.some((record) => record.value === null);
  const newHorizon =
    hasTombstone && horizon === undefined ? BigInt(context.nowMs + context.deleteRetentionMs) : undefined;
  const result = (out: Buffer | undefined): FilteredBatch => ({
    bytes: out,
    recordsRead: batch.records.length,
    recordsKept: kept.length,
    tombstoneHorizonMs: hasTombstone ? (newHorizon ?? horizon) : undefined,
  });
  if (kept.length === batch.records.length && newHorizon === undefined) return result(bytes);
  if (kept.length > 0) return result(rebuild(batch, bytes, kept, newHorizon));
  return result(lastOfSegment || isProducerStateBatch(batch, context) ? emptyBatch(batch) : undefined);
}

function keepRecord(
  batch: RecordBatch,
  record: KafkaRecord,
  tombstonesExpired: boolean,
  context: FilterContext,
): boolean {
  if (record.key === null) return false; // a compacted topic keeps only keyed records (as Kafka)
  const offset = batch.baseOffset + BigInt(record.offsetDelta);
  const latest = context.map.get(record.key);
  if (latest !== undefined && offset < latest) return false;
  return record.value !== null || !tombstonesExpired;
}

function isProducerStateBatch(batch: RecordBatch, context: FilterContext): boolean {
  if (
    batch.producerId < 0n ||
    !context.transactions.isLastBatchOfProducer(batch.producerId, batch.baseOffset)
  )
    return false;
  // A batch without a timestamp cannot be aged: keep it.
  return (
    batch.maxTimestamp < 0n || Number(batch.maxTimestamp) >= context.nowMs - context.producerIdExpirationMs
  );
}

/** The batch with only `records`, its offsets and producer fields unchanged. */
function rebuild(
  batch: RecordBatch,
  original: Buffer,
  records: KafkaRecord[],
  newHorizon: bigint | undefined,
): Buffer {
  const logAppendTime = batch.timestampType === TimestampType.LOG_APPEND_TIME;
  const baseTimestamp = newHorizon ?? batch.baseTimestamp;
  const shift = batch.baseTimestamp - baseTimestamp;
  let maxTimestamp = batch.maxTimestamp;
  if (!logAppendTime) {
    maxTimestamp = batch.baseTimestamp + (records[0] as KafkaRecord).timestampDelta;
    for (const record of records) {
      const timestamp = batch.baseTimestamp + record.timestampDelta;
      if (timestamp > maxTimestamp) maxTimestamp = timestamp;
    }
  }
  const snappyFormat = isXerialSnappy(original.subarray(BATCH_HEADER_SIZE)) ? "xerial" : "raw";
  return encodeBatch({
    baseOffset: batch.baseOffset,
    partitionLeaderEpoch: batch.partitionLeaderEpoch,
    compression: batch.compression,
    ...(batch.compression === CompressionType.SNAPPY ? { compressOptions: { snappyFormat } } : {}),
    timestampType: batch.timestampType,
    isTransactional: batch.isTransactional,
    isControl: false,
    hasDeleteHorizonMs: batch.hasDeleteHorizonMs || newHorizon !== undefined,
    producerId: batch.producerId,
    producerEpoch: batch.producerEpoch,
    baseSequence: batch.baseSequence,
    baseTimestamp,
    maxTimestamp,
    lastOffsetDelta: batch.lastOffsetDelta,
    records:
      shift === 0n ? records : records.map((r) => ({ ...r, timestampDelta: r.timestampDelta + shift })),
  });
}

/** Kafka's "retain empty": the header alone, uncompressed, keeping offsets and producer fields. */
function emptyBatch(batch: RecordBatch): Buffer {
  return encodeBatch({
    baseOffset: batch.baseOffset,
    partitionLeaderEpoch: batch.partitionLeaderEpoch,
    timestampType: batch.timestampType,
    isTransactional: batch.isTransactional,
    producerId: batch.producerId,
    producerEpoch: batch.producerEpoch,
    baseSequence: batch.baseSequence,
    baseTimestamp: batch.maxTimestamp,
    maxTimestamp: batch.maxTimestamp,
    lastOffsetDelta: batch.lastOffsetDelta,
    records: [],
  });
}
