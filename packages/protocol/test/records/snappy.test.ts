import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import { isXerialSnappy, snappyCompress, snappyDecompress, XERIAL_MAGIC } from "../../src/records/snappy.ts";
import { assertCodecError, seededRandom } from "./helpers.ts";

// The native raw-snappy encoder, used directly so the xerial frames below are built without our
// own framing code.
const snappy = createRequire(import.meta.url)("snappy") as { compressSync(input: Uint8Array): Buffer };

function int32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(value, 0);
  return b;
}

function xerialFrame(chunks: Buffer[], version = 1, compatible = 1): Buffer {
  const parts = [
    Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]),
    int32(version),
    int32(compatible),
  ];
  for (const chunk of chunks) {
    const block = snappy.compressSync(chunk);
    parts.push(int32(block.length), block);
  }
  return Buffer.concat(parts);
}

test("a hand-built xerial frame of several chunks decodes to their concatenation", () => {
  const random = seededRandom(11);
  const chunks = [random.compressibleBytes(32 * 1024), Buffer.from("middle"), random.bytes(1000)];
  const frame = xerialFrame(chunks);
  assert.ok(isXerialSnappy(frame));
  assert.deepEqual(snappyDecompress(frame, 1 << 20), Buffer.concat(chunks));
});

test("xerial frames with no chunks and with other header versions decode", () => {
  assert.deepEqual(snappyDecompress(xerialFrame([]), 10), Buffer.alloc(0));
  assert.deepEqual(snappyDecompress(xerialFrame([Buffer.from("abc")], 1, 0), 10), Buffer.from("abc"));
});

test("our xerial encoder writes the header and 32 KiB chunks a Java client reads", () => {
  const input = seededRandom(12).compressibleBytes(70_000);
  const frame = snappyCompress(input, "xerial");
  assert.deepEqual(frame.subarray(0, 8), XERIAL_MAGIC);
  assert.equal(frame.readInt32BE(8), 1);
  assert.equal(frame.readInt32BE(12), 1);
  let position = 16;
  let chunks = 0;
  while (position < frame.length) {
    position += 4 + frame.readInt32BE(position);
    chunks++;
  }
  assert.equal(position, frame.length);
  assert.equal(chunks, 3);
  assert.deepEqual(snappyDecompress(frame, input.length), input);
});

test("raw snappy is not mistaken for xerial", () => {
  const raw = snappyCompress(Buffer.from("plain"), "raw");
  assert.equal(isXerialSnappy(raw), false);
  assert.deepEqual(snappyDecompress(raw, 5), Buffer.from("plain"));
});

test("a raw preamble announcing a huge output is refused before decoding", () => {
  // preamble 0xffffffff, then one literal byte
  assertCodecError(
    () => snappyDecompress(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0x61]), 1 << 20),
    "DECOMPRESSED_TOO_LARGE",
  );
});

test("xerial chunks are bounded in total", () => {
  const frame = xerialFrame([Buffer.alloc(600_000), Buffer.alloc(600_000)]);
  assertCodecError(() => snappyDecompress(frame, 1_000_000), "DECOMPRESSED_TOO_LARGE");
  assert.equal(snappyDecompress(frame, 1_200_000).length, 1_200_000);
});

test("malformed xerial frames throw CodecError", () => {
  const frame = xerialFrame([Buffer.from("some data"), Buffer.from("more data")]);
  // Cutting exactly after the header or after the first chunk leaves a shorter, valid frame.
  const chunkBoundaries = new Set([16, 16 + 4 + frame.readInt32BE(16)]);
  for (let length = 8; length < frame.length; length++) {
    if (chunkBoundaries.has(length)) continue;
    assertCodecError(() => snappyDecompress(frame.subarray(0, length), 100), undefined, `length ${length}`);
  }
  assert.deepEqual(snappyDecompress(frame.subarray(0, 16), 100), Buffer.alloc(0));
  const negative = Buffer.concat([frame.subarray(0, 16), int32(-5), Buffer.alloc(8)]);
  assertCodecError(() => snappyDecompress(negative, 100), "MALFORMED");
  const garbageChunk = Buffer.concat([frame.subarray(0, 16), int32(3), Buffer.from([0x05, 0xff, 0xff])]);
  assertCodecError(() => snappyDecompress(garbageChunk, 100), "CORRUPT_RECORD");
});
