import assert from "node:assert/strict";
import { test } from "node:test";
import { OffsetMap } from "../../src/cleaner/offset-map.ts";

test("the offset map keeps the latest offset per key", () => {
  const map = new OffsetMap(64);
  assert.equal(map.get(Buffer.from("a")), undefined);
  assert.equal(map.put(Buffer.from("a"), 1n), true);
  assert.equal(map.put(Buffer.from("b"), 2n), true);
  assert.equal(map.put(Buffer.from("a"), 3n), true);
  assert.equal(map.get(Buffer.from("a")), 3n);
  assert.equal(map.get(Buffer.from("b")), 2n);
  assert.equal(map.get(Buffer.from("")), undefined);
  assert.equal(map.put(Buffer.alloc(0), 0n), true, "an empty key is a key");
  assert.equal(map.get(Buffer.alloc(0)), 0n);
  assert.equal(map.size, 3);
});

test("the offset map refuses new keys at its load factor but still updates known ones", () => {
  const map = new OffsetMap(10);
  assert.equal(map.capacity, 9);
  for (let i = 0; i < 9; i++) assert.equal(map.put(Buffer.from(`k${i}`), BigInt(i)), true);
  assert.equal(map.put(Buffer.from("one too many"), 100n), false);
  assert.equal(map.get(Buffer.from("one too many")), undefined);
  assert.equal(map.put(Buffer.from("k3"), 50n), true);
  assert.equal(map.get(Buffer.from("k3")), 50n);
  for (let i = 0; i < 9; i++) if (i !== 3) assert.equal(map.get(Buffer.from(`k${i}`)), BigInt(i));
});

test("the offset map agrees with a Map over many colliding slots", () => {
  const map = new OffsetMap(OffsetMap.slotsFor(24 * 4000));
  const model = new Map<string, bigint>();
  let seed = 1;
  for (let i = 0; i < 20_000; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const key = `key-${seed % 3500}`;
    assert.equal(map.put(Buffer.from(key), BigInt(i)), true);
    model.set(key, BigInt(i));
  }
  assert.equal(map.size, model.size);
  for (const [key, offset] of model) assert.equal(map.get(Buffer.from(key)), offset);
  assert.equal(map.get(Buffer.from("absent")), undefined);
});
