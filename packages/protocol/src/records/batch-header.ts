// A zero-copy view over the 61-byte RecordBatch v2 header at some position of a Buffer (a Produce
// request's records, a segment file chunk). Getters read straight from the bytes, so the view
// costs one small object and nothing per field beyond the bigint reads. The broker uses it to
// validate a batch (magic, CRC-32C), assign offsets by patching baseOffset (outside the CRC, so
// no recompute), stamp partitionLeaderEpoch, and apply LogAppendTime (which is inside the CRC).
//
// Constructing a view only checks that the 61 header bytes are present; it does not validate the
// magic or lengths — use batch-scan.ts for that. Methods that touch the whole batch (CRC) check
// that batchLength stays inside the buffer.

import { CodecError } from "../codec/codec-error.ts";
import {
  COMPRESSION_MASK,
  CONTROL_MASK,
  type CompressionType,
  DELETE_HORIZON_MASK,
  TIMESTAMP_TYPE_MASK,
  TimestampType,
  TRANSACTIONAL_MASK,
} from "./attributes.ts";
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
  LAST_OFFSET_DELTA_OFFSET,
  MAGIC_OFFSET,
  MAX_TIMESTAMP_OFFSET,
  MIN_BATCH_LENGTH,
  PARTITION_LEADER_EPOCH_OFFSET,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  RECORD_COUNT_OFFSET,
} from "./batch-layout.ts";
import { crc32c } from "./crc32c.ts";

export class BatchHeader {
  readonly buffer: Buffer;
  /** Position of the batch's first byte (its baseOffset) in `buffer`. */
  readonly position: number;

  constructor(buffer: Buffer, position = 0) {
    if (!Number.isInteger(position) || position < 0) {
      throw new RangeError(`batch position must be a non-negative integer, got ${position}`);
    }
    if (buffer.length - position < BATCH_HEADER_SIZE) {
      throw new CodecError(
        "TRUNCATED",
        `record batch header needs ${BATCH_HEADER_SIZE} bytes, ${Math.max(0, buffer.length - position)} available`,
      );
    }
    this.buffer = buffer;
    this.position = position;
  }

  get baseOffset(): bigint {
    return this.buffer.readBigInt64BE(this.position + BASE_OFFSET_OFFSET);
  }

  /** Patched in place; baseOffset is outside the CRC. */
  set baseOffset(value: bigint) {
    this.buffer.writeBigInt64BE(value, this.position + BASE_OFFSET_OFFSET);
  }

  /** Bytes after the batchLength field; the whole batch is `size` = 12 + batchLength bytes. */
  get batchLength(): number {
    return this.buffer.readInt32BE(this.position + BATCH_LENGTH_OFFSET);
  }

  /** Total bytes of the batch, from baseOffset to the end of its last record. */
  get size(): number {
    return BATCH_LENGTH_PREFIX + this.batchLength;
  }

  get partitionLeaderEpoch(): number {
    return this.buffer.readInt32BE(this.position + PARTITION_LEADER_EPOCH_OFFSET);
  }

  /** Patched in place; partitionLeaderEpoch is outside the CRC. */
  set partitionLeaderEpoch(value: number) {
    this.buffer.writeInt32BE(value, this.position + PARTITION_LEADER_EPOCH_OFFSET);
  }

  get magic(): number {
    return this.buffer.readInt8(this.position + MAGIC_OFFSET);
  }

  /** The stored CRC-32C (unsigned). */
  get crc(): number {
    return this.buffer.readUInt32BE(this.position + CRC_OFFSET);
  }

  get attributes(): number {
    return this.buffer.readInt16BE(this.position + ATTRIBUTES_OFFSET);
  }

  /**
   * Compression codec bits. Values 5-7 appear only in corrupt or future input; check with
   * isCompressionType before use.
   */
  get compression(): CompressionType | 5 | 6 | 7 {
    return (this.attributes & COMPRESSION_MASK) as CompressionType | 5 | 6 | 7;
  }

