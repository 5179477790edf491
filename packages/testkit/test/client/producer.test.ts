// The producer against a real broker: delivery and offsets, close, Java-compatible partitioning
// (checked against librdkafka's murmur2_random partitioner through kcat), sticky keyless batches,
// acks 0/1/all and typed errors.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { KafkaClientError, KafkaProtocolError, Producer } from "@nagare/client";
import { type StartedBroker, startBroker } from "@nagare/testkit";
import { requireTool, run } from "../e2e/support/clients.ts";
import { consumeWithKcat, javaPartition, kcat } from "../e2e/support/messages.ts";

let broker: StartedBroker;

before(async () => {
  requireTool(kcat, "kcat");
  broker = await startBroker({ config: { "num.partitions": "6" } });
});
after(() => broker.stop());

test("send resolves with offsets in order; flush and close deliver; a closed producer rejects send", async () => {
  const producer = new Producer({ brokers: [broker.bootstrap], lingerMs: 20 });
  await producer.connect();
  assert.equal(producer.isIdempotent, true, "idempotence is on by default");
  const sent = Array.from({ length: 300 }, (_, i) =>
    producer.send({ topic: "ordered", partition: 2, key: `k${i}`, value: `v${i}` }),
  );
  const metadata = await Promise.all(sent);
  assert.deepEqual(
    metadata.map((m) => m.offset),
    Array.from({ length: 300 }, (_, i) => BigInt(i)),
  );
  assert.ok(metadata.every((m) => m.topic === "ordered" && m.partition === 2));

  // Records still lingering when close() is called are delivered before it resolves.
  const late = producer.send({ topic: "ordered", partition: 2, value: "last" });
  await producer.close();
  assert.equal((await late).offset, 300n);
  await assert.rejects(
    producer.send({ topic: "ordered", value: "after close" }),
    (error: unknown) => error instanceof KafkaClientError && /closed/.test(error.message),
  );
  const read = await consumeWithKcat(broker.bootstrap, "ordered");
  assert.equal(read.length, 301);
  assert.deepEqual(
    read.slice(0, 3).map((m) => [m.partition, m.offset, m.key, m.value]),
    [
      [2, 0, "k0", "v0"],
      [2, 1, "k1", "v1"],
      [2, 2, "k2", "v2"],
    ],
  );
});

test("flush() waits for lingering records", async (t) => {
  const producer = new Producer({ brokers: [broker.bootstrap], lingerMs: 60_000 });
  t.after(() => producer.close());
  let delivered = false;
  const pending = producer.send({ topic: "flushed", value: "x" }).then((m) => {
    delivered = true;
    return m;
  });
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(delivered, false, "lingerMs 60 s holds the record");
  await producer.flush();
  assert.equal(delivered, true);
  assert.equal((await pending).offset, 0n);
});

test("a key lands where Java's partitioner puts it (and librdkafka's murmur2_random agrees)", async (t) => {
  const keys = [
    ...Array.from({ length: 200 }, (_, i) => `key-${i}`),
    "21",
    "foobar",
    "a-little-bit-long-string",
    "ключ-ü-€-😀",
    "",
  ];
  const producer = new Producer({ brokers: [broker.bootstrap] });
  t.after(() => producer.close());
  const ours = await Promise.all(keys.map((key) => producer.send({ topic: "keyed-ours", key, value: key })));
  ours.forEach((m, i) => {
    assert.equal(m.partition, javaPartition(keys[i] as string, 6), `key ${keys[i]}`);
  });
  // The same keys through librdkafka's Java-compatible partitioner.
  const result = await run(
    kcat,
    ["-b", broker.bootstrap, "-P", "-t", "keyed-kcat", "-K", "\t", "-X", "partitioner=murmur2_random"],
    { input: keys.map((k) => `${k}\t${k}`).join("\n"), timeoutMs: 30_000 },
  );
  assert.equal(result.code, 0, result.stderr);
  const theirs = new Map(
    (await consumeWithKcat(broker.bootstrap, "keyed-kcat")).map((m) => [m.value, m.partition]),
  );
  for (const [i, key] of keys.entries())
    assert.equal(theirs.get(key), ours[i]?.partition, `librdkafka and we disagree on key "${key}"`);
});

