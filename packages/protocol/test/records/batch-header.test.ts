import assert from "node:assert/strict";
import { test } from "node:test";
import { CompressionType, TimestampType } from "../../src/records/attributes.ts";
import { encodeBatch, type RecordBatchInput } from "../../src/records/batch.ts";
import { BatchHeader } from "../../src/records/batch-header.ts";
import { crc32cSoftware } from "../../src/records/crc32c.ts";
import { assertCodecError } from "./helpers.ts";

const input: RecordBatchInput = {
  baseOffset: 1_000_000_000_000n,
  partitionLeaderEpoch: 17,
  compression: CompressionType.LZ4,
  timestampType: TimestampType.CREATE_TIME,
  isTransactional: true,
  producerId: 123456789012n,
  producerEpoch: 3,
  baseSequence: 42,
  baseTimestamp: 1_700_000_000_000n,
  records: [0, 1, 2].map((i) => ({
    attributes: 0,
    timestampDelta: BigInt(i * 10),
    offsetDelta: i,
    key: Buffer.from(`k${i}`),
    value: Buffer.from(`v${i}`),
    headers: [],
  })),
};

test("header getters read the fields the encoder wrote", () => {
  const bytes = encodeBatch(input);
  const header = new BatchHeader(bytes);
  assert.equal(header.baseOffset, 1_000_000_000_000n);
  assert.equal(header.batchLength, bytes.length - 12);
  assert.equal(header.size, bytes.length);
  assert.equal(header.partitionLeaderEpoch, 17);
  assert.equal(header.magic, 2);
  assert.equal(header.compression, CompressionType.LZ4);
  assert.equal(header.attributes, 0x13);
  assert.equal(header.timestampType, TimestampType.CREATE_TIME);
  assert.equal(header.isTransactional, true);
  assert.equal(header.isControl, false);
  assert.equal(header.hasDeleteHorizonMs, false);
  assert.equal(header.lastOffsetDelta, 2);
  assert.equal(header.lastOffset, 1_000_000_000_002n);
  assert.equal(header.nextOffset, 1_000_000_000_003n);
  assert.equal(header.baseTimestamp, 1_700_000_000_000n);
  assert.equal(header.maxTimestamp, 1_700_000_000_020n);
  assert.equal(header.producerId, 123456789012n);
  assert.equal(header.producerEpoch, 3);
  assert.equal(header.baseSequence, 42);
  assert.equal(header.recordCount, 3);
  assert.equal(header.crc, crc32cSoftware(bytes.subarray(21)));
  assert.ok(header.isCrcValid());
});

test("a hand-written header is read field by field", () => {
  const b = Buffer.alloc(61);
  b.writeBigInt64BE(-1n, 0);
  b.writeInt32BE(49, 8);
  b.writeInt32BE(-1, 12);
  b.writeInt8(2, 16);
  b.writeInt16BE(0x0068, 21); // LogAppendTime | control | delete horizon
  b.writeInt32BE(0, 23);
  b.writeBigInt64BE(5n, 27);
  b.writeBigInt64BE(6n, 35);
  b.writeBigInt64BE(-1n, 43);
  b.writeInt16BE(-1, 51);
  b.writeInt32BE(-1, 53);
  b.writeInt32BE(0, 57);
  b.writeUInt32BE(crc32cSoftware(b.subarray(21)), 17);
  const header = new BatchHeader(b);
  assert.equal(header.baseOffset, -1n);
  assert.equal(header.partitionLeaderEpoch, -1);
  assert.equal(header.timestampType, TimestampType.LOG_APPEND_TIME);
  assert.equal(header.isControl, true);
  assert.equal(header.isTransactional, false);
  assert.equal(header.hasDeleteHorizonMs, true);
  assert.equal(header.compression, CompressionType.NONE);
  assert.equal(header.baseTimestamp, 5n);
  assert.equal(header.maxTimestamp, 6n);
  assert.equal(header.producerEpoch, -1);
  assert.equal(header.recordsBytes().length, 0);
  assert.ok(header.isCrcValid());
});

test("a view works at any position inside a larger buffer", () => {
  const first = encodeBatch(input);
  const second = encodeBatch({ ...input, baseOffset: 7n });
  const both = Buffer.concat([Buffer.from([9, 9, 9]), first, second]);
  const header = new BatchHeader(both, 3 + first.length);
  assert.equal(header.baseOffset, 7n);
  assert.ok(header.isCrcValid());
  assert.deepEqual(header.bytes(), second);
});

test("patching baseOffset and partitionLeaderEpoch keeps the CRC valid", () => {
  const bytes = encodeBatch(input);
  const header = new BatchHeader(bytes);
  const crcBefore = header.crc;
  header.baseOffset = 555n;
  header.partitionLeaderEpoch = 99;
  assert.equal(header.baseOffset, 555n);
  assert.equal(header.partitionLeaderEpoch, 99);
  assert.equal(header.lastOffset, 557n);
  assert.equal(header.crc, crcBefore);
  assert.ok(header.isCrcValid());
});

test("setLogAppendTime sets the type bit and maxTimestamp and recomputes the CRC", () => {
  const bytes = encodeBatch(input);
  const header = new BatchHeader(bytes);
  const crcBefore = header.crc;
  header.setLogAppendTime(1_800_000_000_000n);
  assert.equal(header.timestampType, TimestampType.LOG_APPEND_TIME);
  assert.equal(header.maxTimestamp, 1_800_000_000_000n);
  assert.equal(header.compression, CompressionType.LZ4, "other attribute bits are kept");
  assert.equal(header.isTransactional, true);
  assert.equal(header.baseTimestamp, 1_700_000_000_000n, "baseTimestamp is left alone");
  assert.notEqual(header.crc, crcBefore);
  assert.equal(header.crc, crc32cSoftware(bytes.subarray(21)));
  assert.ok(header.isCrcValid());
});

test("changing any byte the CRC covers invalidates it; the unprotected prefix does not", () => {
  const bytes = encodeBatch(input);
  for (let i = 0; i < bytes.length; i++) {
    if (i >= 8 && i < 12) continue; // batchLength: changing it changes the batch's extent
    if (i >= 17 && i < 21) continue; // the CRC itself
    const copy = Buffer.from(bytes);
    copy[i] = copy[i]! ^ 0x01;
    assert.equal(new BatchHeader(copy).isCrcValid(), i < 17, `byte ${i}`);
  }
  const wrongCrc = Buffer.from(bytes);
  wrongCrc[20] = wrongCrc[20]! ^ 0x80;
  assert.equal(new BatchHeader(wrongCrc).isCrcValid(), false);
});

test("short buffers and bad lengths throw CodecError", () => {
  const bytes = encodeBatch(input);
  for (let length = 0; length < 61; length++) {
    assertCodecError(() => new BatchHeader(bytes.subarray(0, length)), "TRUNCATED", `length ${length}`);
  }
  const cut = new BatchHeader(bytes.subarray(0, bytes.length - 1));
  assertCodecError(() => cut.isCrcValid(), "TRUNCATED");
  assertCodecError(() => cut.setLogAppendTime(1n), "TRUNCATED");
  assert.equal(cut.timestampType, TimestampType.CREATE_TIME, "a failed setLogAppendTime writes nothing");
  const tiny = Buffer.from(bytes);
  tiny.writeInt32BE(48, 8);
  assertCodecError(() => new BatchHeader(tiny).computeCrc(), "MALFORMED");
});
