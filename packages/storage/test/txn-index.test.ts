// TxnIndex: Kafka's .txnindex format, lookups across entries, truncation, reopening a torn file.

import assert from "node:assert/strict";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { type AbortedTxn, TxnIndex, txnIndexEntrySize } from "../src/txn-index.ts";
import { tempDir } from "./support/fixtures.ts";

const txn = (producerId: bigint, firstOffset: bigint, lastOffset: bigint, lastStableOffset: bigint) => ({
  producerId,
  firstOffset,
  lastOffset,
  lastStableOffset,
});

test("entries are Kafka's 34-byte records; the file appears with the first entry", async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, "00000000000000000100.txnindex");
  const index = await TxnIndex.open(path, 100n);
  await assert.rejects(stat(path));
  await index.append(txn(7n, 90n, 105n, 106n));
  await index.append(txn(8n, 101n, 110n, 111n));
  await assert.rejects(index.append(txn(9n, 100n, 110n, 111n)), /not after the last entry/);
  await index.close();
  const bytes = await readFile(path);
  assert.equal(bytes.length, 2 * txnIndexEntrySize);
  assert.deepEqual(
    [
      bytes.readInt16BE(0),
      bytes.readBigInt64BE(2),
      bytes.readBigInt64BE(10),
      bytes.readBigInt64BE(18),
      bytes.readBigInt64BE(26),
    ],
    [0, 7n, 90n, 105n, 106n],
  );
  const reopened = await TxnIndex.open(path, 100n);
  assert.deepEqual(reopened.entries(), [txn(7n, 90n, 105n, 106n), txn(8n, 101n, 110n, 111n)]);
  await reopened.close();
});

test("collect returns overlapping transactions and stops once an entry's LSO reaches the bound", async (t) => {
  const dir = await tempDir(t);
  const index = await TxnIndex.open(join(dir, "x.txnindex"), 0n);
  await index.append(txn(1n, 0n, 5n, 3n)); // producer 2's transaction from 3 was still open
  await index.append(txn(2n, 3n, 9n, 10n));
  await index.append(txn(3n, 12n, 15n, 16n));
  const found: AbortedTxn[] = [];
  assert.equal(index.collect(6n, 10n, found), true); // the second entry's LSO 10 reaches the bound
  assert.deepEqual(found, [txn(2n, 3n, 9n, 10n)]);
  const all: AbortedTxn[] = [];
  assert.equal(index.collect(0n, 100n, all), false);
  assert.equal(all.length, 3);
  await index.truncateTo(9n);
  assert.deepEqual(index.entries(), [txn(1n, 0n, 5n, 3n)]);
  await index.close();
});

test("a torn or invalid tail is cut at open; renames follow the segment", async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, "a.txnindex");
  const index = await TxnIndex.open(path, 0n);
  await index.append(txn(1n, 0n, 5n, 6n));
  await index.append(txn(1n, 7n, 8n, 9n));
  await index.close();
  const bytes = await readFile(path);
  // A torn third entry, then an entry whose last offset goes backwards.
  await writeFile(path, Buffer.concat([bytes, bytes.subarray(0, 10)]));
  assert.equal((await TxnIndex.open(path, 0n)).length, 2);
  assert.equal((await stat(path)).size, 2 * txnIndexEntrySize);
  await writeFile(path, Buffer.concat([bytes, bytes.subarray(0, txnIndexEntrySize)]));
  const reopened = await TxnIndex.open(path, 0n);
  assert.equal(reopened.length, 2);
  await reopened.renameTo(join(dir, "b.txnindex"));
  await reopened.append(txn(2n, 9n, 12n, 13n));
  await reopened.close();
  assert.equal((await stat(join(dir, "b.txnindex"))).size, 3 * txnIndexEntrySize);
  // Renaming an index that has no file yet only changes its path.
  const empty = await TxnIndex.open(join(dir, "c.txnindex"), 0n);
  await empty.renameTo(join(dir, "d.txnindex"));
  assert.equal(empty.path, join(dir, "d.txnindex"));
});
