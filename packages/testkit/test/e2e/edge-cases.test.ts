// Edge cases real clients hit: ListOffsets by timestamp (seek to a time), earliest/latest, 1 MiB
// messages, MESSAGE_TOO_LARGE above message.max.bytes, null keys, empty values and tombstones.
// Consumers use partition assignment (consumer groups are issue 5).

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type StartedBroker, startBroker } from "@nagare/testkit";
import { Kafka, logLevel } from "kafkajs";
import { debianPython, requireTool, run } from "./support/clients.ts";
import {
  consumeWithKcat,
  consumeWithPython,
  groupBy,
  kcat,
  produceWithPython,
  pyClient,
} from "./support/messages.ts";

let broker: StartedBroker;
let kafka: Kafka;

before(async () => {
  requireTool(kcat, "kcat");
  requireTool(debianPython, "python3-kafka python3-confluent-kafka");
  broker = await startBroker({ config: { "num.partitions": "2" } });
  kafka = new Kafka({ brokers: [broker.bootstrap], clientId: "edge", logLevel: logLevel.NOTHING });
});

after(() => broker?.stop());

test("ListOffsets: seek to a time (kafka-python, kcat), earliest and latest", async () => {
  const topic = "by-time";
  const base = Date.now() - 60_000;
  // CreateTime base + i for message i, spread over 2 partitions by key.
  await produceWithPython("confluent-kafka", broker.bootstrap, topic, "lz4", 1000, "t", base);
  const all = await consumeWithPython("confluent-kafka", broker.bootstrap, [`${topic}:2`]);
  assert.equal(all.length, 1000);
  const byPartition = groupBy(all, (m) => m.partition);
  const target = base + 500;
  // The first offset whose timestamp is ≥ the target, per partition.
  const expected: Record<string, number | null> = {};
  for (const [p, list] of byPartition)
    expected[String(p)] = list.find((m) => m.timestamp >= target)?.offset ?? null;

  const py = await run(
    debianPython,
    [pyClient, "offsets-for-times", broker.bootstrap, topic, "2", String(target)],
    {
      timeoutMs: 30_000,
    },
  );
  assert.equal(py.code, 0, py.stderr);
  assert.deepEqual(JSON.parse(py.stdout), expected);
  const beyond = await run(
    debianPython,
    [pyClient, "offsets-for-times", broker.bootstrap, topic, "2", String(base + 10_000)],
    { timeoutMs: 30_000 },
  );
  assert.deepEqual(JSON.parse(beyond.stdout), { "0": null, "1": null }, "no message at or after the time");

  // kcat -o s@<ms>: consumption starts at the first message at or after the time.
  const fromTime = await consumeWithKcat(broker.bootstrap, topic, ["-o", `s@${target}`]);
  assert.equal(fromTime.length, 500);
  assert.ok(fromTime.every((m) => m.timestamp >= target));
  for (const [p, list] of groupBy(fromTime, (m) => m.partition))
    assert.equal(list[0]?.offset, expected[String(p)]);

  // kcat -Q: offsets for a time, -2 (earliest) and -1 (latest).
  const query = async (ts: number) => {
    const r = await run(
      kcat,
      ["-b", broker.bootstrap, "-Q", "-t", `${topic}:0:${ts}`, "-t", `${topic}:1:${ts}`],
      {
        timeoutMs: 30_000,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    const offsets: Record<string, number> = {};
    for (const match of r.stdout.matchAll(/\[(\d+)\] offset (-?\d+)/g))
      offsets[match[1] as string] = Number(match[2]);
    return offsets;
  };
  assert.deepEqual(await query(target), expected);
  assert.deepEqual(await query(-2), { "0": 0, "1": 0 });
  assert.deepEqual(await query(-1), {
    "0": byPartition.get(0)?.length ?? 0,
    "1": byPartition.get(1)?.length ?? 0,
  });
  // From the end: nothing to read until something new arrives.
  assert.equal((await consumeWithKcat(broker.bootstrap, topic, ["-o", "end"])).length, 0);
});

test("1 MiB messages round-trip through kafkajs → kcat and kcat → kafka-python", async (t) => {
  const admin = kafka.admin();
  await admin.connect();
  t.after(() => admin.disconnect());
  const topic = "big";
  await admin.createTopics({
    topics: [
      { topic, numPartitions: 1, configEntries: [{ name: "max.message.bytes", value: String(3 << 20) }] },
    ],
  });
  const big = (n: number) => `${n}:`.padEnd(1 << 20, String.fromCharCode(97 + n));
  const producer = kafka.producer();
  await producer.connect();
  t.after(() => producer.disconnect());
  for (let n = 0; n < 3; n++)
    await producer.send({ topic, acks: -1, messages: [{ key: `big-${n}`, value: big(n) }] });

  const kcatInput = [3, 4].map((n) => `big-${n}|${big(n)}`).join("\n");
  const produced = await run(
    kcat,
    [
      "-b",
      broker.bootstrap,
      "-P",
      "-t",
      topic,
      "-K",
      "|",
      "-X",
      "message.max.bytes=3000000",
      "-X",
      "acks=all",
    ],
    { input: kcatInput, timeoutMs: 30_000 },
  );
  assert.equal(produced.code, 0, produced.stderr);

  const viaKcat = await consumeWithKcat(broker.bootstrap, topic, ["-X", "fetch.message.max.bytes=4000000"]);
  const viaPython = await consumeWithPython("kafka-python", broker.bootstrap, [`${topic}:1`]);
  for (const [who, messages] of [
    ["kcat", viaKcat],
    ["kafka-python", viaPython],
  ] as const) {
    assert.deepEqual(
      messages.map((m) => m.offset),
      [0, 1, 2, 3, 4],
      who,
    );
    messages.forEach((m, n) => {
      assert.equal(m.key, `big-${n}`, who);
      assert.equal(m.value?.length, 1 << 20, who);
      assert.ok(m.value === big(n), `${who}: value of message ${n} intact`);
    });
  }
});

test("a message above message.max.bytes gets MESSAGE_TOO_LARGE (kafkajs, kcat)", async (t) => {
  const topic = "too-large";
  const producer = kafka.producer({ retry: { retries: 0 } });
  await producer.connect();
  t.after(() => producer.disconnect());
  // The default message.max.bytes is 1 MiB + 12; two MiB cannot fit in a batch.
  const value = "x".repeat(2 << 20);
  await producer.send({ topic, messages: [{ value: "first" }] }); // auto-creates the topic
  await assert.rejects(
    producer.send({ topic, messages: [{ value }] }),
    (error: Error & { type?: string }) => {
      const type = error.type ?? (error.cause as { type?: string } | undefined)?.type;
      assert.equal(type, "MESSAGE_TOO_LARGE", `${error.name}: ${error.message}`);
      return true;
    },
  );

  const r = await run(
    kcat,
    [
      "-b",
      broker.bootstrap,
      "-P",
      "-t",
      topic,
      "-X",
      "message.max.bytes=5000000",
      "-X",
      "message.send.max.retries=0",
    ],
    { input: value, timeoutMs: 30_000 },
  );
  assert.match(r.stderr, /Message size too large|MSG_SIZE_TOO_LARGE/);
  // The partition is unharmed: the next small message follows the first one.
  const [ok] = await producer.send({ topic, messages: [{ value: "after" }] });
  assert.equal(ok?.errorCode, 0);
  const messages = await consumeWithKcat(broker.bootstrap, topic);
  assert.deepEqual(
    messages.map((m) => m.value),
    ["first", "after"],
  );
});

test("null key, empty value and null value (tombstone) round-trip to kcat and kafka-python", async (t) => {
  const topic = "nulls";
  const admin = kafka.admin();
  await admin.connect();
  t.after(() => admin.disconnect());
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
  const producer = kafka.producer();
  await producer.connect();
  t.after(() => producer.disconnect());
  await producer.send({
    topic,
    messages: [
      { key: null, value: "no key" },
      { key: "empty", value: "" },
      { key: "tombstone", value: null },
      { key: "", value: "empty key" },
    ],
  });
  const expected = [
    [null, "no key"],
    ["empty", ""],
    ["tombstone", null],
    ["", "empty key"],
  ];
  const viaPython = await consumeWithPython("kafka-python", broker.bootstrap, [`${topic}:1`]);
  assert.deepEqual(
    viaPython.map((m) => [m.key, m.value]),
    expected,
  );
  const viaConfluent = await consumeWithPython("confluent-kafka", broker.bootstrap, [`${topic}:1`]);
  assert.deepEqual(
    viaConfluent.map((m) => [m.key, m.value]),
    expected,
  );
  // kcat -J prints a missing key or value as null and an empty one as "".
  const viaKcat = await consumeWithKcat(broker.bootstrap, topic);
  assert.deepEqual(
    viaKcat.map((m) => [m.key, m.value]),
    expected,
  );
});
