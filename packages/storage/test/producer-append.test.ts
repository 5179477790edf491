// Unit tests of the per-append producer checks (producer-append.ts): each rule on its own.

import assert from "node:assert/strict";
import { test } from "node:test";
import { ControlRecordType, encodeEndTxnMarkerBatch, encodeMessages } from "@nagare/protocol/records";
import {
  type AppendOrigin,
  analyzeProducerBatches,
  applyProducerAppend,
  type CompletedTxn,
  hasProducerBatch,
  incrementSequence,
} from "../src/producer-append.ts";
import { ProducerState } from "../src/producer-state.ts";
import type { AppendedBatch } from "../src/segment.ts";
import { StorageError } from "../src/storage-error.ts";

interface Shape {
  readonly pid?: bigint;
  readonly epoch?: number;
  readonly seq?: number;
  readonly count?: number;
  readonly txn?: boolean;
}

function data(shape: Shape): Buffer {
  return encodeMessages(
    Array.from({ length: shape.count ?? 1 }, (_, i) => ({ value: `v${i}`, timestamp: 1000n + BigInt(i) })),
    {
      producerId: shape.pid ?? 1n,
      producerEpoch: shape.epoch ?? 0,
      baseSequence: shape.seq ?? 0,
      isTransactional: shape.txn ?? false,
    },
  );
}

function marker(
  abort: boolean,
  options: { pid?: bigint; epoch?: number; coordinatorEpoch?: number } = {},
): Buffer {
  return encodeEndTxnMarkerBatch({
    type: abort ? ControlRecordType.ABORT : ControlRecordType.COMMIT,
    producerId: options.pid ?? 1n,
    producerEpoch: options.epoch ?? 0,
    coordinatorEpoch: options.coordinatorEpoch ?? 0,
    timestamp: 2000n,
  });
}

/** Appends `buffers` as one append at `offset`, like the log does: offsets patched, then checked. */
class Harness {
  readonly state = new ProducerState();
  offset = 0n;
  readonly completed: { txn: CompletedTxn; lso: bigint }[] = [];

  async append(buffers: Buffer[], origin: AppendOrigin = "client") {
    const records = Buffer.concat(buffers);
    const batches: AppendedBatch[] = [];
    let position = 0;
    let offset = this.offset;
    for (const b of buffers) {
      b.copy(records, position); // fresh copy, then patch the base offset
      records.writeBigInt64BE(offset, position);
      const count = b.readInt32BE(57);
      batches.push({
        position,
        size: b.length,
        baseOffset: offset,
        lastOffset: offset + BigInt(count - 1),
        maxTimestamp: b.readBigInt64BE(35),
      });
      offset += BigInt(count);
      position += b.length;
    }
    const append = analyzeProducerBatches(records, batches, this.state, origin);
    if (!append.duplicate) {
      await applyProducerAppend(append, this.state, async (txn, lso) => {
        this.completed.push({ txn, lso });
      });
      this.offset = offset;
    }
    return append;
  }

  async rejects(buffers: Buffer[], code: string, origin: AppendOrigin = "client") {
    await assert.rejects(
      this.append(buffers, origin),
      (e: unknown) => e instanceof StorageError && e.code === code,
    );
  }
}

test("hasProducerBatch reads one byte per batch", () => {
  const plain = encodeMessages([{ value: "x", timestamp: 1n }]);
  const both = Buffer.concat([plain, data({})]);
  assert.equal(
    hasProducerBatch(plain, [
      { position: 0, size: plain.length, baseOffset: 0n, lastOffset: 0n, maxTimestamp: 1n },
    ]),
    false,
  );
  assert.equal(
    hasProducerBatch(both, [
      { position: 0, size: plain.length, baseOffset: 0n, lastOffset: 0n, maxTimestamp: 1n },
      {
        position: plain.length,
        size: both.length - plain.length,
        baseOffset: 1n,
        lastOffset: 1n,
        maxTimestamp: 1n,
      },
    ]),
    true,
  );
});

