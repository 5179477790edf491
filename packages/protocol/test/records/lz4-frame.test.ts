import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import { lz4Compress, lz4Decompress, lz4FrameDecodedSize } from "../../src/records/lz4-frame.ts";
import { assertCodecError, seededRandom } from "./helpers.ts";

// Frame descriptor with FLG 0x60 (version 01, independent blocks, no checksums, no content size)
// and BD 0x40 (64 KiB blocks); 0x82 is its header checksum (second byte of xxh32 of FLG BD).
const DESCRIPTOR = Buffer.from([0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, 0x82]);
const END_MARK = Buffer.alloc(4);

const lz4Native = createRequire(import.meta.url)("lz4-napi") as {
  compressFrameSync(data: Buffer, options?: { blockChecksums?: boolean; contentChecksum?: boolean }): Buffer;
};

function blockWord(size: number, uncompressed: boolean): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE((size | (uncompressed ? 0x80000000 : 0)) >>> 0, 0);
  return b;
}

test("the frame walk computes the exact decoded size", () => {
  const random = seededRandom(21);
  for (const input of [
    Buffer.alloc(0),
    Buffer.from("a"),
    random.bytes(70_000),
    random.compressibleBytes(1_000_000),
    Buffer.alloc(300_000, 9),
  ]) {
    const frame = lz4Compress(input);
    assert.equal(lz4FrameDecodedSize(frame, Number.MAX_SAFE_INTEGER), input.length);
    assert.deepEqual(lz4Decompress(frame, input.length), input);
  }
});

test("frames with block and content checksums are walked and decoded", () => {
  const input = seededRandom(22).compressibleBytes(200_000);
  const frame = lz4Native.compressFrameSync(input, { blockChecksums: true, contentChecksum: true });
  assert.equal(frame[4]! & 0x14, 0x14, "both checksum flags are set");
  assert.equal(lz4FrameDecodedSize(frame, input.length), input.length);
  assert.deepEqual(lz4Decompress(frame, input.length), input);
  const corrupt = Buffer.from(frame);
  corrupt[frame.length - 1] = corrupt[frame.length - 1]! ^ 0xff;
  assertCodecError(() => lz4Decompress(corrupt, input.length), "CORRUPT_RECORD");
});

test("a hand-built frame with an uncompressed block and a compressed block decodes", () => {
  // Compressed block: token 0x3f = 3 literals "abc", match length 15 + extension 5 + 4 = 24,
  // offset 3 (repeat "abc"), then a final literals-only sequence: token 0x20, "xy".
  const block = Buffer.from([0x3f, 0x61, 0x62, 0x63, 0x03, 0x00, 0x05, 0x20, 0x78, 0x79]);
  const frame = Buffer.concat([
    DESCRIPTOR,
    blockWord(5, true),
    Buffer.from("hello"),
    blockWord(block.length, false),
    block,
    END_MARK,
  ]);
  const expected = Buffer.concat([Buffer.from("hello"), Buffer.from("abc".repeat(9)), Buffer.from("xy")]);
  assert.equal(lz4FrameDecodedSize(frame, 1000), expected.length);
  assert.deepEqual(lz4Decompress(frame, 1000), expected);
  assertCodecError(() => lz4Decompress(frame, expected.length - 1), "DECOMPRESSED_TOO_LARGE");
});

test("a frame is refused when it would exceed the bound, before decompressing", () => {
  const frame = lz4Compress(Buffer.alloc(8 * 1024 * 1024));
  assert.ok(frame.length < 64 * 1024);
  assertCodecError(() => lz4Decompress(frame, 1024 * 1024), "DECOMPRESSED_TOO_LARGE");
});

test("an announced content size above the bound is refused", () => {
  // FLG 0x68 adds the content-size field; the header checksum is never reached.
  const header = Buffer.from([0x04, 0x22, 0x4d, 0x18, 0x68, 0x40]);
  const contentSize = Buffer.alloc(8);
  contentSize.writeBigUInt64LE(1n << 40n, 0);
  const frame = Buffer.concat([header, contentSize, Buffer.from([0x00]), END_MARK]);
  assertCodecError(() => lz4FrameDecodedSize(frame, 1 << 20), "DECOMPRESSED_TOO_LARGE");
});

test("block format, trailing bytes, a missing end mark and bad descriptors are rejected", () => {
  const frame = lz4Compress(Buffer.from("some text to compress, some text to compress"));
  assertCodecError(() => lz4Decompress(frame.subarray(4), 1000), "CORRUPT_RECORD");
  assertCodecError(() => lz4Decompress(Buffer.concat([frame, Buffer.from([1])]), 1000), "CORRUPT_RECORD");
  assertCodecError(() => lz4Decompress(frame.subarray(0, frame.length - 4), 1000), "TRUNCATED");
  const badVersion = Buffer.from(frame);
  badVersion[4] = 0xa0;
  assertCodecError(() => lz4Decompress(badVersion, 1000), "CORRUPT_RECORD");
  const badBlockSize = Buffer.from(frame);
  badBlockSize[5] = 0x30;
  assertCodecError(() => lz4Decompress(badBlockSize, 1000), "CORRUPT_RECORD");
  const badChecksum = Buffer.from(frame);
  badChecksum[6] = badChecksum[6]! ^ 0xff;
  assertCodecError(() => lz4Decompress(badChecksum, 1000), "CORRUPT_RECORD");
});

test("blocks whose sequences overrun are rejected", () => {
  // literal length 15 + 255 + ... running past the block
  const overrun = Buffer.from([0xf0, 0xff, 0xff]);
  const frame = Buffer.concat([DESCRIPTOR, blockWord(overrun.length, false), overrun, END_MARK]);
  assertCodecError(() => lz4FrameDecodedSize(frame, 1000), "CORRUPT_RECORD");
  // match offset 0
  const zeroOffset = Buffer.from([0x10, 0x61, 0x00, 0x00, 0x10, 0x62]);
  const frame2 = Buffer.concat([DESCRIPTOR, blockWord(zeroOffset.length, false), zeroOffset, END_MARK]);
  assertCodecError(() => lz4FrameDecodedSize(frame2, 1000), "CORRUPT_RECORD");
});
