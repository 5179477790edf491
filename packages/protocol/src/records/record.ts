// One record inside a v2 batch (the protocol guide's "Record" layout), every integer a zigzag
// varint/varlong:
//   length varint (bytes after itself) | attributes int8 | timestampDelta varlong |
//   offsetDelta varint | keyLength varint (-1 = null) | key | valueLength varint (-1 = null) |
//   value | headerCount varint | headers: keyLength varint + UTF-8 key, valueLength varint
//   (-1 = null) + value.
// Decoding checks every length against the bytes left before slicing, so nothing is allocated
// beyond the input. Keys and values are views into the input (zero-copy); copy them if the input
// buffer is reused. A header key may not be null (Kafka rejects that too).

import { CodecError } from "../codec/codec-error.ts";
import {
  type Cursor,
  readVarint,
  readVarlong,
  sizeOfVarint,
  sizeOfVarlong,
  writeVarint,
  writeVarlong,
} from "../codec/varint.ts";

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

/** A record as stored in a batch; its offset and timestamp are deltas from the batch's bases. */
export interface KafkaRecord {
  /** int8, unused by Kafka so far; written as given. */
  attributes: number;
  timestampDelta: bigint;
  offsetDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

/** The fewest bytes a record can take: one byte for each of its seven varint/int8 fields. */
export const MIN_RECORD_SIZE = 7;
/** The fewest bytes a header can take: an empty key and an empty or null value. */
const MIN_HEADER_SIZE = 2;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function sizeOfNullableBytes(bytes: Buffer | null): number {
  return bytes === null ? 1 : sizeOfVarint(bytes.length) + bytes.length;
}

function checkRecord(record: KafkaRecord): void {
  if (!Number.isInteger(record.attributes) || record.attributes < -128 || record.attributes > 127) {
    throw new CodecError("INVALID_VALUE", `record attributes ${record.attributes} is not an int8`);
  }
  if (
    !Number.isInteger(record.offsetDelta) ||
    record.offsetDelta < INT32_MIN ||
    record.offsetDelta > INT32_MAX
  ) {
    throw new CodecError("INVALID_VALUE", `record offsetDelta ${record.offsetDelta} is not an int32`);
  }
  if (record.timestampDelta < INT64_MIN || record.timestampDelta > INT64_MAX) {
    throw new CodecError("INVALID_VALUE", `record timestampDelta ${record.timestampDelta} is not an int64`);
  }
}

/** Bytes after the length prefix. */
export function sizeOfRecordBody(record: KafkaRecord): number {
  let size =
    1 +
    sizeOfVarlong(record.timestampDelta) +
    sizeOfVarint(record.offsetDelta) +
    sizeOfNullableBytes(record.key) +
    sizeOfNullableBytes(record.value) +
    sizeOfVarint(record.headers.length);
  for (const header of record.headers) {
    const keyLength = Buffer.byteLength(header.key, "utf8");
    size += sizeOfVarint(keyLength) + keyLength + sizeOfNullableBytes(header.value);
  }
  return size;
}

/** Bytes of the whole record, length prefix included. */
export function sizeOfRecord(record: KafkaRecord): number {
  const body = sizeOfRecordBody(record);
  return sizeOfVarint(body) + body;
}

function writeNullableBytes(buf: Buffer, offset: number, bytes: Buffer | null): number {
  if (bytes === null) return writeVarint(buf, offset, -1);
  const o = writeVarint(buf, offset, bytes.length);
  bytes.copy(buf, o);
  return o + bytes.length;
}

/**
 * Writes `record` at `offset` and returns the offset after it. `bodySize` may be passed when the
 * caller already computed sizeOfRecordBody. The buffer must have room (sizeOfRecord bytes).
 */
export function writeRecord(
  buf: Buffer,
  offset: number,
  record: KafkaRecord,
  bodySize = sizeOfRecordBody(record),
): number {
  checkRecord(record);
  let o = writeVarint(buf, offset, bodySize);
  o = buf.writeInt8(record.attributes, o);
  o = writeVarlong(buf, o, record.timestampDelta);
  o = writeVarint(buf, o, record.offsetDelta);
  o = writeNullableBytes(buf, o, record.key);
  o = writeNullableBytes(buf, o, record.value);
  o = writeVarint(buf, o, record.headers.length);
  for (const header of record.headers) {
    const keyLength = Buffer.byteLength(header.key, "utf8");
    o = writeVarint(buf, o, keyLength);
    o += buf.write(header.key, o, keyLength, "utf8");
    o = writeNullableBytes(buf, o, header.value);
  }
  return o;
}

export function encodeRecord(record: KafkaRecord): Buffer {
  const bodySize = sizeOfRecordBody(record);
  const buf = Buffer.allocUnsafe(sizeOfVarint(bodySize) + bodySize);
  const end = writeRecord(buf, 0, record, bodySize);
  if (end !== buf.length) throw new Error(`record encoder wrote ${end} of ${buf.length} bytes`);
  return buf;
}

/** Reads a length that must be -1 (null, when allowed) or fit in the bytes left before `end`. */
function readLength(buf: Buffer, cursor: Cursor, end: number, what: string, nullable: boolean): number {
  const length = readVarint(buf, cursor);
  if (length === -1 && nullable) return -1;
  if (length < 0) throw new CodecError("MALFORMED", `record ${what} has invalid length ${length}`);
  if (length > end - cursor.offset) {
    throw new CodecError("MALFORMED", `record ${what} of ${length} bytes runs past the end of the record`);
  }
  return length;
}

function readNullableBytes(buf: Buffer, cursor: Cursor, end: number, what: string): Buffer | null {
  const length = readLength(buf, cursor, end, what, true);
  if (length === -1) return null;
  const start = cursor.offset;
  cursor.offset = start + length;
  return buf.subarray(start, start + length);
}

/**
 * Reads one record at `cursor.offset`, advancing the cursor past it. Throws CodecError when the
 * buffer ends inside the record (TRUNCATED) or its fields are inconsistent (MALFORMED,
 * CORRUPT_RECORD).
 */
export function readRecord(buf: Buffer, cursor: Cursor): KafkaRecord {
  const length = readVarint(buf, cursor);
  if (length < 0) throw new CodecError("MALFORMED", `record has negative length ${length}`);
  const bodyStart = cursor.offset;
  if (length > buf.length - bodyStart) {
    throw new CodecError("TRUNCATED", `record of ${length} bytes runs past the end of the buffer`);
  }
  const end = bodyStart + length;
  // A view ending at the record's end, so no field can be read from the next record.
  const body = end === buf.length ? buf : buf.subarray(0, end);
  if (length < MIN_RECORD_SIZE - 1) {
    throw new CodecError("MALFORMED", `record length ${length} is too small for its fields`);
  }
  const attributes = body.readInt8(cursor.offset);
  cursor.offset++;
  const timestampDelta = readVarlong(body, cursor);
  const offsetDelta = readVarint(body, cursor);
  const key = readNullableBytes(body, cursor, end, "key");
  const value = readNullableBytes(body, cursor, end, "value");
  const headerCount = readVarint(body, cursor);
  if (headerCount < 0 || headerCount > (end - cursor.offset) / MIN_HEADER_SIZE) {
    throw new CodecError("MALFORMED", `record header count ${headerCount} is impossible for its length`);
  }
  const headers: RecordHeader[] = [];
  for (let i = 0; i < headerCount; i++) {
    const keyLength = readLength(body, cursor, end, "header key", false);
    const headerKey = body.toString("utf8", cursor.offset, cursor.offset + keyLength);
    cursor.offset += keyLength;
    headers.push({ key: headerKey, value: readNullableBytes(body, cursor, end, "header value") });
  }
  if (cursor.offset !== end) {
    throw new CodecError(
      "CORRUPT_RECORD",
      `record length ${length} disagrees with its fields (${cursor.offset - bodyStart} bytes)`,
    );
  }
  return { attributes, timestampDelta, offsetDelta, key, value, headers };
}

/** Decodes a buffer holding exactly one record. */
export function decodeRecord(buf: Buffer): KafkaRecord {
  const cursor: Cursor = { offset: 0 };
  const record = readRecord(buf, cursor);
  if (cursor.offset !== buf.length) {
    throw new CodecError("MALFORMED", `${buf.length - cursor.offset} bytes follow the record`);
  }
  return record;
}
