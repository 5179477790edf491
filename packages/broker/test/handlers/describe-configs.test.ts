import assert from "node:assert/strict";
import { test } from "node:test";
import { CreateTopics, DescribeConfigs, ErrorCode } from "@nagare/protocol";
import { brokerConfigDefs } from "../../src/config/broker-config.ts";
import { topicConfigNames } from "../../src/config/config-entries.ts";
import { topicBroker } from "../support/topic-broker.ts";

const TOPIC = 2;
const BROKER = 4;
const BROKER_LOGGER = 8;

async function withTopic(t: Parameters<typeof topicBroker>[0], overrides: Record<string, string> = {}) {
  const broker = await topicBroker(t, overrides);
  const created = await broker.call(CreateTopics, 3, {
    topics: [
      {
        name: "orders",
        numPartitions: 1,
        replicationFactor: 1,
        configs: [
          { name: "retention.ms", value: "60000" },
          { name: "compression.type", value: "zstd" },
        ],
      },
    ],
  });
  assert.equal(created.topics[0]?.errorCode, ErrorCode.NONE);
  return broker;
}

test("a topic: every config with value, source, synonyms in Kafka's order, type and documentation (v4)", async (t) => {
  const broker = await withTopic(t, { "log.segment.bytes": "2048", "log.retention.hours": "24" });
  const response = await broker.call(DescribeConfigs, 4, {
    resources: [{ resourceType: TOPIC, resourceName: "orders", configurationKeys: null }],
    includeSynonyms: true,
    includeDocumentation: true,
  });
  const result = response.results[0];
  assert.equal(result?.errorCode, ErrorCode.NONE);
  assert.equal(result?.errorMessage, null);
  assert.deepEqual(
    result?.configs.map((c) => c.name),
    topicConfigNames(),
  );
  const byName = new Map(result?.configs.map((c) => [c.name, c]));
  const retention = byName.get("retention.ms");
  assert.equal(retention?.value, "60000");
  assert.equal(retention?.configSource, 1); // DYNAMIC_TOPIC_CONFIG
  assert.equal(retention?.readOnly, false);
  assert.equal(retention?.configType, 5); // LONG
  assert.deepEqual(
    retention?.synonyms.map((s) => [s.name, s.value, s.source]),
    [
      ["retention.ms", "60000", 1],
      ["log.retention.hours", "24", 4],
      ["log.retention.hours", "168", 5],
    ],
  );
  const segment = byName.get("segment.bytes");
  assert.deepEqual(
    [segment?.value, segment?.configSource, segment?.configType],
    ["2048", 4, 3], // STATIC_BROKER_CONFIG, INT
  );
  assert.deepEqual(
    segment?.synonyms.map((s) => [s.name, s.value, s.source]),
    [
      ["log.segment.bytes", "2048", 4],
      ["log.segment.bytes", "1073741824", 5],
    ],
  );
  const flush = byName.get("segment.jitter.ms");
  assert.deepEqual([flush?.value, flush?.configSource, flush?.synonyms], ["0", 5, []]);
  assert.equal(byName.get("cleanup.policy")?.configType, 7); // LIST
  assert.equal(byName.get("min.cleanable.dirty.ratio")?.configType, 6); // DOUBLE
  assert.equal(byName.get("compression.type")?.value, "zstd");
  assert.equal(byName.get("compression.type")?.configSource, 1);
  for (const config of result?.configs ?? []) {
    assert.equal(config.isSensitive, false);
    assert.equal(typeof config.documentation, "string", config.name);
  }
});

test("kafkajs' v0 and v2: isDefault / configSource, keys filter, no synonyms unless asked", async (t) => {
  const broker = await withTopic(t);
  const v0 = await broker.call(DescribeConfigs, 0, {
    resources: [
      {
        resourceType: TOPIC,
        resourceName: "orders",
        configurationKeys: ["retention.ms", "segment.ms", "nope"],
      },
    ],
  });
  assert.deepEqual(
    v0.results[0]?.configs.map((c) => [c.name, c.value, c.isDefault]),
    [
      ["retention.ms", "60000", false],
      ["segment.ms", "604800000", true],
    ],
  );
  const v2 = await broker.call(DescribeConfigs, 2, {
    resources: [{ resourceType: TOPIC, resourceName: "orders", configurationKeys: [] }],
    includeSynonyms: false,
  });
  const configs = v2.results[0]?.configs ?? [];
  assert.equal(configs.length, topicConfigNames().length, "an empty key list means all configs");
  assert.ok(configs.every((c) => c.synonyms.length === 0));
  assert.equal(configs.find((c) => c.name === "cleanup.policy")?.configSource, 5);
  const v3 = await broker.call(DescribeConfigs, 3, {
    resources: [{ resourceType: TOPIC, resourceName: "orders", configurationKeys: ["cleanup.policy"] }],
  });
  assert.equal(v3.results[0]?.configs[0]?.documentation, null, "documentation only when asked");
});

