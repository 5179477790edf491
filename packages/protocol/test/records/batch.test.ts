import assert from "node:assert/strict";
import { test } from "node:test";
import { CodecError } from "../../src/codec/codec-error.ts";
import { CompressionType, TimestampType } from "../../src/records/attributes.ts";
import {
  decodeBatch,
  decodeBatches,
  encodeBatch,
  type RecordBatch,
  type RecordBatchInput,
} from "../../src/records/batch.ts";
import { BatchHeader } from "../../src/records/batch-header.ts";
import type { CompressOptions } from "../../src/records/compression.ts";
import { crc32cSoftware } from "../../src/records/crc32c.ts";
import type { KafkaRecord } from "../../src/records/record.ts";
import { assertCodecError, assertOnlyCodecError, seededRandom } from "./helpers.ts";

const records: KafkaRecord[] = [
  {
    attributes: 0,
    timestampDelta: 0n,
    offsetDelta: 0,
    key: Buffer.from("key-0"),
    value: Buffer.from("value-0"),
    headers: [{ key: "h", value: Buffer.from("1") }],
  },
  { attributes: 0, timestampDelta: -5n, offsetDelta: 1, key: null, value: null, headers: [] },
  {
    attributes: 0,
    timestampDelta: 250n,
    offsetDelta: 2,
    key: Buffer.alloc(0),
    value: Buffer.alloc(0),
    headers: [
      { key: "null", value: null },
      { key: "empty", value: Buffer.alloc(0) },
    ],
  },
  {
    attributes: 0,
    timestampDelta: 100n,
    offsetDelta: 5, // a gap, as compaction leaves
    key: Buffer.from("k"),
    value: Buffer.alloc(20_000, 0x41),
    headers: [],
  },
];

const variants: [string, CompressionType, CompressOptions | undefined][] = [
  ["none", CompressionType.NONE, undefined],
  ["gzip", CompressionType.GZIP, undefined],
  ["snappy", CompressionType.SNAPPY, undefined],
  ["snappy (xerial)", CompressionType.SNAPPY, { snappyFormat: "xerial" }],
  ["lz4", CompressionType.LZ4, undefined],
  ["zstd", CompressionType.ZSTD, undefined],
];

function inputFor(compression: CompressionType, compressOptions?: CompressOptions): RecordBatchInput {
  return {
    baseOffset: 100n,
    partitionLeaderEpoch: 4,
    compression,
    ...(compressOptions === undefined ? {} : { compressOptions }),
    producerId: 9n,
    producerEpoch: 2,
    baseSequence: 77,
    isTransactional: true,
    baseTimestamp: 1_000_000n,
    records,
  };
}

function expectedBatch(bytes: Buffer, compression: CompressionType): RecordBatch {
  return {
    baseOffset: 100n,
    batchLength: bytes.length - 12,
    partitionLeaderEpoch: 4,
    magic: 2,
    crc: crc32cSoftware(bytes.subarray(21)),
    attributes: compression | 0x10,
    compression,
    timestampType: TimestampType.CREATE_TIME,
    isTransactional: true,
    isControl: false,
    hasDeleteHorizonMs: false,
    lastOffsetDelta: 5,
    baseTimestamp: 1_000_000n,
    maxTimestamp: 1_000_250n,
    producerId: 9n,
    producerEpoch: 2,
    baseSequence: 77,
    recordCount: 4,
    records,
  };
}

for (const [name, compression, compressOptions] of variants) {
  test(`${name}: encode → decode round-trips every field and record`, () => {
    const bytes = encodeBatch(inputFor(compression, compressOptions));
    assert.deepEqual(decodeBatch(bytes), expectedBatch(bytes, compression));
  });

  test(`${name}: every truncation throws only CodecError`, () => {
    const bytes = encodeBatch(inputFor(compression, compressOptions));
    for (let length = 0; length < bytes.length; length++) {
      assertCodecError(() => decodeBatch(bytes.subarray(0, length)), undefined, `length ${length}`);
    }
  });

  test(`${name}: corrupted bytes throw only CodecError even without the CRC check`, () => {
    const random = seededRandom(compression * 31 + 1);
    const bytes = encodeBatch(inputFor(compression, compressOptions));
    for (let i = 0; i < 400; i++) {
      const copy = Buffer.from(bytes);
      const position = 21 + random.int(copy.length - 21);
      copy[position] = copy[position]! ^ (1 + random.int(255));
      assertCodecError(() => decodeBatch(copy), "CORRUPT_RECORD", `byte ${position}`);
      assertOnlyCodecError(() => decodeBatch(copy, { verifyCrc: false }), `byte ${position}`);
    }
  });
}

