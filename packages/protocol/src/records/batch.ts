// Whole RecordBatch v2 encode/decode: header fields plus the (optionally compressed) records.
// The broker's hot path does not come here — it works on bytes through BatchHeader — but clients,
// compaction, transaction markers, LogAppendTime conversion and tests do.
//
// decodeBatch takes the bytes of exactly one batch as they travel on the wire or sit in a segment
// (for instance a batch captured from librdkafka), verifies magic, lengths and CRC-32C,
// decompresses with an output bound and decodes every record. decodeBatches does the same for
// batches laid end to end.

import { CodecError } from "../codec/codec-error.ts";
import { type Cursor, sizeOfVarint } from "../codec/varint.ts";
import {
  type BatchAttributes,
  CompressionType,
  encodeAttributes,
  isCompressionType,
  TimestampType,
} from "./attributes.ts";
import { BatchHeader } from "./batch-header.ts";
import {
  ATTRIBUTES_OFFSET,
  BASE_OFFSET_OFFSET,
  BASE_SEQUENCE_OFFSET,
  BASE_TIMESTAMP_OFFSET,
  BATCH_HEADER_SIZE,
  BATCH_LENGTH_OFFSET,
  BATCH_LENGTH_PREFIX,
  CRC_OFFSET,
  CRC_START_OFFSET,
  CURRENT_MAGIC,
  LAST_OFFSET_DELTA_OFFSET,
  MAGIC_OFFSET,
  MAX_TIMESTAMP_OFFSET,
  PARTITION_LEADER_EPOCH_OFFSET,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  RECORD_COUNT_OFFSET,
} from "./batch-layout.ts";
import { type ScanOptions, scanBatches } from "./batch-scan.ts";
import { type CompressOptions, compress, decompress } from "./compression.ts";
import { crc32c } from "./crc32c.ts";
import { type KafkaRecord, MIN_RECORD_SIZE, readRecord, sizeOfRecordBody, writeRecord } from "./record.ts";

/** Producer fields of a batch written by a non-idempotent producer (KIP-98 "no producer id"). */
export const NO_PRODUCER_ID = -1n;
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;
export const NO_PARTITION_LEADER_EPOCH = -1;

/** Default bound on a batch's decompressed records section (callers should pass their own). */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

export interface RecordBatchInput {
  /** Defaults to 0n; the broker assigns the real offset on append. */
  readonly baseOffset?: bigint;
  readonly partitionLeaderEpoch?: number;
  readonly compression?: CompressionType;
  readonly compressOptions?: CompressOptions;
  readonly timestampType?: TimestampType;
  readonly isTransactional?: boolean;
  readonly isControl?: boolean;
  readonly hasDeleteHorizonMs?: boolean;
  readonly producerId?: bigint;
  readonly producerEpoch?: number;
  readonly baseSequence?: number;
  readonly baseTimestamp: bigint;
  /** Defaults to the largest record timestamp (baseTimestamp for an empty batch). */
  readonly maxTimestamp?: bigint;
  /** Defaults to the last record's offsetDelta (0 for an empty batch). */
  readonly lastOffsetDelta?: number;
  /** In offset order: offsetDelta must be non-negative and strictly increasing. */
  readonly records: readonly KafkaRecord[];
}

/** A decoded batch: every header field plus its records. */
export interface RecordBatch {
  baseOffset: bigint;
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  compression: CompressionType;
  timestampType: TimestampType;
  isTransactional: boolean;
  isControl: boolean;
  hasDeleteHorizonMs: boolean;
  lastOffsetDelta: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
  records: KafkaRecord[];
}

export interface DecodeBatchOptions {
  /** Check the CRC-32C (default true). */
  readonly verifyCrc?: boolean;
  /**
   * Bound on a compressed batch's records section once decompressed (default
   * DEFAULT_MAX_DECOMPRESSED_BYTES); an uncompressed section is already in memory and not bounded.
   */
  readonly maxDecompressedBytes?: number;
}

