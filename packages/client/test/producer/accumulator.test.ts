import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeBatch } from "@nagare/protocol/records";
import { KafkaClientError, KafkaTimeoutError } from "../../src/errors.ts";
import { RecordAccumulator } from "../../src/producer/accumulator.ts";
import { type AppendedRecord, estimateRecordSize, type ProducerBatch } from "../../src/producer/batch.ts";
import { MemoryLimit } from "../../src/producer/memory-limit.ts";

function record(value: string, timestamp = 1_000): AppendedRecord {
  return { key: null, value: Buffer.from(value), headers: [], timestamp };
}

function setup(options: { batchSize?: number; lingerMs?: number; bufferMemory?: number } = {}) {
  let now = 10_000;
  const closed: string[] = [];
  let wakes = 0;
  const memory = new MemoryLimit(options.bufferMemory ?? 1 << 20);
  const accumulator = new RecordAccumulator({
    batchSize: options.batchSize ?? 16_384,
    lingerMs: options.lingerMs ?? 5,
    memory,
    now: () => now,
    onBatchClosed: (topic, partition) => closed.push(`${topic}-${partition}`),
    wake: () => wakes++,
  });
  return {
    accumulator,
    memory,
    closed,
    advance: (ms: number) => {
      now += ms;
    },
    wakes: () => wakes,
  };
}

test("a batch lingers lingerMs after its first record, then is ready", () => {
  const { accumulator, advance } = setup({ lingerMs: 50 });
  const r = record("a");
  void accumulator.append("t", 0, r, estimateRecordSize(r, 0), 0);
  advance(20);
  void accumulator.append("t", 0, r, estimateRecordSize(r, 0), 0);
  let ready = accumulator.ready();
  assert.equal(ready.batches.length, 0, "still lingering");
  assert.equal(ready.nextReadyAt, 10_050, "ready lingerMs after the FIRST record");
  advance(30);
  ready = accumulator.ready();
  assert.equal(ready.batches.length, 1);
  assert.equal(ready.batches[0]?.recordCount, 2, "both records in one batch");
});

test("lingerMs 0 sends at once; a flush makes lingering batches ready", async () => {
  const zero = setup({ lingerMs: 0 });
  void zero.accumulator.append("t", 0, record("a"), 30, 0);
  assert.equal(zero.accumulator.ready().batches.length, 1);

  const { accumulator } = setup({ lingerMs: 60_000 });
  const result = accumulator.append("t", 1, record("b"), 30, 0);
  assert.equal(accumulator.ready().batches.length, 0);
  const flushed = accumulator.flush();
  const [batch] = accumulator.ready().batches;
  assert.ok(batch, "ready while a flush waits");
  accumulator.drain(batch);
  accumulator.complete(batch, { baseOffset: 7n, logAppendTimeMs: -1n });
  await flushed;
  assert.deepEqual(await result, { topic: "t", partition: 1, offset: 7n, timestamp: 1_000 });
  assert.equal(accumulator.incompleteCount, 0);
});

test("a full batch (batchSize) is closed and ready at once; the next record starts a new batch", () => {
  const { accumulator, closed } = setup({ batchSize: 200, lingerMs: 60_000 });
  const r = record("x".repeat(40)); // estimate 61 bytes per record, batch header 61
  const size = estimateRecordSize(r, 0);
  void accumulator.append("t", 0, r, size, 0);
  void accumulator.append("t", 0, r, size, 0);
  assert.equal(accumulator.ready().batches.length, 0, "61 + 2×61 < 200: still open");
  assert.equal(accumulator.fitsOpenBatch("t", 0, size), false, "a third would pass 200");
  void accumulator.append("t", 0, r, size, 0);
  assert.deepEqual(closed, ["t-0"], "closing the full batch tells the sticky partitioner");
  const ready = accumulator.ready();
  assert.equal(ready.batches.length, 1);
  assert.equal(ready.batches[0]?.recordCount, 2);
  accumulator.drain(ready.batches[0] as never);
  const next = accumulator.ready();
  assert.equal(next.batches.length, 0, "the new batch with the third record lingers");
  assert.ok(accumulator.hasQueue("t", 0));
});

