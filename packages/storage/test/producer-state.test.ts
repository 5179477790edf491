// ProducerState: ongoing transactions in offset order, the LSO after an abort, expiry, the view.

import assert from "node:assert/strict";
import { test } from "node:test";
import { emptyEntry, type ProducerEntry, ProducerState } from "../src/producer-state.ts";

const entry = (producerId: bigint, fields: Partial<ProducerEntry> = {}): ProducerEntry => ({
  ...emptyEntry(producerId),
  epoch: 0,
  ...fields,
});

test("the first unstable offset is the oldest ongoing transaction", () => {
  const state = new ProducerState();
  assert.equal(state.firstUnstableOffset, undefined);
  state.put(entry(1n, { currentTxnFirstOffset: 10n }));
  state.put(entry(2n, { currentTxnFirstOffset: 12n }));
  state.put(entry(3n, { currentTxnFirstOffset: 15n }));
  assert.equal(state.firstUnstableOffset, 10n);
  assert.equal(state.lastStableOffsetAfter(1n, 20n), 12n);
  assert.equal(state.lastStableOffsetAfter(2n, 20n), 10n);
  state.put(entry(1n)); // ended
  assert.equal(state.firstUnstableOffset, 12n);
  state.put(entry(2n, { currentTxnFirstOffset: 12n, lastTimestamp: 5n })); // same transaction, later batch
  assert.equal(state.firstUnstableOffset, 12n);
  state.put(entry(2n));
  state.put(entry(3n));
  assert.equal(state.firstUnstableOffset, undefined);
  assert.equal(state.lastStableOffsetAfter(3n, 20n), 21n);
});

test("load sorts ongoing transactions whatever the snapshot's order", () => {
  const state = new ProducerState();
  state.load([
    entry(1n, { currentTxnFirstOffset: 30n }),
    entry(2n, { currentTxnFirstOffset: 4n }),
    entry(3n),
  ]);
  assert.equal(state.firstUnstableOffset, 4n);
  assert.equal(state.size, 3);
});

test("idle producers expire unless a transaction is ongoing; the view reports -1 for none", () => {
  const state = new ProducerState();
  state.put(entry(1n, { lastTimestamp: 1000n }));
  state.put(entry(2n, { lastTimestamp: 1000n, currentTxnFirstOffset: 0n }));
  state.put(
    entry(3n, {
      lastTimestamp: 5000n,
      batches: [{ firstSeq: 0, lastSeq: 4, firstOffset: 1n, lastOffset: 5n, maxTimestamp: 5000n }],
    }),
  );
  assert.equal(state.removeExpired(5999, 5000), 0);
  assert.equal(state.removeExpired(6000, 5000), 1); // Kafka expires at exactly the limit
  assert.equal(state.removeExpired(1e15, Number.POSITIVE_INFINITY), 0);
  assert.deepEqual(state.view(), [
    {
      producerId: 2n,
      producerEpoch: 0,
      lastSequence: -1,
      lastTimestamp: 1000n,
      coordinatorEpoch: -1,
      currentTxnStartOffset: 0n,
    },
    {
      producerId: 3n,
      producerEpoch: 0,
      lastSequence: 4,
      lastTimestamp: 5000n,
      coordinatorEpoch: -1,
      currentTxnStartOffset: -1n,
    },
  ]);
});
