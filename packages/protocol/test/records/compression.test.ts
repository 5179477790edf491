import assert from "node:assert/strict";
import { test } from "node:test";
import { CompressionType } from "../../src/records/attributes.ts";
import { compress, decompress } from "../../src/records/compression.ts";
import { assertCodecError, assertOnlyCodecError, seededRandom } from "./helpers.ts";

const codecs = [
  ["none", CompressionType.NONE],
  ["gzip", CompressionType.GZIP],
  ["snappy", CompressionType.SNAPPY],
  ["lz4", CompressionType.LZ4],
  ["zstd", CompressionType.ZSTD],
] as const;

const MiB = 1024 * 1024;

for (const [name, codec] of codecs) {
  test(`${name}: compress/decompress round-trips`, () => {
    const random = seededRandom(codec + 1);
    const inputs = [
      Buffer.alloc(0),
      Buffer.from("x"),
      random.bytes(1000),
      random.compressibleBytes(300_000), // several LZ4 blocks and xerial chunks
    ];
    for (const input of inputs) {
      const packed = compress(codec, input);
      assert.deepEqual(decompress(codec, packed, input.length), input, `${input.length} bytes`);
    }
  });

  test(`${name}: output above maxOutputBytes is refused`, () => {
    const input = Buffer.alloc(10 * MiB);
    const packed = compress(codec, input);
    if (codec !== CompressionType.NONE)
      assert.ok(packed.length < 600 * 1024, `${packed.length} bytes compressed`);
    assertCodecError(() => decompress(codec, packed, MiB), "DECOMPRESSED_TOO_LARGE");
    assertCodecError(() => decompress(codec, packed, input.length - 1), "DECOMPRESSED_TOO_LARGE");
    assert.equal(decompress(codec, packed, input.length).length, input.length);
  });

  if (codec !== CompressionType.NONE) {
    test(`${name}: truncated and random input throws only CodecError`, () => {
      const random = seededRandom(100 + codec);
      const packed = compress(codec, random.compressibleBytes(5000));
      for (let length = 0; length < packed.length; length += 1 + random.int(7)) {
        assertCodecError(
          () => decompress(codec, packed.subarray(0, length), 10_000),
          undefined,
          `length ${length}`,
        );
      }
      for (let i = 0; i < 300; i++) {
        const noise = random.bytes(random.int(200));
        assertOnlyCodecError(() => decompress(codec, noise, 10_000), noise.toString("hex"));
        const mutated = Buffer.from(packed);
        const at = random.int(mutated.length);
        mutated[at] = mutated[at]! ^ (1 + random.int(255));
        assertOnlyCodecError(() => {
          const out = decompress(codec, mutated, 10_000);
          assert.ok(out.length <= 10_000);
        });
      }
    });
  }
}

test("codecs 5-7 are unsupported", () => {
  for (const codec of [5, 6, 7]) {
    assertCodecError(() => decompress(codec, Buffer.from([1, 2, 3]), 100), "UNSUPPORTED_COMPRESSION");
  }
});

test("compression levels are passed through", () => {
  const input = seededRandom(5).compressibleBytes(50_000);
  const fast = compress(CompressionType.GZIP, input, { level: 1 });
  const best = compress(CompressionType.GZIP, input, { level: 9 });
  assert.notDeepEqual(fast, best);
  assert.deepEqual(decompress(CompressionType.GZIP, best, input.length), input);
  const zstd = compress(CompressionType.ZSTD, input, { level: 19 });
  assert.deepEqual(decompress(CompressionType.ZSTD, zstd, input.length), input);
});

test("snappy writes raw by default and xerial when asked", () => {
  const input = Buffer.from("hello hello hello");
  assert.equal(
    compress(CompressionType.SNAPPY, input)[0],
    input.length,
    "raw starts with the length preamble",
  );
  const xerial = compress(CompressionType.SNAPPY, input, { snappyFormat: "xerial" });
  assert.equal(xerial.subarray(1, 7).toString("latin1"), "SNAPPY");
  assert.deepEqual(decompress(CompressionType.SNAPPY, xerial, 100), input);
});

test("lz4 writes the frame format", () => {
  const packed = compress(CompressionType.LZ4, Buffer.from("frame"));
  assert.deepEqual(packed.subarray(0, 4), Buffer.from([0x04, 0x22, 0x4d, 0x18]));
});