test("sequences continue per epoch; a new epoch restarts at 0; int32 wraps to 0", async () => {
  const h = new Harness();
  await h.append([data({ seq: 5, count: 3 })]); // unknown producer: any sequence (KIP-360)
  assert.equal(h.state.get(1n)?.batches.at(-1)?.lastSeq, 7);
  await h.rejects([data({ seq: 9 })], "OUT_OF_ORDER_SEQUENCE_NUMBER");
  await h.rejects([data({ seq: 7 })], "OUT_OF_ORDER_SEQUENCE_NUMBER");
  await h.append([data({ seq: 8 }), data({ seq: 9, count: 2 })]);
  await h.rejects([data({ epoch: 1, seq: 3 })], "OUT_OF_ORDER_SEQUENCE_NUMBER");
  await h.append([data({ epoch: 1, seq: 0 })]);
  await h.rejects([data({ epoch: 0, seq: 1 })], "INVALID_PRODUCER_EPOCH");
  await h.rejects([data({ epoch: 1, seq: -1 })], "INVALID_RECORD");
  assert.equal(incrementSequence(2147483646, 3), 1);
  const w = new Harness();
  await w.append([data({ seq: 2147483646, count: 2 })]);
  assert.equal(w.state.get(1n)?.batches.at(-1)?.lastSeq, 2147483647);
  await w.append([data({ seq: 0, count: 2 })]);
  assert.equal(w.state.get(1n)?.batches.at(-1)?.lastSeq, 1);
});

test("a retry of one of the last five batches is a duplicate with its original offsets", async () => {
  const h = new Harness();
  for (let i = 0; i < 6; i++) await h.append([data({ seq: i * 2, count: 2 })]);
  const dup = await h.append([data({ seq: 4, count: 2 })]);
  assert.deepEqual(
    { first: dup.duplicate?.first.firstOffset, last: dup.duplicate?.last.lastOffset },
    { first: 4n, last: 5n },
  );
  // The first batch fell out of the five: not a duplicate, and out of sequence.
  await h.rejects([data({ seq: 0, count: 2 })], "OUT_OF_ORDER_SEQUENCE_NUMBER");
  // A different range of the same sequences is no duplicate either.
  await h.rejects([data({ seq: 4, count: 1 })], "OUT_OF_ORDER_SEQUENCE_NUMBER");
  await h.rejects([data({ seq: 10, count: 2 }), data({ seq: 12 })], "DUPLICATE_SEQUENCE_NUMBER");
  // Coordinator writes carry no sequences: never duplicates, never sequence-checked.
  await h.append([data({ seq: 4, count: 2 })], "coordinator");
  await h.append([data({ epoch: 0, seq: 99 })], "replication");
});

test("transactions start with a transactional batch and end with a marker; aborts report the LSO", async () => {
  const h = new Harness();
  await h.append([data({ pid: 1n, txn: true, count: 2 })]); // 0-1
  await h.append([data({ pid: 2n, txn: true })]); // 2
  await h.append([data({ pid: 1n, seq: 2, txn: true })]); // 3
  assert.equal(h.state.firstUnstableOffset, 0n);
  await h.rejects([data({ pid: 1n, seq: 3 })], "INVALID_TXN_STATE");
  await h.append([marker(true, { pid: 1n })], "coordinator"); // 4
  assert.deepEqual(h.completed.at(-1), {
    txn: { producerId: 1n, firstOffset: 0n, lastOffset: 4n, aborted: true },
    lso: 2n,
  });
  assert.equal(h.state.firstUnstableOffset, 2n);
  await h.append([marker(false, { pid: 2n, coordinatorEpoch: 3 })], "coordinator"); // 5
  assert.deepEqual(h.completed.at(-1), {
    txn: { producerId: 2n, firstOffset: 2n, lastOffset: 5n, aborted: false },
    lso: 6n,
  });
  assert.equal(h.state.firstUnstableOffset, undefined);
  await h.rejects(
    [marker(false, { pid: 2n, coordinatorEpoch: 2 })],
    "TRANSACTION_COORDINATOR_FENCED",
    "coordinator",
  );
  // A marker for a producer without a transaction is written and ends nothing.
  const before = h.completed.length;
  await h.append([marker(true, { pid: 3n, epoch: 4 })], "coordinator");
  assert.equal(h.completed.length, before);
  assert.equal(h.state.get(3n)?.epoch, 4);
  // A marker below the producer's epoch is fenced; a higher one bumps the epoch.
  await h.rejects([marker(true, { pid: 3n, epoch: 3 })], "INVALID_PRODUCER_EPOCH", "coordinator");
  await h.append([marker(false, { pid: 1n, epoch: 2 })], "coordinator");
  assert.deepEqual(h.state.get(1n)?.batches, []);
  await h.append([data({ pid: 1n, epoch: 2, seq: 0 })]);
});

test("a rejected append changes nothing", async () => {
  const h = new Harness();
  await h.append([data({ seq: 0 })]);
  const before = h.state.get(1n);
  await h.rejects([data({ seq: 1, txn: true }), data({ seq: 5 })], "OUT_OF_ORDER_SEQUENCE_NUMBER");
  assert.equal(h.state.get(1n), before);
  assert.equal(h.state.firstUnstableOffset, undefined);
});
