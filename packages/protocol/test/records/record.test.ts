import assert from "node:assert/strict";
import { test } from "node:test";
import { CodecError } from "../../src/codec/codec-error.ts";
import type { Cursor } from "../../src/codec/varint.ts";
import {
  decodeRecord,
  encodeRecord,
  type KafkaRecord,
  readRecord,
  sizeOfRecord,
  sizeOfRecordBody,
} from "../../src/records/record.ts";
import { assertCodecError, assertOnlyCodecError, seededRandom } from "./helpers.ts";

const samples: KafkaRecord[] = [
  { attributes: 0, timestampDelta: 0n, offsetDelta: 0, key: null, value: null, headers: [] },
  {
    attributes: 0,
    timestampDelta: 5n,
    offsetDelta: 1,
    key: Buffer.alloc(0),
    value: Buffer.alloc(0),
    headers: [],
  },
  {
    attributes: 0,
    timestampDelta: -1234567890123n,
    offsetDelta: 2147483647,
    key: Buffer.from("key"),
    value: Buffer.alloc(300, 7),
    headers: [
      { key: "trace-id", value: Buffer.from("abc") },
      { key: "", value: null },
      { key: "ключ 🔑", value: Buffer.alloc(0) },
    ],
  },
  {
    attributes: -1,
    timestampDelta: 9223372036854775807n,
    offsetDelta: 0,
    key: null,
    value: Buffer.from("v"),
    headers: [{ key: "h", value: null }],
  },
];

test("records round-trip with nulls, empties, headers and extreme deltas", () => {
  for (const record of samples) {
    const bytes = encodeRecord(record);
    assert.equal(bytes.length, sizeOfRecord(record));
    assert.deepEqual(decodeRecord(bytes), record);
  }
});

test("a record encodes to the protocol guide's layout", () => {
  // length 7, attributes 0, timestampDelta 0, offsetDelta 0, key null (-1), value "a" (1), 0 headers
  const bytes = encodeRecord({
    attributes: 0,
    timestampDelta: 0n,
    offsetDelta: 0,
    key: null,
    value: Buffer.from("a"),
    headers: [],
  });
  assert.deepEqual(bytes, Buffer.from([0x0e, 0x00, 0x00, 0x00, 0x01, 0x02, 0x61, 0x00]));
  assert.equal(sizeOfRecordBody(decodeRecord(bytes)), 7);
});

test("readRecord advances through records laid end to end", () => {
  const buf = Buffer.concat(samples.map(encodeRecord));
  const cursor: Cursor = { offset: 0 };
  for (const record of samples) assert.deepEqual(readRecord(buf, cursor), record);
  assert.equal(cursor.offset, buf.length);
});

test("decoded keys and values are views into the input", () => {
  const bytes = encodeRecord(samples[2]!);
  const record = decodeRecord(bytes);
  assert.equal(record.value!.buffer, bytes.buffer);
});

test("every truncation of a record throws only CodecError", () => {
  const bytes = encodeRecord(samples[2]!);
  for (let length = 0; length < bytes.length; length++) {
    assertCodecError(() => decodeRecord(bytes.subarray(0, length)), undefined, `at length ${length}`);
  }
});

test("negative lengths other than -1 are rejected", () => {
  // length 8: attributes, ts 0, offset 0, key length -2, then filler
  assertCodecError(() => decodeRecord(Buffer.from([0x10, 0x00, 0x00, 0x00, 0x03, 0, 0, 0, 0])), "MALFORMED");
  // a negative record length
  assertCodecError(() => decodeRecord(Buffer.from([0x03, 0x00])), "MALFORMED");
});

test("a null header key is rejected", () => {
  // body: attributes, ts, offset, key null, value null, 1 header, header key -1, value -1
  const body = [0x00, 0x00, 0x00, 0x01, 0x01, 0x02, 0x01, 0x01];
  assertCodecError(() => decodeRecord(Buffer.from([body.length * 2, ...body])), "MALFORMED");
});

test("lengths beyond the record are rejected before allocating", () => {
  // value claims 2^30 bytes in a 9-byte record
  const body = [0x00, 0x00, 0x00, 0x01, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00];
  assertCodecError(() => decodeRecord(Buffer.from([body.length * 2, ...body])), "MALFORMED");
  // header count 2^30 with 1 byte left
  const headers = [0x00, 0x00, 0x00, 0x01, 0x01, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00];
  assertCodecError(() => decodeRecord(Buffer.from([headers.length * 2, ...headers])), "MALFORMED");
});

test("a record length that disagrees with its fields is rejected", () => {
  const bytes = encodeRecord(samples[0]!);
  // Declare one more byte than the fields take and supply it.
  const longer = Buffer.concat([
    Buffer.from([(bytes[0]! >> 1) * 2 + 2]),
    bytes.subarray(1),
    Buffer.from([0]),
  ]);
  assertCodecError(() => decodeRecord(longer), "CORRUPT_RECORD");
  // Trailing bytes after the record.
  assertCodecError(() => decodeRecord(Buffer.concat([bytes, Buffer.from([0])])), "MALFORMED");
});

test("random bytes decode or throw CodecError, nothing else", () => {
  const random = seededRandom(99);
  for (let i = 0; i < 2000; i++) {
    const bytes = random.bytes(1 + random.int(40));
    assertOnlyCodecError(() => decodeRecord(bytes), bytes.toString("hex"));
  }
  // Mutations of a valid record reach deeper into the decoder.
  const valid = encodeRecord(samples[2]!);
  for (let i = 0; i < 2000; i++) {
    const bytes = Buffer.from(valid);
    bytes[random.int(bytes.length)] = random.int(256);
    assertOnlyCodecError(() => decodeRecord(bytes), bytes.toString("hex"));
  }
});

test("the encoder rejects values its fields cannot hold", () => {
  const base = samples[0]!;
  assert.throws(() => encodeRecord({ ...base, attributes: 128 }), CodecError);
  assert.throws(() => encodeRecord({ ...base, offsetDelta: 2 ** 31 }), CodecError);
  assert.throws(() => encodeRecord({ ...base, timestampDelta: 2n ** 63n }), CodecError);
});
