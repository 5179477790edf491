// What our producer writes, read back exactly by other clients: keys, values, headers (repeated
// keys, null values, the object form), CreateTime timestamps, and all five compression codecs —
// by kcat (librdkafka, -J) and by kafkajs. kafkajs ships only gzip; the other codecs are
// registered from @nagare/protocol's decompressor, which reads Java's xerial snappy framing.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type CompressionName, Producer, type RecordHeader } from "@nagare/client";
import { decompress } from "@nagare/protocol/records";
import { type StartedBroker, startBroker } from "@nagare/testkit";
import kafkajs, { Kafka, logLevel } from "kafkajs";
import { requireTool } from "../e2e/support/clients.ts";
import { consumeWithKcat, kcat } from "../e2e/support/messages.ts";

const codecs: readonly CompressionName[] = ["none", "gzip", "snappy", "lz4", "zstd"];
const count = 300;
const base = Date.now() - 5 * 60_000;

// CommonJS: the codec registry is only reachable through the default export.
const { CompressionCodecs, CompressionTypes } = kafkajs;
let broker: StartedBroker;

function decodingOnly(codec: number) {
  return () => ({
    compress: async () => {
      throw new Error("not used");
    },
    decompress: async (buffer: Buffer) => decompress(codec, buffer, 64 << 20),
  });
}

before(async () => {
  requireTool(kcat, "kcat");
  broker = await startBroker({ config: { "num.partitions": "2" } });
  CompressionCodecs[CompressionTypes.Snappy] = decodingOnly(2);
  CompressionCodecs[CompressionTypes.LZ4] = decodingOnly(3);
  CompressionCodecs[CompressionTypes.ZSTD] = decodingOnly(4);
});
after(() => broker.stop());

/** Record i: a key, a value, headers (odd i: list form with a repeat and a null; even: object form). */
function expected(i: number) {
  const headers: [string, string | null][] =
    i % 2 === 1
      ? [
          ["seq", String(i)],
          ["tag", "ü-€"],
          ["tag", "twice"],
          ["empty", null],
        ]
      : [
          ["seq", String(i)],
          ["src", "nagare"],
        ];
  return { key: i % 7 === 0 ? null : `key-${i % 13}`, value: `välue-${i}-${"x".repeat(i % 50)}`, headers };
}

async function produce(topic: string, compression: CompressionName): Promise<void> {
  const producer = new Producer({ brokers: [broker.bootstrap], compression, lingerMs: 10, batchSize: 4096 });
  try {
    await Promise.all(
      Array.from({ length: count }, (_, i) => {
        const e = expected(i);
        const headers: readonly RecordHeader[] | Record<string, string> =
          i % 2 === 1
            ? e.headers.map(([key, value]) => ({ key, value: value === null ? null : Buffer.from(value) }))
            : Object.fromEntries(e.headers as [string, string][]);
        return producer.send({
          topic,
          ...(e.key === null ? {} : { key: e.key }),
          value: e.value,
          headers,
          timestamp: base + i,
        });
      }),
    );
  } finally {
    await producer.close();
  }
}

for (const codec of codecs) {
  test(`${codec}: kcat -J and kafkajs read back exactly what was sent`, async () => {
    const topic = `interop-${codec}`;
    await produce(topic, codec);

    const viaKcat = await consumeWithKcat(broker.bootstrap, topic);
    assert.equal(viaKcat.length, count, "kcat count");
    const byIndex = (value: string | null) => Number(value?.split("-")[1]);
    for (const m of viaKcat) {
      const i = byIndex(m.value);
      const e = expected(i);
      assert.deepEqual(
        { key: m.key, value: m.value, headers: m.headers, ts: m.timestamp, type: m.timestampType },
        { key: e.key, value: e.value, headers: e.headers, ts: base + i, type: "create" },
        `kcat record ${i}`,
      );
    }

    const kafka = new Kafka({ brokers: [broker.bootstrap], clientId: "interop", logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `interop-${codec}`, maxWaitTimeInMs: 100 });
    const seen: { i: number; key: string | null; value: string | null; headers: unknown; ts: number }[] = [];
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      let done: () => void = () => {};
      const all = new Promise<void>((resolve) => {
        done = resolve;
      });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const value = message.value?.toString() ?? null;
          const headers = Object.fromEntries(
            Object.entries(message.headers ?? {}).map(([k, v]) => [
              k,
              Array.isArray(v) ? v.map((x) => x?.toString() ?? null) : (v?.toString() ?? null),
            ]),
          );
          seen.push({
            i: byIndex(value),
            key: message.key?.toString() ?? null,
            value,
            headers,
            ts: Number(message.timestamp),
          });
          if (seen.length === count) done();
        },
      });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        all,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`kafkajs saw ${seen.length} of ${count}`)), 30_000);
        }),
      ]).finally(() => clearTimeout(timer));
    } finally {
      await consumer.disconnect();
    }
    for (const m of seen) {
      const e = expected(m.i);
      // kafkajs folds headers into an object: a repeated key becomes an array, null stays null.
      const headers: Record<string, string | null | (string | null)[]> = {};
      for (const [k, v] of e.headers) {
        const prior = headers[k];
        headers[k] = prior === undefined ? v : Array.isArray(prior) ? [...prior, v] : [prior, v];
      }
      assert.deepEqual(
        { key: m.key, value: m.value, headers: m.headers, ts: m.ts },
        { key: e.key, value: e.value, headers, ts: base + m.i },
        `kafkajs record ${m.i}`,
      );
    }
    assert.equal(new Set(seen.map((m) => m.i)).size, count, "kafkajs: every record once");
  });
}