export interface DecodeBatchesOptions extends DecodeBatchOptions, ScanOptions {
  /** Ignore a partial batch at the end, as a Fetch response may carry (default false: throw). */
  readonly allowTruncatedTail?: boolean;
}

function checkInt(name: string, value: number, bits: 16 | 32): void {
  const limit = 2 ** (bits - 1);
  if (!Number.isInteger(value) || value < -limit || value >= limit) {
    throw new CodecError("INVALID_VALUE", `batch ${name} ${value} is not an int${bits}`);
  }
}

function checkInt64(name: string, value: bigint): void {
  if (BigInt.asIntN(64, value) !== value) {
    throw new CodecError("INVALID_VALUE", `batch ${name} ${value} is not an int64`);
  }
}

function defaultMaxTimestamp(baseTimestamp: bigint, records: readonly KafkaRecord[]): bigint {
  if (records.length === 0) return baseTimestamp;
  let max = records[0]!.timestampDelta;
  for (const record of records) if (record.timestampDelta > max) max = record.timestampDelta;
  return baseTimestamp + max;
}

function checkOffsetDeltas(records: readonly KafkaRecord[]): void {
  let previous = -1;
  for (const record of records) {
    if (record.offsetDelta <= previous) {
      throw new CodecError(
        "INVALID_VALUE",
        `record offsetDelta ${record.offsetDelta} does not follow ${previous}: deltas must increase`,
      );
    }
    previous = record.offsetDelta;
  }
}

/** Encodes a batch with correct lengths, lastOffsetDelta, maxTimestamp and CRC-32C. */
export function encodeBatch(input: RecordBatchInput): Buffer {
  const records = input.records;
  checkOffsetDeltas(records);
  const compression = input.compression ?? CompressionType.NONE;
  if (!isCompressionType(compression)) {
    throw new CodecError("UNSUPPORTED_COMPRESSION", `unknown compression codec ${String(compression)}`);
  }
  const baseOffset = input.baseOffset ?? 0n;
  const partitionLeaderEpoch = input.partitionLeaderEpoch ?? NO_PARTITION_LEADER_EPOCH;
  const producerId = input.producerId ?? NO_PRODUCER_ID;
  const producerEpoch = input.producerEpoch ?? NO_PRODUCER_EPOCH;
  const baseSequence = input.baseSequence ?? NO_SEQUENCE;
  const lastOffsetDelta = input.lastOffsetDelta ?? records.at(-1)?.offsetDelta ?? 0;
  const maxTimestamp = input.maxTimestamp ?? defaultMaxTimestamp(input.baseTimestamp, records);
  checkInt64("baseOffset", baseOffset);
  checkInt64("baseTimestamp", input.baseTimestamp);
  checkInt64("maxTimestamp", maxTimestamp);
  checkInt64("producerId", producerId);
  checkInt("partitionLeaderEpoch", partitionLeaderEpoch, 32);
  checkInt("producerEpoch", producerEpoch, 16);
  checkInt("baseSequence", baseSequence, 32);
  checkInt("lastOffsetDelta", lastOffsetDelta, 32);
  const attributes: BatchAttributes = {
    compression,
    timestampType: input.timestampType ?? TimestampType.CREATE_TIME,
    isTransactional: input.isTransactional ?? false,
    isControl: input.isControl ?? false,
    hasDeleteHorizonMs: input.hasDeleteHorizonMs ?? false,
  };

  const bodySizes = records.map(sizeOfRecordBody);
  let recordsSize = 0;
  for (const bodySize of bodySizes) recordsSize += sizeOfVarint(bodySize) + bodySize;
  const buf = Buffer.allocUnsafe(BATCH_HEADER_SIZE + recordsSize);
  writeRecords(buf, BATCH_HEADER_SIZE, records, bodySizes);
  return sealBatch(
    buf,
    {
      baseOffset,
      partitionLeaderEpoch,
      attributes,
      lastOffsetDelta,
      baseTimestamp: input.baseTimestamp,
      maxTimestamp,
      producerId,
      producerEpoch,
      baseSequence,
      recordCount: records.length,
    },
    input.compressOptions,
  );
}

