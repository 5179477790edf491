import assert from "node:assert/strict";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { OffsetIndex } from "../src/offset-index.ts";
import { TimeIndex } from "../src/time-index.ts";

async function tempFile(t: { after: (fn: () => Promise<void>) => void }, name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "nagare-index-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return join(dir, name);
}

test("offset index: floor lookup, truncation, persistence and the full flag", async (t) => {
  const path = await tempFile(t, "00000000000000000100.index");
  const index = await OffsetIndex.open(path, 100n, 8 * 4);
  assert.deepEqual(index.lookup(150n), { offset: 100n, position: 0 }); // empty: start of segment
  index.append(110n, 1000);
  index.append(120n, 2000);
  index.append(130n, 3000);
  assert.deepEqual(index.lookup(109n), { offset: 100n, position: 0 });
  assert.deepEqual(index.lookup(110n), { offset: 110n, position: 1000 });
  assert.deepEqual(index.lookup(129n), { offset: 120n, position: 2000 });
  assert.deepEqual(index.lookup(10_000n), { offset: 130n, position: 3000 });
  assert.equal(index.isFull, false);
  index.append(140n, 4000);
  assert.equal(index.isFull, true);
  index.truncateTo(125n); // drops entries for offsets ≥ 125
  assert.equal(index.entries, 2);
  assert.deepEqual(index.lookup(10_000n), { offset: 120n, position: 2000 });
  await index.index.close();
  assert.equal((await stat(path)).size, 2 * 8); // trimmed to its entries
  const reopened = await OffsetIndex.open(path, 100n, 8 * 4);
  assert.equal(reopened.entries, 2);
  assert.deepEqual(reopened.lastEntry(), { offset: 120n, position: 2000 });
  await reopened.index.close();
});

test("offset index: a preallocated file after a crash is read up to its zero fill", async (t) => {
  const path = await tempFile(t, "00000000000000000000.index");
  const index = await OffsetIndex.open(path, 0n, 8 * 100);
  await index.index.preallocate();
  index.append(5n, 100);
  index.append(9n, 200);
  await index.index.flush(false);
  assert.equal((await stat(path)).size, 8 * 100);
  // no close: simulate a crash, the file keeps its preallocated length
  const reopened = await OffsetIndex.open(path, 0n, 8 * 100);
  assert.equal(reopened.entries, 2);
  assert.deepEqual(reopened.lastEntry(), { offset: 9n, position: 200 });
  await reopened.index.close();
  await index.index.close();
});

test("time index: only growing timestamps are indexed; lookup gives where to start scanning", async (t) => {
  const path = await tempFile(t, "00000000000000000000.timeindex");
  const index = await TimeIndex.open(path, 0n, 12 * 10);
  index.maybeAppend(1000n, 3n);
  index.maybeAppend(900n, 5n); // not larger: ignored
  index.maybeAppend(2000n, 8n);
  index.maybeAppend(3000n, 12n);
  assert.equal(index.entries, 3);
  assert.equal(index.lookup(500n), 0n); // before every entry: scan from the base offset
  assert.equal(index.lookup(1000n), 0n); // first entry ≥ target is at 3: scan from before it
  assert.equal(index.lookup(1500n), 3n); // last entry with timestamp < target
  assert.equal(index.lookup(2500n), 8n);
  index.truncateTo(8n);
  assert.deepEqual(index.lastEntry(), { timestamp: 1000n, offset: 3n });
  await index.index.close();
});
