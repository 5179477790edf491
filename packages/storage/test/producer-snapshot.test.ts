// Producer snapshots: round trip, every kind of corruption detected, leftovers removed.

import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import {
  CorruptSnapshotError,
  decodeSnapshot,
  encodeSnapshot,
  listSnapshots,
  readSnapshot,
  snapshotPath,
  writeSnapshot,
} from "../src/producer-snapshot.ts";
import type { ProducerEntry } from "../src/producer-state.ts";
import { tempDir } from "./support/fixtures.ts";

const entries: ProducerEntry[] = [
  {
    producerId: 42n,
    epoch: 3,
    batches: Array.from({ length: 5 }, (_, i) => ({
      firstSeq: i * 10,
      lastSeq: i * 10 + 9,
      firstOffset: BigInt(100 + i * 10),
      lastOffset: BigInt(109 + i * 10),
      maxTimestamp: 1_700_000_000_000n + BigInt(i),
    })),
    coordinatorEpoch: 7,
    lastTimestamp: 1_700_000_000_004n,
    currentTxnFirstOffset: 140n,
  },
  {
    producerId: 9n,
    epoch: 0,
    batches: [],
    coordinatorEpoch: -1,
    lastTimestamp: -1n,
    currentTxnFirstOffset: undefined,
  },
];

test("a snapshot decodes to what was encoded", () => {
  assert.deepEqual(decodeSnapshot(encodeSnapshot(150n, entries), 150n), entries);
  assert.deepEqual(decodeSnapshot(encodeSnapshot(0n, []), 0n), []);
});

test("a wrong version, CRC, offset or length is corrupt", () => {
  const bytes = encodeSnapshot(150n, entries);
  const corrupt = (mutate: (b: Buffer) => Buffer, offset = 150n) =>
    assert.throws(() => decodeSnapshot(mutate(Buffer.from(bytes)), offset), CorruptSnapshotError);
  corrupt((b) => {
    b.writeInt16BE(2, 0);
    return b;
  });
  corrupt((b) => {
    b[b.length - 1] = (b[b.length - 1] as number) ^ 1;
    return b;
  });
  corrupt((b) => b, 151n);
  corrupt((b) => b.subarray(0, b.length - 4));
  corrupt((b) => b.subarray(0, 10));
  corrupt(() => Buffer.alloc(0));
});

test("files are written through .tmp; listing removes leftovers and sorts", async (t) => {
  const dir = await tempDir(t);
  await writeSnapshot(dir, 200n, entries, true);
  await writeSnapshot(dir, 30n, [], false);
  await writeFile(`${snapshotPath(dir, 300n)}.tmp`, "partial");
  assert.deepEqual(await listSnapshots(dir), [30n, 200n]);
  assert.deepEqual((await readdir(dir)).sort(), [
    "00000000000000000030.snapshot",
    "00000000000000000200.snapshot",
  ]);
  assert.deepEqual(await readSnapshot(dir, 200n), entries);
  // A file renamed to another offset does not load as that offset.
  await writeFile(snapshotPath(dir, 201n), await readFile(join(dir, "00000000000000000200.snapshot")));
  await assert.rejects(readSnapshot(dir, 201n), CorruptSnapshotError);
});
