// Everyday usage with real clients against a running broker: produce keyed messages with headers
// using each compression codec from one client, read them back with another, and compare exactly.
// (Consumer groups are issue 5: consumers here use partition assignment.)

import assert from "node:assert/strict";
import { test } from "node:test";
import { startBroker } from "@nagare/testkit";
import { CompressionTypes, Kafka, logLevel } from "kafkajs";
import { debianPython, requireTool, run } from "./support/clients.ts";
import { consumeWithKcat, kcat } from "./support/messages.ts";

const count = 2000;

interface Consumed {
  partition: number;
  offset: number;
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** Every message of `topic` read by kcat, flattened for the checks below. */
async function consumeAll(bootstrap: string, topic: string): Promise<Consumed[]> {
  return (await consumeWithKcat(bootstrap, topic)).map((m) => ({
    partition: m.partition,
    offset: m.offset,
    key: m.key ?? "",
    value: m.value ?? "",
    headers: Object.fromEntries(m.headers.map(([key, value]) => [key, value ?? ""])),
  }));
}

function checkOrderAndOffsets(messages: Consumed[], expectedCount: number, prefix: string): void {
  assert.equal(messages.length, expectedCount);
  const byPartition = new Map<number, Consumed[]>();
  for (const m of messages) byPartition.set(m.partition, [...(byPartition.get(m.partition) ?? []), m]);
  for (const [partition, list] of byPartition) {
    assert.deepEqual(
      list.map((m) => m.offset),
      list.map((_, i) => i),
      `contiguous offsets in partition ${partition}`,
    );
    // per-partition order: the producer's sequence numbers increase
    const seq = list.map((m) => Number(m.value.split("-")[1]));
    assert.deepEqual(
      seq,
      [...seq].sort((a, b) => a - b),
      `order in partition ${partition}`,
    );
  }
  for (const m of messages) {
    const i = Number(m.value.split("-")[1]);
    assert.equal(m.key, `key-${i % 97}`);
    assert.equal(m.value, `${prefix}-${i}`);
    assert.equal(m.headers.seq, String(i));
  }
}

test("kafkajs produces with none and gzip; kcat reads every message back exactly", async (t) => {
  requireTool(kcat, "kcat");
  const broker = await startBroker({ config: { "num.partitions": "3" } });
  t.after(() => broker.stop());
  const kafka = new Kafka({ brokers: [broker.bootstrap], clientId: "e2e", logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  t.after(() => producer.disconnect());
  for (const [codec, name] of [
    [CompressionTypes.None, "none"],
    [CompressionTypes.GZIP, "gzip"],
  ] as const) {
    const topic = `kafkajs-${name}`;
    for (let from = 0; from < count; from += 500) {
      await producer.send({
        topic,
        compression: codec,
        messages: Array.from({ length: 500 }, (_, j) => {
          const i = from + j;
          return { key: `key-${i % 97}`, value: `kjs-${i}`, headers: { seq: String(i) } };
        }),
      });
    }
    checkOrderAndOffsets(await consumeAll(broker.bootstrap, topic), count, "kjs");
  }
});

test("kcat produces with every codec; kcat and kafka-python read it back; keys land in the same partitions", async (t) => {
  requireTool(kcat, "kcat");
  requireTool(debianPython, "python3-kafka");
  const broker = await startBroker({ config: { "num.partitions": "4" } });
  t.after(() => broker.stop());
  const input = Array.from({ length: count }, (_, i) => `key-${i % 97}|kcat-${i}`).join("\n");
  const partitionOfKey = new Map<string, number>();
  for (const codec of ["none", "gzip", "snappy", "lz4", "zstd"]) {
    const topic = `kcat-${codec}`;
    // headers can only be constant with kcat -H; seq is checked through the value instead
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
        "-z",
        codec,
        "-H",
        `seq=from-kcat`,
        "-X",
        "linger.ms=5",
      ],
      { input, timeoutMs: 60_000 },
    );
    assert.equal(produced.code, 0, produced.stderr);
    const messages = await consumeAll(broker.bootstrap, topic);
    assert.equal(messages.length, count, `${codec}: every message`);
    for (const m of messages) {
      assert.equal(m.key, `key-${Number(m.value.split("-")[1]) % 97}`);
      assert.equal(m.headers.seq, "from-kcat");
      const known = partitionOfKey.get(m.key);
      if (known === undefined) partitionOfKey.set(m.key, m.partition);
      else assert.equal(m.partition, known, `${m.key} always lands in one partition`);
    }
  }
  const script = `
import sys
from kafka import KafkaConsumer, TopicPartition
c = KafkaConsumer(bootstrap_servers=sys.argv[1], group_id=None, enable_auto_commit=False, consumer_timeout_ms=5000, api_version_auto_timeout_ms=5000)
parts = [TopicPartition(sys.argv[2], p) for p in range(4)]
c.assign(parts)
c.seek_to_beginning(*parts)
n = 0
for m in c:
    n += 1
print(n)
`;
  const py = await run(debianPython, ["-c", script, broker.bootstrap, "kcat-lz4"], { timeoutMs: 60_000 });
  assert.equal(py.code, 0, py.stderr);
  assert.equal(Number(py.stdout.trim()), count);
});
