// The consumer without groups and with commits, against a real broker: manual assignment from the
// beginning, autoOffsetReset earliest/latest/none, seek, seekToTimestamp, seekToBeginning/End,
// pause/resume, and commit → close → reopen resuming after the commit.

import assert from "node:assert/strict";
import { test } from "node:test";
import { Consumer, NoOffsetForPartitionError } from "@nagare/client";
import { startBroker } from "@nagare/testkit";
import { cleanups, createTopics, openAdmin, produceSpread } from "../e2e/support/group-clients.ts";
import { produce, runConsumer, sortedValues, waitForCount } from "./support/consumer-runner.ts";

async function setup(t: { after(fn: () => unknown): void }, topics: Record<string, number>) {
  const defer = cleanups(t);
  const broker = await startBroker();
  defer(() => broker.stop());
  const admin = await openAdmin(defer, broker.bootstrap);
  await createTopics(admin, topics);
  return { defer, broker };
}

/** Polls until `count` records arrived (bounded). */
async function pollFor(consumer: Consumer, count: number, timeoutMs = 15_000): Promise<string[]> {
  const values: string[] = [];
  const deadline = Date.now() + timeoutMs;
  while (values.length < count) {
    if (Date.now() > deadline) assert.fail(`got ${values.length} of ${count} records: ${values.join(",")}`);
    for (const r of await consumer.poll(500)) values.push(r.value ?? "");
  }
  return values;
}

test("assign from the beginning reads every partition, in offset order per partition", async (t) => {
  const { defer, broker } = await setup(t, { orders: 3 });
  const values = await produceSpread(broker.bootstrap, "orders", 3, "o", 300);
  const running = runConsumer(
    defer,
    { brokers: [broker.bootstrap], autoOffsetReset: "earliest", maxPollRecords: 7 },
    (c) => c.assign([0, 1, 2].map((partition) => ({ topic: "orders", partition }))),
  );
  await waitForCount([running], 300);
  assert.deepEqual(
    sortedValues(running.got),
    [...values].sort((a, b) => a.localeCompare(b, "en", { numeric: true })),
  );
  for (const p of [0, 1, 2]) {
    const offsets = running.got.filter((g) => g.partition === p).map((g) => g.offset);
    assert.deepEqual(
      offsets,
      Array.from({ length: 100 }, (_, i) => i),
      `partition ${p} offsets in order`,
    );
  }
  await running.consumer.close();
  await running.done;
  assert.deepEqual(running.events, [], "no rebalance events without a group");
});

test("autoOffsetReset: earliest reads what is there, latest only what comes next, none refuses", async (t) => {
  const { defer, broker } = await setup(t, { reset: 1 });
  await produce(broker.bootstrap, "reset", [
    { partition: 0, value: "old-0" },
    { partition: 0, value: "old-1" },
  ]);
  const tp = { topic: "reset", partition: 0 };

  const earliest = new Consumer({
    brokers: [broker.bootstrap],
    groupId: "g-earliest",
    autoOffsetReset: "earliest",
  });
  defer(() => earliest.close());
  earliest.assign([tp]);
  assert.deepEqual(await pollFor(earliest, 2), ["old-0", "old-1"]);

  const latest = new Consumer({ brokers: [broker.bootstrap], groupId: "g-latest" }); // Kafka's default: latest
  defer(() => latest.close());
  latest.assign([tp]);
  assert.deepEqual(await latest.poll(300), []);
  assert.equal(latest.position(tp), 2n, "positioned at the end");
  await produce(broker.bootstrap, "reset", [{ partition: 0, value: "new-2" }]);
  assert.deepEqual(await pollFor(latest, 1), ["new-2"]);

  const none = new Consumer({ brokers: [broker.bootstrap], groupId: "g-none", autoOffsetReset: "none" });
  defer(() => none.close());
  none.assign([tp]);
  await assert.rejects(none.poll(300), NoOffsetForPartitionError);
  none.seek(tp, 1n);
  assert.deepEqual(await pollFor(none, 2), ["old-1", "new-2"], "a seek gives it a position");
});

test("commit, close, reopen: the group resumes right after the committed offsets", async (t) => {
  const { defer, broker } = await setup(t, { resume: 2 });
  await produceSpread(broker.bootstrap, "resume", 2, "r", 20);
  const tps = [0, 1].map((partition) => ({ topic: "resume", partition }));
  const options = {
    brokers: [broker.bootstrap],
    groupId: "resumers",
    autoOffsetReset: "earliest" as const,
    enableAutoCommit: false,
  };

  const first = new Consumer(options);
  defer(() => first.close());
  first.assign(tps);
  await pollFor(first, 20);
  await first.commit([
    { topic: "resume", partition: 0, offset: 4n, metadata: "four" },
    { topic: "resume", partition: 1, offset: 7n },
  ]);
  assert.deepEqual(
    (await first.committed(tps)).map((c) => [c.partition, c.offset, c.metadata]),
    [
      [0, 4n, "four"],
      [1, 7n, ""],
    ],
  );
  await first.close();

  const second = new Consumer(options);
  defer(() => second.close());
  second.assign(tps);
  const again = await pollFor(second, 6 + 3);
  // r-i went to partition i % 2: partition 0 holds r-0, r-2, …; offset 4 is r-8.
  assert.deepEqual(
    [...again].sort((a, b) => a.localeCompare(b, "en", { numeric: true })),
    ["r-8", "r-10", "r-12", "r-14", "r-15", "r-16", "r-17", "r-18", "r-19"],
  );
  // commit() without arguments commits the consumed positions; close() with auto-commit off adds nothing.
  await second.commit();
  await second.close();
  const third = new Consumer(options);
  defer(() => third.close());
  assert.deepEqual(
    (await third.committed(tps)).map((c) => [c.partition, c.offset]),
    [
      [0, 10n],
      [1, 10n],
    ],
  );
});

