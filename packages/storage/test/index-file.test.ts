import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { OffsetIndex } from "../src/offset-index.ts";

const tenMiB = 10 * 1024 * 1024;

async function tempPath(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "nagare-index-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return join(dir, "00000000000000000000.index");
}

test("memory follows the entries, not segment.index.bytes: it grows on append and shrinks on trim", async (t) => {
  const path = await tempPath(t);
  const index = await OffsetIndex.open(path, 0n, tenMiB);
  t.after(() => index.index.close());
  assert.equal(index.index.maxEntries, tenMiB / 8);
  assert.ok(index.index.view.length <= 64 * 8, `starts with ${index.index.view.length} bytes`);
  await index.index.preallocate();
  for (let i = 1; i <= 1000; i++) index.append(BigInt(i * 10), i * 100);
  assert.ok(index.index.view.length >= 1000 * 8 && index.index.view.length < 4096 * 8);
  assert.deepEqual(index.lookup(5005n), { offset: 5000n, position: 50000 });
  assert.deepEqual(index.lookup(10_000n), { offset: 10_000n, position: 100_000 });
  await index.index.trim();
  assert.equal(index.index.view.length, 1000 * 8);
  index.append(10_010n, 100_100); // a trimmed index that becomes active again grows again
  assert.deepEqual(index.lookup(20_000n), { offset: 10_010n, position: 100_100 });
});

test("a flush after a truncation zeroes the dropped entries in the preallocated file", async (t) => {
  const path = await tempPath(t);
  const index = await OffsetIndex.open(path, 0n, 4096);
  t.after(() => index.index.close());
  await index.index.preallocate();
  for (let i = 1; i <= 10; i++) index.append(BigInt(i * 10), i * 100);
  await index.index.flush(false);
  index.truncateTo(40n); // keeps the entries for 10, 20, 30
  await index.index.flush(false);
  // What a restart after a crash would read: the preallocated file as it is.
  const reread = await OffsetIndex.open(path, 0n, 4096);
  t.after(() => reread.index.close());
  assert.equal(reread.entries, 3);
  assert.deepEqual(reread.lastEntry(), { offset: 30n, position: 300 });
});