  get timestampType(): TimestampType {
    return this.attributes & TIMESTAMP_TYPE_MASK ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME;
  }

  get isTransactional(): boolean {
    return (this.attributes & TRANSACTIONAL_MASK) !== 0;
  }

  get isControl(): boolean {
    return (this.attributes & CONTROL_MASK) !== 0;
  }

  /** KIP-534: when set, baseTimestamp holds the delete horizon of a compacted batch. */
  get hasDeleteHorizonMs(): boolean {
    return (this.attributes & DELETE_HORIZON_MASK) !== 0;
  }

  get lastOffsetDelta(): number {
    return this.buffer.readInt32BE(this.position + LAST_OFFSET_DELTA_OFFSET);
  }

  get lastOffset(): bigint {
    return this.baseOffset + BigInt(this.lastOffsetDelta);
  }

  /** The offset after this batch: where the next batch's baseOffset goes. */
  get nextOffset(): bigint {
    return this.lastOffset + 1n;
  }

  get baseTimestamp(): bigint {
    return this.buffer.readBigInt64BE(this.position + BASE_TIMESTAMP_OFFSET);
  }

  get maxTimestamp(): bigint {
    return this.buffer.readBigInt64BE(this.position + MAX_TIMESTAMP_OFFSET);
  }

  get producerId(): bigint {
    return this.buffer.readBigInt64BE(this.position + PRODUCER_ID_OFFSET);
  }

  get producerEpoch(): number {
    return this.buffer.readInt16BE(this.position + PRODUCER_EPOCH_OFFSET);
  }

  get baseSequence(): number {
    return this.buffer.readInt32BE(this.position + BASE_SEQUENCE_OFFSET);
  }

  get recordCount(): number {
    return this.buffer.readInt32BE(this.position + RECORD_COUNT_OFFSET);
  }

  /**
   * The batch's bytes (header included) as a view. Throws CodecError when batchLength is below
   * the minimum or runs past the buffer.
   */
  bytes(): Buffer {
    const length = this.batchLength;
    if (length < MIN_BATCH_LENGTH) {
      throw new CodecError("MALFORMED", `batchLength ${length} is below the minimum ${MIN_BATCH_LENGTH}`);
    }
    const end = this.position + BATCH_LENGTH_PREFIX + length;
    if (end > this.buffer.length) {
      throw new CodecError(
        "TRUNCATED",
        `record batch of ${BATCH_LENGTH_PREFIX + length} bytes runs past the end of the buffer`,
      );
    }
    return this.buffer.subarray(this.position, end);
  }

  /** The records section (possibly compressed) as a view. */
  recordsBytes(): Buffer {
    return this.bytes().subarray(BATCH_HEADER_SIZE);
  }

  /** CRC-32C over attributes .. end of batch, as it should be stored. */
  computeCrc(): number {
    return crc32c(this.bytes().subarray(CRC_START_OFFSET));
  }

  isCrcValid(): boolean {
    return this.computeCrc() === this.crc;
  }

  /** Recomputes and stores the CRC after a change to a covered field. */
  updateCrc(): void {
    this.buffer.writeUInt32BE(this.computeCrc(), this.position + CRC_OFFSET);
  }

  /**
   * Applies `message.timestamp.type=LogAppendTime`: sets the timestamp-type bit and maxTimestamp
   * to the broker's append time, then recomputes the CRC (both fields are covered by it). Record
   * timestamps are left alone; consumers take the batch's maxTimestamp for every record.
   */
  setLogAppendTime(timestamp: bigint): void {
    const batch = this.bytes(); // validates the length before anything is written
    batch.writeInt16BE(batch.readInt16BE(ATTRIBUTES_OFFSET) | TIMESTAMP_TYPE_MASK, ATTRIBUTES_OFFSET);
    batch.writeBigInt64BE(timestamp, MAX_TIMESTAMP_OFFSET);
    batch.writeUInt32BE(crc32c(batch.subarray(CRC_START_OFFSET)), CRC_OFFSET);
  }
}
