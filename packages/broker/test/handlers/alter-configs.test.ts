import assert from "node:assert/strict";
import { test } from "node:test";
import { AlterConfigs, CreateTopics, DescribeConfigs, ErrorCode } from "@nagare/protocol";
import { topicBroker } from "../support/topic-broker.ts";

const TOPIC = 2;
const BROKER = 4;
const BROKER_LOGGER = 8;

async function withTopic(t: Parameters<typeof topicBroker>[0]) {
  const broker = await topicBroker(t);
  const created = await broker.call(CreateTopics, 3, {
    topics: [
      {
        name: "orders",
        numPartitions: 2,
        replicationFactor: 1,
        configs: [
          { name: "cleanup.policy", value: "compact" },
          { name: "min.insync.replicas", value: "1" },
        ],
      },
    ],
  });
  assert.equal(created.topics[0]?.errorCode, ErrorCode.NONE);
  return broker;
}

test("replaces the whole override set, persists it, applies it to the open logs (v0, as kafkajs sends it)", async (t) => {
  const broker = await withTopic(t);
  const response = await broker.call(AlterConfigs, 0, {
    resources: [
      {
        resourceType: TOPIC,
        resourceName: "orders",
        configs: [
          { name: "retention.ms", value: "1000" },
          { name: "segment.bytes", value: "4096" },
          { name: "min.insync.replicas", value: null },
        ],
      },
    ],
    validateOnly: false,
  });
  assert.deepEqual(
    response.responses.map((r) => [r.resourceType, r.resourceName, r.errorCode, r.errorMessage]),
    [[TOPIC, "orders", ErrorCode.NONE, null]],
  );
  assert.deepEqual(broker.services.metadata.topic("orders")?.configs, {
    "retention.ms": "1000",
    "segment.bytes": "4096",
  });
  for (const index of [0, 1]) {
    const log = broker.services.logs.getLog("orders", index);
    assert.equal(log?.config.retentionMs, 1000);
    assert.equal(log?.config.segmentBytes, 4096);
    assert.equal(log?.config.cleanupPolicyCompact, false, "left-out keys return to their defaults");
  }
  const described = await broker.call(DescribeConfigs, 2, {
    resources: [{ resourceType: TOPIC, resourceName: "orders", configurationKeys: ["retention.ms"] }],
  });
  assert.deepEqual(
    described.results[0]?.configs.map((c) => [c.value, c.configSource]),
    [["1000", 1]],
  );
  await broker.close();
  const again = await topicBroker(t, {}, broker.dir);
  assert.equal(again.services.metadata.topic("orders")?.configs["retention.ms"], "1000");
  assert.equal(again.services.logs.getLog("orders", 1)?.config.retentionMs, 1000);
});

test("validateOnly checks and changes nothing; invalid and unknown configs are INVALID_CONFIG", async (t) => {
  const broker = await withTopic(t);
  const before = broker.services.metadata.topic("orders")?.configs;
  const check = (configs: { name: string; value: string | null }[], validateOnly = false) =>
    broker.call(AlterConfigs, 2, {
      resources: [{ resourceType: TOPIC, resourceName: "orders", configs }],
      validateOnly,
    });
  const valid = await check([{ name: "retention.ms", value: "5" }], true);
  assert.equal(valid.responses[0]?.errorCode, ErrorCode.NONE);
  const invalid = await check([{ name: "retention.ms", value: "soon" }]);
  assert.equal(invalid.responses[0]?.errorCode, ErrorCode.INVALID_CONFIG);
  assert.match(invalid.responses[0]?.errorMessage ?? "", /retention\.ms/);
  const unknown = await check([{ name: "colour", value: "red" }]);
  assert.equal(unknown.responses[0]?.errorCode, ErrorCode.INVALID_CONFIG);
  assert.match(unknown.responses[0]?.errorMessage ?? "", /colour/);
  const badExtra = await check([{ name: "compression.type", value: "brotli" }]);
  assert.equal(badExtra.responses[0]?.errorCode, ErrorCode.INVALID_CONFIG);
  assert.deepEqual(broker.services.metadata.topic("orders")?.configs, before);
  assert.equal(broker.services.logs.getLog("orders", 0)?.config.cleanupPolicyCompact, true);
});

test("per-resource errors: unknown topic, duplicates, read-only broker configs, other resource types", async (t) => {
  const broker = await withTopic(t);
  const response = await broker.call(AlterConfigs, 1, {
    resources: [
      { resourceType: TOPIC, resourceName: "missing", configs: [] },
      { resourceType: TOPIC, resourceName: "twice", configs: [] },
      { resourceType: TOPIC, resourceName: "twice", configs: [] },
      { resourceType: BROKER, resourceName: "1", configs: [{ name: "log.retention.ms", value: "1" }] },
      { resourceType: BROKER, resourceName: "", configs: [] },
      { resourceType: BROKER, resourceName: "7", configs: [] },
      { resourceType: BROKER_LOGGER, resourceName: "1", configs: [] },
      { resourceType: 16, resourceName: "sub", configs: [] },
      { resourceType: TOPIC, resourceName: "orders", configs: [{ name: "retention.ms", value: "7" }] },
    ],
    validateOnly: false,
  });
  assert.deepEqual(
    response.responses.map((r) => [r.resourceName, r.errorCode]),
    [
      ["missing", ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
      ["twice", ErrorCode.INVALID_REQUEST],
      ["twice", ErrorCode.INVALID_REQUEST],
      ["1", ErrorCode.INVALID_REQUEST],
      ["", ErrorCode.NONE],
      ["7", ErrorCode.INVALID_REQUEST],
      ["1", ErrorCode.INVALID_REQUEST],
      ["sub", ErrorCode.INVALID_REQUEST],
      ["orders", ErrorCode.NONE],
    ],
  );
  assert.match(
    response.responses[3]?.errorMessage ?? "",
    /Cannot update these configs dynamically: log\.retention\.ms/,
  );
  assert.equal(broker.services.metadata.topic("orders")?.configs["retention.ms"], "7");
});