/** The header fields sealBatch writes (lengths, magic and CRC follow from the bytes). */
export interface BatchSeal {
  readonly baseOffset: bigint;
  readonly partitionLeaderEpoch: number;
  readonly attributes: BatchAttributes;
  readonly lastOffsetDelta: number;
  readonly baseTimestamp: bigint;
  readonly maxTimestamp: bigint;
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly recordCount: number;
}

/**
 * Makes a whole batch of `withRecords`: room for the header (BATCH_HEADER_SIZE bytes) followed by
 * the uncompressed records section. Uncompressed, the header is written into `withRecords` itself,
 * which is returned; otherwise the section is compressed into a new buffer after a new header.
 * Writes the length, magic and CRC-32C with the given fields; values are not range-checked.
 */
export function sealBatch(withRecords: Buffer, seal: BatchSeal, compressOptions?: CompressOptions): Buffer {
  const compression = seal.attributes.compression;
  let buf = withRecords;
  if (compression !== CompressionType.NONE) {
    const compressed = compress(compression, withRecords.subarray(BATCH_HEADER_SIZE), compressOptions);
    buf = Buffer.allocUnsafe(BATCH_HEADER_SIZE + compressed.length);
    compressed.copy(buf, BATCH_HEADER_SIZE);
  }
  buf.writeBigInt64BE(seal.baseOffset, BASE_OFFSET_OFFSET);
  buf.writeInt32BE(buf.length - BATCH_LENGTH_PREFIX, BATCH_LENGTH_OFFSET);
  buf.writeInt32BE(seal.partitionLeaderEpoch, PARTITION_LEADER_EPOCH_OFFSET);
  buf.writeInt8(CURRENT_MAGIC, MAGIC_OFFSET);
  buf.writeInt16BE(encodeAttributes(seal.attributes), ATTRIBUTES_OFFSET);
  buf.writeInt32BE(seal.lastOffsetDelta, LAST_OFFSET_DELTA_OFFSET);
  buf.writeBigInt64BE(seal.baseTimestamp, BASE_TIMESTAMP_OFFSET);
  buf.writeBigInt64BE(seal.maxTimestamp, MAX_TIMESTAMP_OFFSET);
  buf.writeBigInt64BE(seal.producerId, PRODUCER_ID_OFFSET);
  buf.writeInt16BE(seal.producerEpoch, PRODUCER_EPOCH_OFFSET);
  buf.writeInt32BE(seal.baseSequence, BASE_SEQUENCE_OFFSET);
  buf.writeInt32BE(seal.recordCount, RECORD_COUNT_OFFSET);
  buf.writeUInt32BE(crc32c(buf.subarray(CRC_START_OFFSET)), CRC_OFFSET);
  return buf;
}

function writeRecords(
  buf: Buffer,
  offset: number,
  records: readonly KafkaRecord[],
  bodySizes: readonly number[],
): void {
  let o = offset;
  for (let i = 0; i < records.length; i++) o = writeRecord(buf, o, records[i]!, bodySizes[i]);
  if (o !== buf.length) throw new Error(`batch encoder wrote ${o} of ${buf.length} bytes`);
}

/**
 * The records section of a whole batch, decompressed, its record count and codec, after the
 * checks every reader of records needs: a known codec, and a count that is not negative and that
 * the section can hold. The CRC is the caller's to check (some readers skip it).
 */