test("a record larger than batchSize gets a batch of its own", () => {
  const { accumulator } = setup({ batchSize: 100, lingerMs: 60_000 });
  void accumulator.append("t", 0, record("small"), 30, 0);
  void accumulator.append("t", 0, record("y".repeat(500)), 521, 0);
  const ready = accumulator.ready();
  assert.equal(ready.batches.length, 1, "the small batch is ready because one queues behind it");
  assert.equal(ready.batches[0]?.recordCount, 1);
  accumulator.drain(ready.batches[0] as never);
  const big = accumulator.ready().batches[0];
  assert.equal(big?.recordCount, 1, "the big record's batch is full, so ready too");
  assert.equal(decodeBatch((big as ProducerBatch).encode(0, "raw")).records[0]?.value?.length, 500);
});

test("a retried batch goes back to the front in sequence order", () => {
  const { accumulator } = setup({ lingerMs: 0 });
  for (let i = 0; i < 3; i++) {
    void accumulator.append("t", 0, record(`r${i}`), 30, 0).catch(() => undefined);
    const [batch] = accumulator.ready().batches;
    assert.ok(batch);
    accumulator.drain(batch);
    batch.setProducerState(1n, 0, i * 10, false);
  }
  const drained = [...accumulator.queued()];
  assert.equal(drained.length, 0);
  void accumulator.append("t", 0, record("fresh"), 30, 0).catch(() => undefined);
  // Retries come back out of order: sequence 20 first, then 0 and 10.
  const fake = (seq: number) => ({ topic: "t", partition: 0, hasSequence: true, baseSequence: seq });
  accumulator.reenqueue(fake(20) as never);
  accumulator.reenqueue(fake(0) as never);
  accumulator.reenqueue(fake(10) as never);
  const order = [...accumulator.queued()].map((b) => (b.hasSequence ? b.baseSequence : "fresh"));
  assert.deepEqual(order, [0, 10, 20, "fresh"]);
});

test("bufferMemory bounds queued bytes: a reservation waits for a release, or times out", async () => {
  const memory = new MemoryLimit(100);
  await memory.reserve(60, 1000);
  let second = false;
  const waiting = memory.reserve(50, 5_000).then(() => {
    second = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(second, false, "60 + 50 > 100: waits");
  assert.equal(memory.waiting, 1);
  const third = memory.reserve(10, 5_000); // would fit, but queues behind the waiter (no starvation)
  memory.release(60);
  await waiting;
  await third;
  assert.equal(memory.available, 40);
  const started = Date.now();
  await assert.rejects(memory.reserve(50, 50), KafkaTimeoutError);
  assert.ok(Date.now() - started >= 45, "waited maxBlockMs");
  await assert.rejects(
    memory.reserve(101, 1000),
    (e: unknown) => e instanceof KafkaClientError && !e.retriable,
  );
});

test("the accumulator releases a batch's memory when it completes, failed or not", async () => {
  const { accumulator, memory } = setup({ bufferMemory: 200, lingerMs: 0 });
  await memory.reserve(80, 100);
  const ok = accumulator.append("t", 0, record("a"), 30, 80);
  await memory.reserve(80, 100);
  const bad = accumulator.append("u", 0, record("b"), 30, 80);
  assert.equal(memory.available, 40);
  const blocked = memory.reserve(100, 5_000);
  const [first, second] = accumulator.ready().batches;
  assert.ok(first && second);
  accumulator.drain(first);
  accumulator.complete(first, { baseOffset: 0n, logAppendTimeMs: 5n });
  await blocked;
  accumulator.failQueued(new Error("aborted"));
  assert.equal((await ok).timestamp, 5, "LogAppendTime replaces the record timestamp");
  await assert.rejects(bad, /aborted/);
  // 200 total: 160 held, 80 released (the waiter's 100 granted: 180 held), 80 released → 100 held.
  assert.equal(memory.available, 100);
});