test("the broker: every broker config, read-only, with its source; '' gives the (empty) dynamic defaults", async (t) => {
  const broker = await topicBroker(t, { "log.retention.ms": "5000" });
  const response = await broker.call(DescribeConfigs, 1, {
    resources: [
      { resourceType: BROKER, resourceName: "1", configurationKeys: null },
      { resourceType: BROKER, resourceName: "", configurationKeys: null },
    ],
    includeSynonyms: true,
  });
  const [node, defaults] = response.results;
  assert.equal(node?.errorCode, ErrorCode.NONE);
  assert.deepEqual(node?.configs.map((c) => c.name).sort(), Object.keys(brokerConfigDefs).sort());
  const byName = new Map(node?.configs.map((c) => [c.name, c]));
  assert.ok(node?.configs.every((c) => c.readOnly));
  assert.deepEqual(
    [byName.get("log.retention.ms")?.value, byName.get("log.retention.ms")?.configSource],
    ["5000", 4],
  );
  assert.deepEqual(
    byName.get("log.retention.ms")?.synonyms.map((s) => [s.name, s.value, s.source]),
    [
      ["log.retention.ms", "5000", 4],
      ["log.retention.hours", "168", 5],
    ],
  );
  assert.deepEqual(
    [byName.get("num.partitions")?.value, byName.get("num.partitions")?.configSource],
    ["1", 5],
  );
  assert.equal(byName.get("log.dirs")?.configSource, 4, "set by the test fixture");
  assert.equal(byName.get("log.roll.ms")?.value, null);
  assert.deepEqual(byName.get("log.roll.ms")?.synonyms, [], "Kafka drops synonyms before the config itself");
  assert.deepEqual([defaults?.errorCode, defaults?.configs], [ErrorCode.NONE, []]);

  const v3 = await broker.call(DescribeConfigs, 3, {
    resources: [
      { resourceType: BROKER, resourceName: "1", configurationKeys: ["auto.create.topics.enable"] },
    ],
    includeDocumentation: true,
  });
  const entry = v3.results[0]?.configs[0];
  assert.deepEqual([entry?.configType, entry?.value], [1, "true"]); // BOOLEAN
  assert.equal(typeof entry?.documentation, "string");
});

test("per-resource errors with messages, in request order", async (t) => {
  const broker = await withTopic(t);
  const response = await broker.call(DescribeConfigs, 2, {
    resources: [
      { resourceType: TOPIC, resourceName: "missing", configurationKeys: null },
      { resourceType: TOPIC, resourceName: "bad/name", configurationKeys: null },
      { resourceType: BROKER, resourceName: "2", configurationKeys: null },
      { resourceType: BROKER, resourceName: "one", configurationKeys: null },
      { resourceType: BROKER_LOGGER, resourceName: "1", configurationKeys: null },
      { resourceType: 99, resourceName: "x", configurationKeys: null },
      { resourceType: TOPIC, resourceName: "orders", configurationKeys: ["retention.ms"] },
    ],
  });
  assert.deepEqual(
    response.results.map((r) => [r.resourceType, r.resourceName, r.errorCode, r.configs.length]),
    [
      [TOPIC, "missing", ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 0],
      [TOPIC, "bad/name", ErrorCode.INVALID_TOPIC_EXCEPTION, 0],
      [BROKER, "2", ErrorCode.INVALID_REQUEST, 0],
      [BROKER, "one", ErrorCode.INVALID_REQUEST, 0],
      [BROKER_LOGGER, "1", ErrorCode.INVALID_REQUEST, 0],
      [99, "x", ErrorCode.INVALID_REQUEST, 0],
      [TOPIC, "orders", ErrorCode.NONE, 1],
    ],
  );
  for (const r of response.results.slice(0, 6)) assert.ok(r.errorMessage, `${r.resourceName} has a message`);
  assert.match(response.results[2]?.errorMessage ?? "", /expected 1/);
});
