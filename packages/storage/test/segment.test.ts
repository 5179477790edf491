import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { BatchHeader, encodeMessages } from "@nagare/protocol/records";
import { type AppendedBatch, LogSegment } from "../src/segment.ts";

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "nagare-segment-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Batches of `count` records each with offsets assigned from `from`, and what append needs. */
function batches(from: bigint, shapes: number[]): { buffer: Buffer; appended: AppendedBatch[] } {
  const parts: Buffer[] = [];
  const appended: AppendedBatch[] = [];
  let offset = from;
  let position = 0;
  for (const count of shapes) {
    const bytes = encodeMessages(
      Array.from({ length: count }, (_, i) => ({
        key: `k${i}`,
        value: "x".repeat(100),
        timestamp: 1000n + offset + BigInt(i),
      })),
    );
    const header = new BatchHeader(bytes);
    header.baseOffset = offset;
    appended.push({
      position,
      size: bytes.length,
      baseOffset: offset,
      lastOffset: header.lastOffset,
      maxTimestamp: header.maxTimestamp,
    });
    parts.push(bytes);
    position += bytes.length;
    offset = header.lastOffset + 1n;
  }
  return { buffer: Buffer.concat(parts), appended };
}

test("append indexes every index.interval.bytes, locate finds the batch containing an offset", async (t) => {
  const dir = await tempDir(t);
  const segment = await LogSegment.open(dir, 50n, { indexIntervalBytes: 300, segmentIndexBytes: 1024 });
  const { buffer, appended } = batches(50n, [2, 2, 2, 2, 2, 2, 2, 2]);
  await segment.append(buffer, appended);
  assert.equal(segment.size, buffer.length);
  assert.equal(segment.nextOffset, 66n);
  assert.ok(segment.offsetIndex.entries >= 2 && segment.offsetIndex.entries < appended.length);
  assert.equal(segment.maxTimestamp, 1000n + 65n);
  for (const offset of [50n, 51n, 57n, 65n]) {
    const found = await segment.locate(offset);
    const expected = appended.find((b) => b.baseOffset <= offset && offset <= b.lastOffset);
    assert.equal(found?.position, expected?.position, `offset ${offset}`);
  }
  assert.equal(await segment.locate(66n), undefined);
  await segment.close();
  assert.deepEqual((await readdir(dir)).sort(), [
    "00000000000000000050.index",
    "00000000000000000050.log",
    "00000000000000000050.timeindex",
  ]);
});

test("locate answers from the latest appends as a header scan would, older offsets from the file", async (t) => {
  const dir = await tempDir(t);
  const options = { indexIntervalBytes: 300, segmentIndexBytes: 1024 };
  const segment = await LogSegment.open(dir, 0n, options);
  // 100 batches: more than the segment remembers, so the first ones are found by scanning.
  const { buffer, appended } = batches(
    0n,
    Array.from({ length: 100 }, () => 2),
  );
  for (const batch of appended)
    await segment.append(buffer.subarray(batch.position, batch.position + batch.size), [
      { ...batch, position: 0 },
    ]);
  const reopened = await LogSegment.open(dir, 0n, options);
  await reopened.load(); // no remembered batches: every answer comes from the file
  t.after(() => reopened.close());
  for (const offset of [0n, 3n, 101n, 150n, 199n]) {
    const expected = await reopened.locate(offset);
    assert.deepEqual(await segment.locate(offset), expected, `offset ${offset}`);
    // A reader bounded below the batch's end does not get it.
    if (expected) assert.equal((await segment.locate(offset, expected.position))?.position, undefined);
  }
  assert.equal(await segment.locate(200n), undefined);
  await segment.truncateTo(150n);
  assert.equal(await segment.locate(150n), undefined);
  assert.equal((await segment.locate(149n))?.baseOffset, 148n);
  await segment.close();
});

test("truncateTo removes the batch containing the offset and everything after; load restores state", async (t) => {
  const dir = await tempDir(t);
  const options = { indexIntervalBytes: 200, segmentIndexBytes: 1024 };
  const segment = await LogSegment.open(dir, 0n, options);
  const { buffer, appended } = batches(0n, [3, 3, 3, 3]);
  await segment.append(buffer, appended);
  const removed = await segment.truncateTo(7n); // batch 6..8 contains 7
  assert.equal(removed, buffer.length - (appended[2] as AppendedBatch).position);
  assert.equal(segment.nextOffset, 6n);
  assert.equal(segment.maxTimestamp, 1005n);
  await segment.close();
  const reopened = await LogSegment.open(dir, 0n, options);
  await reopened.load();
  assert.equal(reopened.nextOffset, 6n);
  assert.equal(reopened.size, (appended[2] as AppendedBatch).position);
  assert.equal(reopened.maxTimestamp, 1005n);
  await reopened.close();
});

test("rebuildIndexes recreates the same index entries from the log alone", async (t) => {
  const dir = await tempDir(t);
  const options = { indexIntervalBytes: 250, segmentIndexBytes: 1024 };
  const segment = await LogSegment.open(dir, 0n, options);
  const { buffer, appended } = batches(0n, [1, 2, 3, 1, 2, 3, 1, 2]);
  await segment.append(buffer, appended);
  const before = Array.from({ length: segment.offsetIndex.entries }, (_, i) => segment.offsetIndex.entry(i));
  await segment.rebuildIndexes();
  const after = Array.from({ length: segment.offsetIndex.entries }, (_, i) => segment.offsetIndex.entry(i));
  assert.deepEqual(after, before);
  assert.equal(segment.nextOffset, 15n);
  await segment.close();
});

test("delete waits for readers that retained the segment and leaves no files", async (t) => {
  const dir = await tempDir(t);
  const segment = await LogSegment.open(dir, 0n, { indexIntervalBytes: 4096, segmentIndexBytes: 1024 });
  const { buffer, appended } = batches(0n, [2]);
  await segment.append(buffer, appended);
  assert.equal(segment.retain(), true);
  const deleting = segment.delete();
  assert.equal(segment.retain(), false); // no new readers once deletion started
  const bytes = await segment.readAt(0, 61); // the retained reader still reads
  assert.equal(new BatchHeader(bytes).baseOffset, 0n);
  segment.release();
  await deleting;
  assert.deepEqual(await readdir(dir), []);
});
