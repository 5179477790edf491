// Topic and broker configs with real clients: kafkajs' admin describes them (all configs, with
// sources and synonyms) and alters a topic's retention; then a retention change made with
// IncrementalAlterConfigs (sent as a raw request through our codec: kafkajs has no incremental API,
// Debian's confluent-kafka 1.7 neither) deletes old segments of a running topic, visible as the
// log start offset advancing in ListOffsets.

import assert from "node:assert/strict";
import { connect } from "node:net";
import { test } from "node:test";
import {
  decodeResponse,
  encodeRequest,
  FrameSplitter,
  IncrementalAlterConfigs,
  type RequestInput,
} from "@nagare/protocol";
import { startBroker } from "@nagare/testkit";
import { Kafka, logLevel } from "kafkajs";

// kafkajs' ConfigResourceTypes / ConfigSource enums (its CommonJS build has no named exports for them).
const ConfigResourceTypes = { TOPIC: 2, BROKER: 4 } as const;
const ConfigSource = { TOPIC_CONFIG: 1, STATIC_BROKER_CONFIG: 4, DEFAULT_CONFIG: 5 } as const;

/** One IncrementalAlterConfigs v1 round trip on its own connection. */
async function incrementalAlterConfigs(port: number, body: RequestInput<typeof IncrementalAlterConfigs>) {
  const socket = connect(port, "127.0.0.1");
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const splitter = new FrameSplitter({ maxFrameBytes: 1 << 20 });
    const frame = new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no IncrementalAlterConfigs response in 5 s")), 5000);
      socket.on("data", (chunk: Buffer) => {
        const [first] = splitter.push(chunk);
        if (first) {
          clearTimeout(timer);
          resolve(first);
        }
      });
    });
    for (const chunk of encodeRequest(
      IncrementalAlterConfigs,
      { apiVersion: 1, correlationId: 7, clientId: "configs-e2e" },
      body,
    ))
      socket.write(chunk);
    return decodeResponse(IncrementalAlterConfigs, 1, await frame).body;
  } finally {
    socket.destroy();
  }
}

/** Polls `check` until it returns a value or `timeoutMs` passes. */
async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

test("describe and alter configs with kafkajs; a retention change deletes old segments", async (t) => {
  const broker = await startBroker({ config: { "log.retention.check.interval.ms": "200" } });
  const kafka = new Kafka({
    brokers: [broker.bootstrap],
    clientId: "configs-e2e",
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  const producer = kafka.producer();
  t.after(async () => {
    await producer.disconnect();
    await admin.disconnect();
    await broker.stop();
  });
  await admin.connect();
  await producer.connect();
  const topic = "retained";
  await admin.createTopics({
    topics: [{ topic, numPartitions: 1, configEntries: [{ name: "segment.bytes", value: "1024" }] }],
  });

  // Every topic config, with sources and synonyms.
  const described = await admin.describeConfigs({
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
    includeSynonyms: true,
  });
  const entries = new Map(described.resources[0]?.configEntries.map((e) => [e.configName, e]));
  assert.ok(entries.size >= 30, `all topic configs (${entries.size})`);
  assert.deepEqual(
    [entries.get("segment.bytes")?.configValue, entries.get("segment.bytes")?.configSource],
    ["1024", ConfigSource.TOPIC_CONFIG],
  );
  const retention = entries.get("retention.ms");
  assert.deepEqual(
    [retention?.configValue, retention?.configSource, retention?.readOnly],
    ["604800000", ConfigSource.DEFAULT_CONFIG, false],
  );
  assert.deepEqual(
    retention?.configSynonyms.map((s) => [s.configName, s.configValue, s.configSource]),
    [["log.retention.hours", "168", ConfigSource.DEFAULT_CONFIG]],
  );

  // Every broker config, read-only, with where it came from.
  const brokerConfigs = await admin.describeConfigs({
    resources: [{ type: ConfigResourceTypes.BROKER, name: "1" }],
    includeSynonyms: false,
  });
  const brokerEntries = new Map(brokerConfigs.resources[0]?.configEntries.map((e) => [e.configName, e]));
  assert.equal(brokerConfigs.resources[0]?.errorCode, 0);
  const interval = brokerEntries.get("log.retention.check.interval.ms");
  assert.deepEqual(
    [interval?.configValue, interval?.configSource, interval?.readOnly],
    ["200", ConfigSource.STATIC_BROKER_CONFIG, true],
  );
  assert.deepEqual(
    [brokerEntries.get("num.partitions")?.configValue, brokerEntries.get("num.partitions")?.configSource],
    ["1", ConfigSource.DEFAULT_CONFIG],
  );

  // AlterConfigs replaces the topic's overrides: keep segment.bytes, set retention.ms.
  await admin.alterConfigs({
    validateOnly: false,
    resources: [
      {
        type: ConfigResourceTypes.TOPIC,
        name: topic,
        configEntries: [
          { name: "segment.bytes", value: "1024" },
          { name: "retention.ms", value: "3600000" },
        ],
      },
    ],
  });
  const altered = await admin.describeConfigs({
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ["retention.ms"] }],
    includeSynonyms: false,
  });
  assert.deepEqual(
    altered.resources[0]?.configEntries.map((e) => [e.configName, e.configValue, e.configSource]),
    [["retention.ms", "3600000", ConfigSource.TOPIC_CONFIG]],
  );

  // Enough single-record batches to roll many 1 KiB segments.
  const count = 40;
  for (let i = 0; i < count; i++)
    await producer.send({ topic, acks: 1, messages: [{ key: `k${i}`, value: "x".repeat(200) }] });
  const [before] = await admin.fetchTopicOffsets(topic);
  assert.deepEqual([before?.low, before?.high], ["0", String(count)]);

  const response = await incrementalAlterConfigs(broker.port, {
    resources: [
      {
        resourceType: ConfigResourceTypes.TOPIC,
        resourceName: topic,
        configs: [{ name: "retention.ms", configOperation: 0, value: "100" }],
      },
    ],
    validateOnly: false,
  });
  assert.deepEqual(
    response.responses.map((r) => [r.resourceName, r.errorCode, r.errorMessage]),
    [[topic, 0, null]],
  );

  // The retention check (every 200 ms) deletes the expired segments: the log start offset advances.
  const after = await waitFor("the log start offset to advance", 15_000, async () => {
    const [offsets] = await admin.fetchTopicOffsets(topic);
    return offsets && Number(offsets.low) > 0 ? offsets : undefined;
  });
  assert.equal(after.high, String(count), "the log end offset stays");
  const overrides = await admin.describeConfigs({
    resources: [
      { type: ConfigResourceTypes.TOPIC, name: topic, configNames: ["retention.ms", "segment.bytes"] },
    ],
    includeSynonyms: false,
  });
  assert.deepEqual(overrides.resources[0]?.configEntries.map((e) => [e.configName, e.configValue]).sort(), [
    ["retention.ms", "100"],
    ["segment.bytes", "1024"],
  ]);
});
