// Every producer × every other consumer, with every codec each producer supports: keyed messages
// with headers and CreateTime timestamps go in through one client and must come out of the others
// exactly (keys, values, headers, per-partition order, contiguous offsets, timestamps).
// confluent-kafka writes 10,000 messages per codec (all five); kafka-python (all five), kcat (all
// five) and kafkajs (none, gzip) write 1,000 per codec, which keeps the whole matrix to seconds.
// Consumers use partition assignment (consumer groups are issue 5), so kafkajs only produces.
// Every producer uses the Java-compatible murmur2 partitioner: a key lands in the same partition
// whichever client sent it.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type StartedBroker, startBroker } from "@nagare/testkit";
import { CompressionTypes, Kafka, logLevel } from "kafkajs";
import { debianPython, requireTool, run } from "./support/clients.ts";
import {
  type Consumed,
  checkTopic,
  consumeWithKcat,
  consumeWithPython,
  type Expected,
  groupBy,
  javaPartition,
  kcat,
  murmur2,
  produceWithPython,
} from "./support/messages.ts";

const partitions = 4;
const codecs = ["none", "gzip", "snappy", "lz4", "zstd"] as const;

type ProducerName = "confluent-kafka" | "kafka-python" | "kcat" | "kafkajs";
interface ProducedTopic {
  readonly topic: string;
  readonly producer: ProducerName;
  readonly expected: Expected;
}

let broker: StartedBroker;
const produced: ProducedTopic[] = [];

async function produceWithKafkajs(topic: string, codec: "none" | "gzip", count: number, base: number) {
  const kafka = new Kafka({ brokers: [broker.bootstrap], clientId: "cross", logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  try {
    for (let from = 0; from < count; from += 250) {
      await producer.send({
        topic,
        acks: -1,
        compression: codec === "gzip" ? CompressionTypes.GZIP : CompressionTypes.None,
        messages: Array.from({ length: Math.min(250, count - from) }, (_, j) => {
          const i = from + j;
          return {
            key: `key-${i % 97}`,
            value: `kjs-${i}`,
            headers: { seq: String(i), src: "kjs" },
            timestamp: String(base + i),
          };
        }),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

async function produceWithKcat(topic: string, codec: string, count: number): Promise<void> {
  // kcat -P sends constant headers only and stamps CreateTime itself; seq travels in the value.
  const input = Array.from({ length: count }, (_, i) => `key-${i % 97}|kcat-${i}`).join("\n");
  const args = ["-b", broker.bootstrap, "-P", "-t", topic, "-K", "|", "-z", codec, "-H", "src=kcat"];
  const result = await run(
    kcat,
    [...args, "-X", "linger.ms=5", "-X", "partitioner=murmur2_random", "-X", "acks=all"],
    { input, timeoutMs: 60_000 },
  );
  assert.equal(result.code, 0, result.stderr);
}

before(async () => {
  requireTool(kcat, "kcat");
  requireTool(debianPython, "python3-kafka python3-confluent-kafka");
  broker = await startBroker({ config: { "num.partitions": String(partitions) } });
  // CreateTime a little in the past: inside any timestamp-skew limit, far from retention.
  const base = Date.now() - 10 * 60_000;
  for (const codec of codecs) {
    const ck = `ck-${codec}`;
    await produceWithPython("confluent-kafka", broker.bootstrap, ck, codec, 10_000, "ck", base);
    produced.push({
      topic: ck,
      producer: "confluent-kafka",
      expected: { prefix: "ck", count: 10_000, seqHeader: true, timestamps: { base } },
    });
    const kp = `kp-${codec}`;
    await produceWithPython("kafka-python", broker.bootstrap, kp, codec, 1000, "kp", base);
    produced.push({
      topic: kp,
      producer: "kafka-python",
      expected: { prefix: "kp", count: 1000, seqHeader: true, timestamps: { base } },
    });
    const kc = `kcat-${codec}`;
    const from = Date.now();
    await produceWithKcat(kc, codec, 1000);
    produced.push({
      topic: kc,
      producer: "kcat",
      expected: { prefix: "kcat", count: 1000, seqHeader: false, timestamps: { from, to: Date.now() } },
    });
  }
  for (const codec of ["none", "gzip"] as const) {
    const topic = `kjs-${codec}`;
    await produceWithKafkajs(topic, codec, 1000, base);
    produced.push({
      topic,
      producer: "kafkajs",
      expected: { prefix: "kjs", count: 1000, seqHeader: true, timestamps: { base } },
    });
  }
});

after(() => broker?.stop());

function checkAll(consumer: string, messages: readonly Consumed[], topics: readonly ProducedTopic[]): void {
  const byTopic = groupBy(messages, (m) => m.topic);
  for (const p of topics)
    checkTopic(byTopic.get(p.topic) ?? [], p.expected, `${p.producer} → ${consumer}: ${p.topic}`);
  assert.equal(byTopic.size, topics.length, `${consumer} read only the topics asked for`);
}

test("kcat reads what confluent-kafka, kafka-python and kafkajs produced, every codec", async () => {
  const topics = produced.filter((p) => p.producer !== "kcat");
  // kcat -C reads one topic per run; three runs at a time.
  for (let i = 0; i < topics.length; i += 3) {
    const slice = topics.slice(i, i + 3);
    const results = await Promise.all(slice.map((p) => consumeWithKcat(broker.bootstrap, p.topic)));
    slice.forEach((p, j) => {
      checkAll("kcat", results[j] ?? [], [p]);
    });
  }
});

test("kafka-python reads what confluent-kafka, kcat and kafkajs produced, every codec", async () => {
  const topics = produced.filter((p) => p.producer !== "kafka-python");
  const specs = topics.map((p) => `${p.topic}:${partitions}`);
  checkAll("kafka-python", await consumeWithPython("kafka-python", broker.bootstrap, specs), topics);
});

test("confluent-kafka reads what kafka-python, kcat and kafkajs produced, every codec", async () => {
  const topics = produced.filter((p) => p.producer !== "confluent-kafka");
  const specs = topics.map((p) => `${p.topic}:${partitions}`);
  checkAll("confluent-kafka", await consumeWithPython("confluent-kafka", broker.bootstrap, specs), topics);
});

test("a key lands in the partition Java's murmur2 picks, whichever client produced it", async () => {
  // Kafka's own test vector (UtilsTest.testMurmur2) guards the reference implementation.
  assert.equal(murmur2(Buffer.from("21")), -973932308);
  const messages = await consumeWithPython(
    "confluent-kafka",
    broker.bootstrap,
    ["ck-none", "kp-none", "kcat-none", "kjs-none"].map((topic) => `${topic}:${partitions}`),
  );
  assert.equal(messages.length, 13_000);
  for (const m of messages) {
    const key = m.key ?? "";
    if (m.partition !== javaPartition(key, partitions))
      assert.fail(
        `${m.topic}: ${key} in partition ${m.partition}, Java puts it in ${javaPartition(key, partitions)}`,
      );
  }
});