test("the encoder's defaults: no producer, no leader epoch, CreateTime, offset 0", () => {
  const batch = decodeBatch(encodeBatch({ baseTimestamp: 10n, records: records.slice(0, 2) }));
  assert.equal(batch.baseOffset, 0n);
  assert.equal(batch.partitionLeaderEpoch, -1);
  assert.equal(batch.producerId, -1n);
  assert.equal(batch.producerEpoch, -1);
  assert.equal(batch.baseSequence, -1);
  assert.equal(batch.attributes, 0);
  assert.equal(batch.lastOffsetDelta, 1);
  assert.equal(batch.maxTimestamp, 10n, "the largest record timestamp, here the base");
});

test("explicit maxTimestamp, lastOffsetDelta and flags are written as given", () => {
  const batch = decodeBatch(
    encodeBatch({
      baseTimestamp: 10n,
      maxTimestamp: 99n,
      lastOffsetDelta: 9,
      timestampType: TimestampType.LOG_APPEND_TIME,
      isControl: true,
      hasDeleteHorizonMs: true,
      records: records.slice(0, 1),
    }),
  );
  assert.equal(batch.maxTimestamp, 99n);
  assert.equal(batch.lastOffsetDelta, 9);
  assert.equal(batch.attributes, 0x68);
});

test("an empty batch encodes to the 61-byte header and decodes for every codec", () => {
  for (const [, compression, compressOptions] of variants) {
    const bytes = encodeBatch({
      baseTimestamp: 5n,
      compression,
      ...(compressOptions === undefined ? {} : { compressOptions }),
      records: [],
    });
    const batch = decodeBatch(bytes);
    assert.equal(batch.recordCount, 0);
    assert.deepEqual(batch.records, []);
    assert.equal(batch.maxTimestamp, 5n);
  }
  assert.equal(encodeBatch({ baseTimestamp: 0n, records: [] }).length, 61);
});

test("an uncompressed batch has the documented byte layout", () => {
  const bytes = encodeBatch({
    baseTimestamp: 1000n,
    records: [
      { attributes: 0, timestampDelta: 0n, offsetDelta: 0, key: null, value: Buffer.from("a"), headers: [] },
    ],
  });
  const expected = Buffer.alloc(69);
  expected.writeBigInt64BE(0n, 0);
  expected.writeInt32BE(57, 8);
  expected.writeInt32BE(-1, 12);
  expected.writeInt8(2, 16);
  expected.writeInt16BE(0, 21);
  expected.writeInt32BE(0, 23);
  expected.writeBigInt64BE(1000n, 27);
  expected.writeBigInt64BE(1000n, 35);
  expected.writeBigInt64BE(-1n, 43);
  expected.writeInt16BE(-1, 51);
  expected.writeInt32BE(-1, 53);
  expected.writeInt32BE(1, 57);
  Buffer.from([0x0e, 0x00, 0x00, 0x00, 0x01, 0x02, 0x61, 0x00]).copy(expected, 61);
  expected.writeUInt32BE(crc32cSoftware(expected.subarray(21)), 17);
  assert.deepEqual(bytes, expected);
});

test("a CRC mismatch is CORRUPT_RECORD unless checking is turned off", () => {
  const bytes = encodeBatch(inputFor(CompressionType.NONE));
  bytes.writeUInt32BE((new BatchHeader(bytes).crc + 1) >>> 0, 17);
  assertCodecError(() => decodeBatch(bytes), "CORRUPT_RECORD");
  assert.equal(decodeBatch(bytes, { verifyCrc: false }).records.length, 4);
});

