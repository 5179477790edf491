import assert from "node:assert/strict";
import { test } from "node:test";
import { keyPartition, murmur2, StickyPartitions, toPositive } from "../../src/producer/partitioner.ts";

test("murmur2 gives Java's Utils.murmur2 values (Kafka's UtilsTest.testMurmur2 vectors)", () => {
  const cases: [Uint8Array, number][] = [
    [Buffer.from("21"), -973932308],
    [Buffer.from("foobar"), -790332482],
    [Buffer.from("a-little-bit-long-string"), -985981536],
    [Buffer.from("a-little-bit-longer-string"), -1486304829],
    [Buffer.from("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8"), -58897971],
    [new Uint8Array([0x61, 0x62, 0x63]), 479470107],
  ];
  for (const [data, expected] of cases) assert.equal(murmur2(data), expected, Buffer.from(data).toString());
});

test("bytes above 0x7f are taken unsigned, as Java's & 0xff", () => {
  // Hashes of non-ASCII keys must not depend on the sign of the bytes: compare with a reference
  // that reads little-endian words through a DataView.
  const data = Buffer.from([0xff, 0x80, 0x00, 0xfe, 0x91, 0xc3, 0x7f]);
  const reference = (bytes: Uint8Array): number => {
    const m = 0x5bd1e995;
    let h = 0x9747b28c ^ bytes.length;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const whole = bytes.length & ~3;
    for (let i = 0; i < whole; i += 4) {
      let k = view.getInt32(i, true);
      k = Math.imul(k, m);
      k ^= k >>> 24;
      h = Math.imul(h, m) ^ Math.imul(k, m);
    }
    const rest = bytes.length & 3;
    if (rest === 3) h ^= (bytes[whole + 2] ?? 0) << 16;
    if (rest >= 2) h ^= (bytes[whole + 1] ?? 0) << 8;
    if (rest >= 1) h = Math.imul(h ^ (bytes[whole] ?? 0), m);
    h ^= h >>> 13;
    h = Math.imul(h, m);
    return (h ^ (h >>> 15)) | 0;
  };
  assert.equal(murmur2(data), reference(data));
  assert.equal(murmur2(new Uint8Array(0)), reference(new Uint8Array(0)));
});

test("keyed partition = toPositive(murmur2(key)) % partitions, as Java's BuiltInPartitioner", () => {
  assert.equal(toPositive(-973932308), -973932308 & 0x7fffffff);
  assert.equal(toPositive(-2147483648), 0, "MIN_VALUE maps to 0, not to a negative abs()");
  // "21" hashes to -973932308: toPositive → 1173551340; % 4 = 0, % 3 = 0, % 7 = 4.
  assert.equal(keyPartition(Buffer.from("21"), 4), 1173551340 % 4);
  assert.equal(keyPartition(Buffer.from("21"), 7), 1173551340 % 7);
  assert.equal(keyPartition(Buffer.from("foobar"), 10), (-790332482 & 0x7fffffff) % 10);
  for (let i = 0; i < 100; i++) {
    const p = keyPartition(Buffer.from(`key-${i}`), 6);
    assert.ok(p >= 0 && p < 6);
    assert.equal(keyPartition(Buffer.from(`key-${i}`), 6), p, "stable");
  }
});

test("sticky partitioning keeps a topic on one partition until its batch closes, then moves on", () => {
  let next = 0;
  const draws = [0.1, 0.9, 0.5, 0.0];
  const sticky = new StickyPartitions(() => draws[next++ % draws.length] as number);
  const first = sticky.partition("t", 4);
  for (let i = 0; i < 10; i++) assert.equal(sticky.partition("t", 4), first, "sticks");
  assert.equal(sticky.partition("other", 4), sticky.partition("other", 4), "per topic");
  sticky.batchClosed("t", (first + 1) % 4); // another partition's batch: no switch
  assert.equal(sticky.partition("t", 4), first);
  const seen = new Set([first]);
  let current = first;
  for (let i = 0; i < 20; i++) {
    sticky.batchClosed("t", current);
    const moved = sticky.partition("t", 4);
    assert.notEqual(moved, current, "a switch never lands on the partition just left");
    current = moved;
    seen.add(moved);
  }
  assert.ok(seen.size > 1);
});

test("sticky partitioning prefers partitions with a leader, and copes with one partition", () => {
  const sticky = new StickyPartitions();
  for (let i = 0; i < 20; i++) {
    const p = sticky.partition("t", 6, [2, 5]);
    assert.ok(p === 2 || p === 5, `picked ${p}`);
    sticky.batchClosed("t", p);
  }
  const single = new StickyPartitions();
  assert.equal(single.partition("s", 1), 0);
  single.batchClosed("s", 0);
  assert.equal(single.partition("s", 1), 0);
});