test("the iterator commits what it handed out: break mid-batch, commit, and the rest is read again", async (t) => {
  const { defer, broker } = await setup(t, { partial: 1 });
  await produceSpread(broker.bootstrap, "partial", 1, "p", 10);
  const options = { brokers: [broker.bootstrap], groupId: "partial", autoOffsetReset: "earliest" as const };
  const tp = { topic: "partial", partition: 0 };
  const first = new Consumer(options);
  defer(() => first.close());
  first.assign([tp]);
  const seen: string[] = [];
  for await (const r of first) {
    seen.push(r.value ?? "");
    if (seen.length === 4) break;
  }
  assert.equal(first.position(tp), 4n, "the rest of the batch is rewound");
  await first.close(); // auto-commit on close
  const second = new Consumer(options);
  defer(() => second.close());
  second.assign([tp]);
  assert.deepEqual(await pollFor(second, 6), ["p-4", "p-5", "p-6", "p-7", "p-8", "p-9"]);
});

test("seek, seekToTimestamp, seekToBeginning/End, pause and resume", async (t) => {
  const { defer, broker } = await setup(t, { seeks: 2 });
  const base = Date.now() - 60_000;
  await produce(
    broker.bootstrap,
    "seeks",
    Array.from({ length: 10 }, (_, i) => ({ partition: 0, value: `s-${i}`, timestamp: base + i * 1000 })),
  );
  await produce(broker.bootstrap, "seeks", [{ partition: 1, value: "other-0" }]);
  const p0 = { topic: "seeks", partition: 0 };
  const p1 = { topic: "seeks", partition: 1 };
  const consumer = new Consumer({
    brokers: [broker.bootstrap],
    autoOffsetReset: "earliest",
    maxPollRecords: 100,
  });
  defer(() => consumer.close());
  consumer.assign([p0]);
  assert.equal((await pollFor(consumer, 10)).at(-1), "s-9");

  consumer.seek(p0, 7n);
  assert.deepEqual(await pollFor(consumer, 3), ["s-7", "s-8", "s-9"]);
  await consumer.seekToTimestamp(p0, base + 4500); // first record at or after: s-5
  assert.equal(consumer.position(p0), 5n);
  assert.deepEqual(await pollFor(consumer, 5), ["s-5", "s-6", "s-7", "s-8", "s-9"]);
  await consumer.seekToTimestamp(p0, Date.now() + 60_000); // none that late: the end
  assert.deepEqual(await consumer.poll(300), []);
  assert.equal(consumer.position(p0), 10n);
  consumer.seekToBeginning([p0]);
  assert.equal((await pollFor(consumer, 10))[0], "s-0");
  consumer.seek(p0, 1000n); // past the end: OFFSET_OUT_OF_RANGE resets per autoOffsetReset (earliest)
  assert.equal((await pollFor(consumer, 10))[0], "s-0");

  consumer.assign([p0, p1]);
  consumer.seekToEnd([p0]);
  consumer.pause([p1]);
  assert.deepEqual(consumer.paused(), [p1]);
  assert.deepEqual(await consumer.poll(500), [], "p1 is paused, p0 at its end");
  await produce(broker.bootstrap, "seeks", [{ partition: 0, value: "s-10" }]);
  assert.deepEqual(await pollFor(consumer, 1), ["s-10"]);
  consumer.resume([p1]);
  assert.deepEqual(await pollFor(consumer, 1), ["other-0"]);
  assert.throws(() => consumer.seek({ topic: "seeks", partition: 9 }, 0n), /not assigned/);
});

test("close() ends a waiting iterator; commitAsync reports through its callback", async (t) => {
  const { defer, broker } = await setup(t, { quiet: 1 });
  await produce(broker.bootstrap, "quiet", [{ partition: 0, value: "q-0" }]);
  const running = runConsumer(
    defer,
    { brokers: [broker.bootstrap], groupId: "quiet", autoOffsetReset: "earliest", enableAutoCommit: false },
    (c) => c.assign([{ topic: "quiet", partition: 0 }]),
  );
  await waitForCount([running], 1);
  const outcome = await new Promise<[Error | null, number]>((resolve) =>
    running.consumer.commitAsync(undefined, (error, offsets) => resolve([error, offsets.length])),
  );
  assert.deepEqual(outcome, [null, 1]);
  const started = Date.now();
  await running.consumer.close();
  await running.done;
  assert.ok(Date.now() - started < 5000, "the iterator ended promptly");
  const check = new Consumer({ brokers: [broker.bootstrap], groupId: "quiet" });
  defer(() => check.close());
  assert.deepEqual(
    (await check.committed([{ topic: "quiet", partition: 0 }])).map((c) => c.offset),
    [1n],
  );
});
