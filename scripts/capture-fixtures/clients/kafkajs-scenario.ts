// kafkajs side of the capture (run by ../capture.ts as its own process so a hang can be killed):
// admin createTopics, one producer send per topic of the spec (none or gzip, keys and headers, an
// idempotent producer where asked), then a consumer group that reads, commits and leaves.

import { CompressionTypes, Kafka, logLevel } from "kafkajs";
import type { ProduceSpec, ScenarioSpec } from "../spec.ts";

const spec = JSON.parse(process.env.FX_SPEC ?? "") as ScenarioSpec;
const kafka = new Kafka({
  clientId: spec.clientId,
  brokers: [spec.bootstrap],
  logLevel: logLevel.ERROR,
  retry: { retries: 2 },
});

function compressionOf(produce: ProduceSpec): CompressionTypes {
  if (produce.codec === "none") return CompressionTypes.None;
  if (produce.codec === "gzip") return CompressionTypes.GZIP;
  throw new Error(`kafkajs has no built-in ${produce.codec} codec`);
}

const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic: spec.createTopic, numPartitions: 2 }] });
await admin.disconnect();

for (const produce of spec.produce) {
  const producer = kafka.producer(
    produce.idempotent === true
      ? { idempotent: true, maxInFlightRequests: 1 }
      : { allowAutoTopicCreation: true },
  );
  await producer.connect();
  await producer.send({
    topic: produce.topic,
    compression: compressionOf(produce),
    messages: produce.messages.map((message) => ({
      key: message.key,
      value: message.value,
      headers: Object.fromEntries(message.headers.map((h) => [h.key, h.value ?? undefined])),
    })),
  });
  await producer.disconnect();
}

const consumer = kafka.consumer({ groupId: spec.group, heartbeatInterval: 300 });
await consumer.connect();
await consumer.subscribe({ topics: [spec.consumeTopic], fromBeginning: true });
let received = 0;
let reachedCount: () => void = () => {};
const done = new Promise<void>((resolve) => {
  reachedCount = resolve;
});
await consumer.run({
  eachMessage: async () => {
    received++;
    if (received >= spec.consumeCount) reachedCount();
  },
});
await done;
// Stay a moment so the offsets are committed and a heartbeat or two is sent.
await new Promise((resolve) => setTimeout(resolve, 1500));
await consumer.disconnect();