test("keyless records stick to one partition per batch, and move on once it is sent", async (t) => {
  const producer = new Producer({ brokers: [broker.bootstrap], lingerMs: 50 });
  t.after(() => producer.close());
  const first = await Promise.all(
    Array.from({ length: 20 }, (_, i) => producer.send({ topic: "sticky", value: `a${i}` })),
  );
  const firstPartitions = new Set(first.map((m) => m.partition));
  assert.equal(firstPartitions.size, 1, "one batch, one partition");
  const second = await Promise.all(
    Array.from({ length: 20 }, (_, i) => producer.send({ topic: "sticky", value: `b${i}` })),
  );
  const secondPartitions = new Set(second.map((m) => m.partition));
  assert.equal(secondPartitions.size, 1);
  assert.notDeepEqual(
    [...secondPartitions],
    [...firstPartitions],
    "the sent batch moved the sticky partition",
  );
  assert.deepEqual(
    second.map((m) => m.offset),
    Array.from({ length: 20 }, (_, i) => second[0]!.offset + BigInt(i)),
    "contiguous offsets: one batch",
  );
});

test("a custom partitioner decides, and gets the serialized key", async (t) => {
  const seen: (string | null)[] = [];
  const producer = new Producer({
    brokers: [broker.bootstrap],
    partitioner: ({ key, partitionCount }) => {
      seen.push(key?.toString() ?? null);
      return partitionCount - 1;
    },
  });
  t.after(() => producer.close());
  const m = await producer.send({ topic: "custom", key: "abc", value: "v" });
  assert.equal(m.partition, 5);
  assert.deepEqual(seen, ["abc"]);
});

test("acks 0, 1 and all: offsets for 1 and all, -1 for 0; every record arrives", async () => {
  for (const acks of [0, 1, -1, "all"] as const) {
    const topic = `acks-${acks}`;
    const producer = new Producer({ brokers: [broker.bootstrap], acks });
    await producer.connect();
    assert.equal(producer.isIdempotent, acks === -1 || acks === "all", `idempotence with acks=${acks}`);
    const metadata = await Promise.all(
      Array.from({ length: 50 }, (_, i) => producer.send({ topic, partition: 0, value: `m${i}` })),
    );
    if (acks === 0) assert.ok(metadata.every((m) => m.offset === -1n));
    else
      assert.deepEqual(
        metadata.map((m) => m.offset),
        Array.from({ length: 50 }, (_, i) => BigInt(i)),
      );
    await producer.close();
    const read = await consumeWithKcat(broker.bootstrap, topic);
    assert.deepEqual(
      read.map((m) => m.value),
      Array.from({ length: 50 }, (_, i) => `m${i}`),
      `acks=${acks}`,
    );
  }
  assert.throws(
    () => new Producer({ brokers: [broker.bootstrap], acks: 1, idempotent: true }),
    /acks must be "all"/,
  );
  assert.throws(() => new Producer({ brokers: [broker.bootstrap], transactionalId: "x", acks: 0 }));
});

test("errors are typed: unknown partition, oversized record, invalid topic, unreachable broker", async (t) => {
  const producer = new Producer({ brokers: [broker.bootstrap], maxRequestSize: 10_000, maxBlockMs: 2_000 });
  t.after(() => producer.close());
  await assert.rejects(
    producer.send({ topic: "errors", partition: 6, value: "x" }),
    (e: unknown) => e instanceof KafkaClientError && !e.retriable && /partition 6/.test(e.message),
  );
  await assert.rejects(
    producer.send({ topic: "errors", value: "x".repeat(20_000) }),
    (e: unknown) => e instanceof KafkaProtocolError && e.type === "MESSAGE_TOO_LARGE",
  );
  await assert.rejects(
    producer.send({ topic: "bad topic name!", value: "x" }),
    (e: unknown) => e instanceof KafkaProtocolError && e.type === "INVALID_TOPIC_EXCEPTION",
  );
  // The producer still works after those.
  assert.equal((await producer.send({ topic: "errors", partition: 1, value: "ok" })).offset, 0n);

  const nowhere = new Producer({ brokers: ["127.0.0.1:1"], retryBackoffMs: 1, retryBackoffMaxMs: 5 });
  await assert.rejects(
    nowhere.send({ topic: "t", value: "x" }),
    (e: unknown) => e instanceof KafkaClientError,
  );
  await nowhere.close();
});

test("a broker that goes away: records fail with a timeout after deliveryTimeoutMs, not before", async () => {
  const gone = await startBroker();
  const producer = new Producer({
    brokers: [gone.bootstrap],
    requestTimeoutMs: 300,
    deliveryTimeoutMs: 1_500,
    retryBackoffMs: 20,
    retryBackoffMaxMs: 100,
  });
  try {
    assert.equal((await producer.send({ topic: "vanishing", value: "before" })).offset, 0n);
    await gone.stop();
    const started = Date.now();
    await assert.rejects(
      producer.send({ topic: "vanishing", value: "after" }),
      (e: unknown) => e instanceof KafkaClientError && e.name === "KafkaTimeoutError",
    );
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 1_400 && elapsed < 10_000, `failed after ${elapsed} ms`);
  } finally {
    await producer.close();
  }
});
