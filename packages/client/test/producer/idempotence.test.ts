import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeBatch } from "@nagare/protocol/records";
import { ProducerBatch } from "../../src/producer/batch.ts";
import {
  incrementSequence,
  MAX_IN_FLIGHT_PER_PARTITION,
  SequenceBook,
} from "../../src/producer/idempotence.ts";

function batchOf(count: number, partition = 0): ProducerBatch {
  const batch = new ProducerBatch("t", partition, 0);
  for (let i = 0; i < count; i++)
    void batch
      .append({ key: null, value: Buffer.from(`v${i}`), headers: [], timestamp: 1000 + i }, 30, 0)
      .catch(() => undefined);
  return batch;
}

test("sequences advance per partition by the record count and wrap at int32 like Java", () => {
  const book = new SequenceBook();
  book.reset({ producerId: 42n, epoch: 3 });
  assert.ok(book.canSendNew("t", 0));
  const a = batchOf(3);
  book.assign(a, false);
  const b = batchOf(2);
  book.assign(b, false);
  const other = batchOf(4, 1);
  book.assign(other, false);
  assert.deepEqual([a.baseSequence, a.lastSequence, b.baseSequence, other.baseSequence], [0, 2, 3, 0]);
  const header = decodeBatch(b.encode(0, "raw"));
  assert.deepEqual([header.producerId, header.producerEpoch, header.baseSequence], [42n, 3, 3]);
  assert.equal(incrementSequence(0x7fffffff, 1), 0);
  assert.equal(incrementSequence(0x7ffffffe, 5), 3);
});

test("at most five batches per partition are outstanding; acknowledgements free the slots", () => {
  const book = new SequenceBook();
  book.reset({ producerId: 1n, epoch: 0 });
  const sent = Array.from({ length: MAX_IN_FLIGHT_PER_PARTITION }, () => {
    const batch = batchOf(1);
    assert.ok(book.canSendNew("t", 0));
    book.assign(batch, false);
    return batch;
  });
  assert.equal(book.canSendNew("t", 0), false, "a sixth must wait");
  assert.ok(book.canSendNew("t", 1), "other partitions are independent");
  assert.ok(book.isNextSequence(sent[0] as ProducerBatch));
  assert.equal(book.isNextSequence(sent[1] as ProducerBatch), false);
  book.acknowledged(sent[0] as ProducerBatch);
  assert.ok(book.isNextSequence(sent[1] as ProducerBatch));
  assert.ok(book.canSendNew("t", 0));
});

test("an epoch bump renumbers the gapped partition's outstanding batches from 0; others wait to switch", () => {
  const book = new SequenceBook();
  book.reset({ producerId: 7n, epoch: 0 });
  const p0 = [batchOf(2), batchOf(3), batchOf(1)];
  for (const b of p0) book.assign(b, false);
  const p1 = batchOf(5, 1);
  book.assign(p1, false);
  book.acknowledged(p0[0] as ProducerBatch);
  // The broker lost our state on partition 0: the batch after the acknowledged one is out of order.
  book.requestEpochBump("t", 0);
  assert.ok(book.bumpRequired);
  assert.equal(book.canSendNew("t", 2), false, "nothing new goes out until the bump");
  book.setIdentity({ producerId: 7n, epoch: 1 });
  assert.equal(book.bumpRequired, false);
  const [, second, third] = p0 as [ProducerBatch, ProducerBatch, ProducerBatch];
  assert.deepEqual(
    [second.producerEpoch, second.baseSequence, third.baseSequence, second.sequenceReset],
    [1, 0, 3, true],
  );
  assert.equal(decodeBatch(second.encode(0, "raw")).producerEpoch, 1, "re-encoded with the new epoch");
  // Partition 1 still has a batch under epoch 0: it keeps it (a retry must not change), and new
  // batches wait until it completes, then start at sequence 0 of the new epoch.
  assert.deepEqual([p1.producerEpoch, p1.baseSequence], [0, 0]);
  assert.equal(book.canSendNew("t", 1), false);
  book.acknowledged(p1);
  assert.ok(book.canSendNew("t", 1));
  const next = batchOf(1, 1);
  book.assign(next, false);
  assert.deepEqual([next.producerEpoch, next.baseSequence], [1, 0]);
  // Partition 0 continues after the renumbered batches.
  const fresh = batchOf(1);
  assert.ok(book.canSendNew("t", 0));
  book.assign(fresh, false);
  assert.equal(fresh.baseSequence, 4);
});

test("a failed batch gives up its slot; a retry keeps its exact bytes", () => {
  const book = new SequenceBook();
  book.reset({ producerId: 9n, epoch: 2 });
  const batch = batchOf(3);
  book.assign(batch, true);
  const first = batch.encode(1, "raw");
  assert.equal(batch.encode(1, "raw"), first, "encoded once, resent as is");
  assert.equal(decodeBatch(first).isTransactional, true);
  book.failed(batch);
  for (let i = 0; i < MAX_IN_FLIGHT_PER_PARTITION; i++) {
    assert.ok(book.canSendNew("t", 0));
    book.assign(batchOf(1), false);
  }
});