function withCrc(bytes: Buffer): Buffer {
  new BatchHeader(bytes).updateCrc();
  return bytes;
}

test("a recordCount that disagrees with the records is CORRUPT_RECORD", () => {
  for (const [, compression, compressOptions] of variants) {
    const more = encodeBatch(inputFor(compression, compressOptions));
    more.writeInt32BE(5, 57);
    assertCodecError(() => decodeBatch(withCrc(more)), "CORRUPT_RECORD");
    const fewer = encodeBatch(inputFor(compression, compressOptions));
    fewer.writeInt32BE(3, 57);
    assertCodecError(() => decodeBatch(withCrc(fewer)), "CORRUPT_RECORD");
    const huge = encodeBatch(inputFor(compression, compressOptions));
    huge.writeInt32BE(0x7fffffff, 57);
    assertCodecError(() => decodeBatch(withCrc(huge)), "CORRUPT_RECORD");
    const negative = encodeBatch(inputFor(compression, compressOptions));
    negative.writeInt32BE(-1, 57);
    assertCodecError(() => decodeBatch(withCrc(negative)), "MALFORMED");
  }
});

test("unknown compression codecs 5-7 are UNSUPPORTED_COMPRESSION", () => {
  for (const codec of [5, 6, 7]) {
    const bytes = encodeBatch(inputFor(CompressionType.NONE));
    bytes.writeInt16BE(codec, 21);
    assertCodecError(() => decodeBatch(withCrc(bytes)), "UNSUPPORTED_COMPRESSION");
  }
});

test("decompression is bounded by maxDecompressedBytes", () => {
  const bomb = encodeBatch({
    baseTimestamp: 0n,
    compression: CompressionType.ZSTD,
    records: [
      {
        attributes: 0,
        timestampDelta: 0n,
        offsetDelta: 0,
        key: null,
        value: Buffer.alloc(5_000_000),
        headers: [],
      },
    ],
  });
  assert.ok(bomb.length < 10_000);
  assertCodecError(() => decodeBatch(bomb, { maxDecompressedBytes: 1_000_000 }), "DECOMPRESSED_TOO_LARGE");
  assert.equal(decodeBatch(bomb).records[0]!.value!.length, 5_000_000);
});

test("decodeBatch wants exactly one batch; decodeBatches takes several", () => {
  const first = encodeBatch(inputFor(CompressionType.GZIP));
  const second = encodeBatch({ ...inputFor(CompressionType.NONE), baseOffset: 200n });
  const both = Buffer.concat([first, second]);
  assertCodecError(() => decodeBatch(both), "MALFORMED");
  assert.deepEqual(
    decodeBatches(both).map((b) => b.baseOffset),
    [100n, 200n],
  );
  const torn = both.subarray(0, both.length - 3);
  assertCodecError(() => decodeBatches(torn), "TRUNCATED");
  assert.equal(decodeBatches(torn, { allowTruncatedTail: true }).length, 1);
  assert.deepEqual(decodeBatches(Buffer.alloc(0)), []);
});

test("legacy magic is rejected by decodeBatch", () => {
  const bytes = encodeBatch(inputFor(CompressionType.NONE));
  bytes.writeInt8(1, 16);
  assertCodecError(() => decodeBatch(bytes), "UNSUPPORTED_MAGIC");
});

test("the encoder rejects records out of offset order and fields out of range", () => {
  const [a, b] = [records[0]!, records[1]!];
  assertCodecError(() => encodeBatch({ baseTimestamp: 0n, records: [b, a] }), "INVALID_VALUE");
  assertCodecError(() => encodeBatch({ baseTimestamp: 0n, records: [a, a] }), "INVALID_VALUE");
  assertCodecError(
    () => encodeBatch({ baseTimestamp: 0n, records: [{ ...a, offsetDelta: -1 }] }),
    "INVALID_VALUE",
  );
  assert.throws(() => encodeBatch({ baseTimestamp: 0n, producerEpoch: 40_000, records: [] }), CodecError);
  assert.throws(() => encodeBatch({ baseTimestamp: 2n ** 63n, records: [] }), CodecError);
});
