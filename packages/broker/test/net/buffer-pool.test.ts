import assert from "node:assert/strict";
import { test } from "node:test";
import { BufferPool } from "../../src/net/buffer-pool.ts";

test("a released buffer is reused for the next request of its size class", () => {
  const pool = new BufferPool();
  const first = pool.allocate(100_000);
  assert.equal(first.length, 100_000);
  pool.release(first.subarray(5)); // any slice gives the whole buffer back
  assert.equal(pool.idleBytes, 131_072);
  const second = pool.allocate(70_000);
  assert.equal(second.buffer, first.buffer);
  assert.equal(pool.idleBytes, 0);
});

test("small, oversized and foreign buffers are never pooled; a double release is ignored", () => {
  const pool = new BufferPool({ maxBufferBytes: 1 << 20 });
  const small = pool.allocate(1000);
  const large = pool.allocate((1 << 20) + 1);
  pool.release(small);
  pool.release(large);
  pool.release(Buffer.alloc(200_000));
  assert.equal(pool.idleBytes, 0);
  const lent = pool.allocate(65_536);
  pool.release(lent);
  pool.release(lent);
  assert.equal(pool.idleBytes, 65_536);
});

test("free bytes stay within maxFreeBytes", () => {
  const pool = new BufferPool({ maxFreeBytes: 200_000 });
  const buffers = [
    pool.allocate(65_536),
    pool.allocate(65_536),
    pool.allocate(65_536),
    pool.allocate(65_536),
  ];
  for (const b of buffers) pool.release(b);
  assert.equal(pool.idleBytes, 3 * 65_536);
});

test("a released buffer displaces free buffers of other sizes when the budget is full", () => {
  const pool = new BufferPool({ maxFreeBytes: 4 * 65_536 });
  const small = [pool.allocate(65_536), pool.allocate(65_536), pool.allocate(65_536), pool.allocate(65_536)];
  for (const b of small) pool.release(b);
  assert.equal(pool.idleBytes, 4 * 65_536);
  const large = pool.allocate(2 * 65_536);
  pool.release(large);
  assert.equal(pool.idleBytes, 4 * 65_536, "two small ones made room for the large one");
  assert.equal(pool.allocate(2 * 65_536).buffer, large.buffer);
  const sameClass = [pool.allocate(65_536), pool.allocate(65_536), pool.allocate(65_536)];
  assert.equal(sameClass.length, 3);
  assert.equal(pool.idleBytes, 0);
});