export function batchRecordsSection(
  header: BatchHeader,
  maxDecompressedBytes = DEFAULT_MAX_DECOMPRESSED_BYTES,
): { data: Buffer; recordCount: number; compression: CompressionType } {
  const compression = header.compression;
  if (!isCompressionType(compression)) {
    throw new CodecError(
      "UNSUPPORTED_COMPRESSION",
      `record batch uses unknown compression codec ${compression}`,
    );
  }
  const recordCount = header.recordCount;
  if (recordCount < 0)
    throw new CodecError("MALFORMED", `record batch has negative record count ${recordCount}`);
  const section = header.recordsBytes();
  // An empty section needs no decompression: compaction may leave a batch with no records.
  const data =
    compression === CompressionType.NONE || section.length === 0
      ? section
      : decompress(compression, section, maxDecompressedBytes);
  if (recordCount > data.length / MIN_RECORD_SIZE) {
    throw new CodecError(
      "CORRUPT_RECORD",
      `record count ${recordCount} cannot fit in a records section of ${data.length} bytes`,
    );
  }
  return { data, recordCount, compression };
}

/**
 * Decodes the bytes of exactly one batch. Throws CodecError on a short or over-long buffer, a
 * magic other than 2, a CRC mismatch, an unknown codec, a decompression failure or bound, or
 * records that disagree with recordCount or the section's length.
 */
export function decodeBatch(buf: Buffer, options: DecodeBatchOptions = {}): RecordBatch {
  const first = scanBatches(buf).next();
  if (first.done === true) throw new CodecError("TRUNCATED", "no record batch in an empty buffer");
  const span = first.value;
  if (span.kind === "truncated") {
    throw new CodecError(
      "TRUNCATED",
      `record batch needs ${span.size ?? "at least 61"} bytes, ${span.available} available`,
    );
  }
  if (span.size !== buf.length) {
    throw new CodecError(
      "MALFORMED",
      `${buf.length - span.size} bytes follow the record batch (use decodeBatches for several)`,
    );
  }
  const header = new BatchHeader(buf, 0);
  if ((options.verifyCrc ?? true) && !header.isCrcValid()) {
    throw new CodecError(
      "CORRUPT_RECORD",
      `record batch CRC-32C mismatch: stored ${header.crc}, computed ${header.computeCrc()}`,
    );
  }
  const { data, recordCount, compression } = batchRecordsSection(header, options.maxDecompressedBytes);
  const records: KafkaRecord[] = [];
  const cursor: Cursor = { offset: 0 };
  for (let i = 0; i < recordCount; i++) {
    try {
      records.push(readRecord(data, cursor));
    } catch (error) {
      // Running out of bytes inside a whole batch means the count or lengths lie.
      if (error instanceof CodecError && error.code === "TRUNCATED") {
        throw new CodecError("CORRUPT_RECORD", `record ${i} of ${recordCount}: ${error.message}`);
      }
      throw error;
    }
  }
  if (cursor.offset !== data.length) {
    throw new CodecError(
      "CORRUPT_RECORD",
      `${data.length - cursor.offset} bytes follow the ${recordCount} records of the batch`,
    );
  }
  return {
    baseOffset: header.baseOffset,
    batchLength: header.batchLength,
    partitionLeaderEpoch: header.partitionLeaderEpoch,
    magic: header.magic,
    crc: header.crc,
    attributes: header.attributes,
    compression,
    timestampType: header.timestampType,
    isTransactional: header.isTransactional,
    isControl: header.isControl,
    hasDeleteHorizonMs: header.hasDeleteHorizonMs,
    lastOffsetDelta: header.lastOffsetDelta,
    baseTimestamp: header.baseTimestamp,
    maxTimestamp: header.maxTimestamp,
    producerId: header.producerId,
    producerEpoch: header.producerEpoch,
    baseSequence: header.baseSequence,
    recordCount,
    records,
  };
}

/** Decodes batches laid end to end (a Produce request's or Fetch response's records field). */
export function decodeBatches(buf: Buffer, options: DecodeBatchesOptions = {}): RecordBatch[] {
  const batches: RecordBatch[] = [];
  for (const span of scanBatches(buf, 0, options)) {
    if (span.kind === "truncated") {
      if (options.allowTruncatedTail === true) break;
      throw new CodecError(
        "TRUNCATED",
        `record batch at position ${span.position} is cut short (${span.available} bytes available)`,
      );
    }
    batches.push(decodeBatch(buf.subarray(span.position, span.position + span.size), options));
  }
  return batches;
}
