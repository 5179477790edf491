// Validates the record batches of one append and assigns their offsets in place. Everything is
// checked on the 61-byte headers (magic 2, sizes, CRC-32C, record count vs last offset delta,
// timestamps against message.timestamp.before/after.max.ms, max.message.bytes); records are decoded
// only where a feature needs them: keys on compacted topics. LogAppendTime rewrites maxTimestamp
// and the timestamp-type bit, which are inside the CRC, so that CRC is recomputed.
//
// Deviation from Kafka, on purpose: CreateTime bounds are checked on each batch's base and max
// timestamps, not on every record (the hot path stays per batch; producers write records in
// timestamp order, so the extremes are these two).

import { BatchHeader, CodecError, decodeBatch, splitBatches } from "@nagare/protocol/records";
import type { LogConfig } from "./log-config.ts";
import type { AppendOrigin } from "./producer-append.ts";
import type { AppendedBatch } from "./segment.ts";
import { StorageError } from "./storage-error.ts";

export interface AppendOptions {
  /** Stamped into every batch's partitionLeaderEpoch. */
  readonly leaderEpoch?: number;
  /**
   * Who writes (Kafka's AppendOrigin), "client" by default. It decides the producer checks
   * (producer-append.ts), and only a coordinator (or replication) may write control batches —
   * transaction markers never come from a producer.
   */
  readonly origin?: AppendOrigin;
}

export interface ValidatedAppend {
  readonly batches: AppendedBatch[];
  readonly firstOffset: bigint;
  readonly lastOffset: bigint;
  readonly maxTimestamp: bigint;
  readonly offsetOfMaxTimestamp: bigint;
  /** The broker time written into LogAppendTime batches, or -1. */
  readonly logAppendTime: bigint;
  readonly recordCount: number;
}

/**
 * Checks `records` and patches base offsets from `nextOffset` on. Mutates `records`.
 *
 * With `deferCrc` the CRC-32C checks are left to the caller (`verifyCrcs`), which runs them while
 * the bytes are being written, so the checksum and the write overlap. LogAppendTime batches are
 * checked here regardless: their CRC is rewritten. When another check fails, the CRCs it would
 * have come after are checked first, so the error is the one the in-order checks give (Kafka's).
 */
export function validateAndAssignOffsets(
  records: Buffer,
  nextOffset: bigint,
  config: LogConfig,
  nowMs: number,
  options: AppendOptions = {},
  deferCrc = false,
): ValidatedAppend {
  let split: ReturnType<typeof splitBatches>;
  try {
    split = splitBatches(records);
  } catch (error) {
    throw asStorageError(error);
  }
  if (split.truncatedTail) throw new StorageError("CORRUPT_MESSAGE", "the record set ends inside a batch");
  const now = BigInt(nowMs);
  const logAppendTime = config.messageTimestampType === "LogAppendTime" ? now : -1n;
  const batches: AppendedBatch[] = [];
  let offset = nextOffset;
  let maxTimestamp = -1n;
  let offsetOfMaxTimestamp = nextOffset;
  let recordCount = 0;
  const checkCrcNow = !deferCrc || logAppendTime >= 0n;
  try {
    for (const span of split.batches) {
      const header = new BatchHeader(records, span.position);
      if (span.size > config.maxMessageBytes)
        throw new StorageError(
          "MESSAGE_TOO_LARGE",
          `a record batch of ${span.size} bytes exceeds max.message.bytes=${config.maxMessageBytes}`,
        );
      if (checkCrcNow && !header.isCrcValid())
        throw new StorageError("CORRUPT_MESSAGE", `record batch ${batches.length} fails its CRC-32C`);
      const count = header.recordCount;
      if (count <= 0 || header.lastOffsetDelta !== count - 1)
        throw new StorageError(
          "INVALID_RECORD",
          `record batch ${batches.length} has ${count} records but last offset delta ${header.lastOffsetDelta}`,
        );
      if (header.isControl && (options.origin ?? "client") === "client")
        throw new StorageError("INVALID_RECORD", "clients may not write control batches");
      if (config.cleanupPolicyCompact && !header.isControl) requireKeys(records, span.position, span.size);
      if (logAppendTime >= 0n) header.setLogAppendTime(logAppendTime);
      else checkCreateTime(header, now, config);
      header.baseOffset = offset;
      if (options.leaderEpoch !== undefined) header.partitionLeaderEpoch = options.leaderEpoch;
      const lastOffset = offset + BigInt(header.lastOffsetDelta);
      const batchMax = header.maxTimestamp;
      if (batchMax > maxTimestamp) {
        maxTimestamp = batchMax;
        offsetOfMaxTimestamp = lastOffset;
      }
      batches.push({
        position: span.position,
        size: span.size,
        baseOffset: offset,
        lastOffset,
        maxTimestamp: batchMax,
      });
      recordCount += count;
      offset = lastOffset + 1n;
    }
  } catch (error) {
    if (!checkCrcNow) {
      // Report what the in-order checks would have: each batch's size, then its CRC, then the rest.
      const sizeFailed = error instanceof StorageError && error.code === "MESSAGE_TOO_LARGE";
      verifyCrcs(records, split.batches.slice(0, batches.length + (sizeFailed ? 0 : 1)));
    }
    throw error;
  }
  return {
    batches,
    firstOffset: nextOffset,
    lastOffset: offset - 1n,
    maxTimestamp,
    offsetOfMaxTimestamp,
    logAppendTime,
    recordCount,
  };
}

/** Throws CORRUPT_MESSAGE for the first batch (`position`, `size` in `records`) failing its CRC-32C. */
export function verifyCrcs(
  records: Buffer,
  batches: readonly { readonly position: number; readonly size: number }[],
): void {
  for (let i = 0; i < batches.length; i++) {
    const batch = batches[i] as { position: number; size: number };
    if (!new BatchHeader(records.subarray(0, batch.position + batch.size), batch.position).isCrcValid())
      throw new StorageError("CORRUPT_MESSAGE", `record batch ${i} fails its CRC-32C`);
  }
}

function checkCreateTime(header: BatchHeader, now: bigint, config: LogConfig): void {
  const earliest = now - toBigInt(config.messageTimestampBeforeMaxMs);
  const latest = now + toBigInt(config.messageTimestampAfterMaxMs);
  for (const timestamp of [header.baseTimestamp, header.maxTimestamp]) {
    if (timestamp < 0n) continue; // -1: no timestamp (Kafka accepts it for CreateTime)
    if (timestamp < earliest || timestamp > latest)
      throw new StorageError(
        "INVALID_TIMESTAMP",
        `timestamp ${timestamp} is outside [now - message.timestamp.before.max.ms, now + message.timestamp.after.max.ms]`,
      );
  }
}

function toBigInt(ms: number): bigint {
  return Number.isFinite(ms) ? BigInt(ms) : 1n << 62n;
}

function requireKeys(records: Buffer, position: number, size: number): void {
  let batch: ReturnType<typeof decodeBatch>;
  try {
    batch = decodeBatch(records.subarray(position, position + size), { verifyCrc: false });
  } catch (error) {
    throw asStorageError(error);
  }
  if (batch.records.some((record) => record.key === null))
    throw new StorageError("INVALID_RECORD", "compacted topics require a key on every record");
}

function asStorageError(error: unknown): StorageError {
  if (error instanceof CodecError)
    return new StorageError("CORRUPT_MESSAGE", error.message, { cause: error });
  if (error instanceof StorageError) return error;
  return new StorageError("CORRUPT_MESSAGE", String(error), { cause: error });
}
