import assert from "node:assert/strict";
import { test } from "node:test";
import { crc32c, crc32cNative, crc32cSoftware } from "../../src/records/crc32c.ts";
import { seededRandom } from "./helpers.ts";

const implementations = [
  ["software", crc32cSoftware],
  ["native", crc32cNative],
  ["selected", crc32c],
] as const;

// Check values: the CRC catalogue's "123456789" and the iSCSI vectors of RFC 3720 §B.4.
const vectors: [string, Buffer, number][] = [
  ["123456789", Buffer.from("123456789", "ascii"), 0xe3069283],
  ["empty", Buffer.alloc(0), 0],
  ["32 zeros", Buffer.alloc(32, 0x00), 0x8a9136aa],
  ["32 x 0xff", Buffer.alloc(32, 0xff), 0x62a8ab43],
  ["0..31", Buffer.from(Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e],
  ["31..0", Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c],
];

test("the native module loads on linux-x64, where its binary ships", () => {
  if (process.platform === "linux" && process.arch === "x64") assert.notEqual(crc32cNative, null);
});

for (const [name, fn] of implementations) {
  test(`${name} CRC-32C matches known vectors`, { skip: fn === null }, () => {
    for (const [label, input, expected] of vectors) assert.equal(fn!(input), expected, label);
  });

  test(`${name} CRC-32C continues from a previous value`, { skip: fn === null }, () => {
    const random = seededRandom(7);
    for (let i = 0; i < 50; i++) {
      const data = random.bytes(random.int(300));
      const cut = random.int(data.length + 1);
      assert.equal(fn!(data.subarray(cut), fn!(data.subarray(0, cut))), fn!(data));
    }
  });
}

test("native and software CRC-32C agree on random inputs at random alignments", {
  skip: crc32cNative === null,
}, () => {
  const random = seededRandom(42);
  const pool = random.bytes(5000);
  for (let i = 0; i < 500; i++) {
    const start = random.int(64);
    const data = pool.subarray(start, start + random.int(4000));
    assert.equal(crc32cSoftware(data), crc32cNative!(data), `length ${data.length} at ${start}`);
  }
});

test("CRC-32C results are unsigned 32-bit numbers", () => {
  const value = crc32cSoftware(Buffer.from("123456789"));
  assert.ok(value > 0x7fffffff, "the check value has its top bit set");
  assert.equal(crc32c(Buffer.from("123456789")), value);
});
