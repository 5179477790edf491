import assert from "node:assert/strict";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { CreateTopics, ErrorCode } from "@nagare/protocol";
import { zeroUuid } from "../../src/metadata/ids.ts";
import { topicBroker } from "../support/topic-broker.ts";

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

test("creates a topic with N partitions and its logs (v3, as kafkajs sends it); it survives a restart", async (t) => {
  const broker = await topicBroker(t);
  const response = await broker.call(CreateTopics, 3, {
    topics: [
      {
        name: "orders",
        numPartitions: 4,
        replicationFactor: 1,
        configs: [{ name: "retention.ms", value: "60000" }],
      },
    ],
    timeoutMs: 5000,
  });
  assert.deepEqual(
    response.topics.map((topic) => [topic.name, topic.errorCode, topic.errorMessage]),
    [["orders", 0, null]],
  );
  const created = broker.services.metadata.topic("orders");
  assert.equal(created?.partitions, 4);
  assert.deepEqual(created?.configs, { "retention.ms": "60000" });
  for (const index of [0, 1, 2, 3]) assert.ok(await exists(join(broker.dir, `orders-${index}`)));
  assert.ok(broker.services.replicas.partition("orders", 3));
  await broker.close();

  const again = await topicBroker(t, {}, broker.dir);
  assert.equal(again.services.metadata.topic("orders")?.topicId, created?.topicId);
  assert.ok(again.services.replicas.partition("orders", 3));
});

test("Kafka's per-topic errors, with messages from v1", async (t) => {
  const broker = await topicBroker(t);
  await broker.call(CreateTopics, 1, { topics: [{ name: "taken", numPartitions: 1, replicationFactor: 1 }] });
  await broker.call(CreateTopics, 1, {
    topics: [{ name: "metrics_cpu", numPartitions: 1, replicationFactor: 1 }],
  });
  const response = await broker.call(CreateTopics, 4, {
    topics: [
      { name: "taken", numPartitions: 1, replicationFactor: 1 },
      { name: "bad/name", numPartitions: 1, replicationFactor: 1 },
      { name: "metrics.cpu", numPartitions: 1, replicationFactor: 1 },
      { name: "zero", numPartitions: 0, replicationFactor: 1 },
      { name: "wide", numPartitions: 1, replicationFactor: 3 },
      {
        name: "badconfig",
        numPartitions: 1,
        replicationFactor: 1,
        configs: [{ name: "retention.ms", value: "x" }],
      },
      {
        name: "unknownconfig",
        numPartitions: 1,
        replicationFactor: 1,
        configs: [{ name: "colour", value: "red" }],
      },
      {
        name: "nullconfig",
        numPartitions: 1,
        replicationFactor: 1,
        configs: [{ name: "retention.ms", value: null }],
      },
      { name: "twice", numPartitions: 1, replicationFactor: 1 },
      { name: "twice", numPartitions: 2, replicationFactor: 1 },
    ],
  });
  assert.deepEqual(
    response.topics.map((topic) => [topic.name, topic.errorCode]),
    [
      ["taken", ErrorCode.TOPIC_ALREADY_EXISTS],
      ["bad/name", ErrorCode.INVALID_TOPIC_EXCEPTION],
      ["metrics.cpu", ErrorCode.INVALID_TOPIC_EXCEPTION],
      ["zero", ErrorCode.INVALID_PARTITIONS],
      ["wide", ErrorCode.INVALID_REPLICATION_FACTOR],
      ["badconfig", ErrorCode.INVALID_CONFIG],
      ["unknownconfig", ErrorCode.INVALID_CONFIG],
      ["nullconfig", ErrorCode.INVALID_CONFIG],
      ["twice", ErrorCode.INVALID_REQUEST],
    ],
  );
  const messages = new Map(response.topics.map((topic) => [topic.name, topic.errorMessage ?? ""]));
  assert.match(messages.get("taken") ?? "", /Topic 'taken' already exists/);
  assert.match(messages.get("badconfig") ?? "", /retention\.ms/);
  assert.match(messages.get("unknownconfig") ?? "", /colour/);
  assert.match(messages.get("nullconfig") ?? "", /Null value not supported for topic configs: retention\.ms/);
  assert.match(messages.get("wide") ?? "", /replication factor of 3/);
  for (const name of ["zero", "wide", "badconfig", "twice", "metrics.cpu"])
    assert.equal(broker.services.metadata.topic(name), undefined, name);

  // v0 has no error message field; the code still arrives.
  const v0 = await broker.call(CreateTopics, 0, {
    topics: [{ name: "taken", numPartitions: 1, replicationFactor: 1 }],
  });
  assert.deepEqual(
    v0.topics.map((topic) => [topic.name, topic.errorCode]),
    [["taken", ErrorCode.TOPIC_ALREADY_EXISTS]],
  );
});

test("-1 takes the broker defaults (KIP-464); validateOnly creates nothing", async (t) => {
  const broker = await topicBroker(t, { "num.partitions": "5" });
  const checked = await broker.call(CreateTopics, 4, {
    topics: [{ name: "dry", numPartitions: -1, replicationFactor: -1 }],
    validateOnly: true,
  });
  assert.equal(checked.topics[0]?.errorCode, ErrorCode.NONE);
  assert.equal(broker.services.metadata.topic("dry"), undefined);
  assert.equal(await exists(join(broker.dir, "dry-0")), false);
  const invalidDry = await broker.call(CreateTopics, 4, {
    topics: [{ name: "dry", numPartitions: -1, replicationFactor: 2 }],
    validateOnly: true,
  });
  assert.equal(invalidDry.topics[0]?.errorCode, ErrorCode.INVALID_REPLICATION_FACTOR);

  await broker.call(CreateTopics, 4, {
    topics: [{ name: "defaults", numPartitions: -1, replicationFactor: -1 }],
  });
  assert.equal(broker.services.metadata.topic("defaults")?.partitions, 5);
});

test("manual assignments: every partition on this node, both counts -1", async (t) => {
  const broker = await topicBroker(t);
  const assignments = [
    { partitionIndex: 1, brokerIds: [1] },
    { partitionIndex: 0, brokerIds: [1] },
  ];
  const response = await broker.call(CreateTopics, 3, {
    topics: [
      { name: "manual", numPartitions: -1, replicationFactor: -1, assignments },
      { name: "counted", numPartitions: 2, replicationFactor: -1, assignments },
      {
        name: "elsewhere",
        numPartitions: -1,
        replicationFactor: -1,
        assignments: [{ partitionIndex: 0, brokerIds: [2] }],
      },
      {
        name: "doubled",
        numPartitions: -1,
        replicationFactor: -1,
        assignments: [{ partitionIndex: 0, brokerIds: [1, 1] }],
      },
      {
        name: "gap",
        numPartitions: -1,
        replicationFactor: -1,
        assignments: [{ partitionIndex: 1, brokerIds: [1] }],
      },
    ],
  });
  assert.deepEqual(
    response.topics.map((topic) => [topic.name, topic.errorCode]),
    [
      ["manual", ErrorCode.NONE],
      ["counted", ErrorCode.INVALID_REQUEST],
      ["elsewhere", ErrorCode.INVALID_REPLICA_ASSIGNMENT],
      ["doubled", ErrorCode.INVALID_REPLICA_ASSIGNMENT],
      ["gap", ErrorCode.INVALID_REPLICA_ASSIGNMENT],
    ],
  );
  assert.equal(broker.services.metadata.topic("manual")?.partitions, 2);
});

test("v5+ answers partitions, replication factor and effective configs; v7 the topic id", async (t) => {
  const broker = await topicBroker(t, { "log.segment.bytes": "1048576" });
  const response = await broker.call(CreateTopics, 7, {
    topics: [
      {
        name: "described",
        numPartitions: 2,
        replicationFactor: 1,
        configs: [
          { name: "cleanup.policy", value: "compact" },
          { name: "min.insync.replicas", value: "1" },
        ],
      },
    ],
  });
  const [topic] = response.topics;
  assert.equal(topic?.errorCode, ErrorCode.NONE);
  assert.equal(topic?.topicId, broker.services.metadata.topic("described")?.topicId);
  assert.notEqual(topic?.topicId, zeroUuid);
  assert.equal(topic?.numPartitions, 2);
  assert.equal(topic?.replicationFactor, 1);
  const configs = new Map((topic?.configs ?? []).map((c) => [c.name, c]));
  assert.deepEqual(
    [configs.get("cleanup.policy")?.value, configs.get("cleanup.policy")?.configSource],
    ["compact", 1],
  );
  assert.deepEqual(
    [configs.get("segment.bytes")?.value, configs.get("segment.bytes")?.configSource],
    ["1048576", 4],
  );
  assert.deepEqual(
    [configs.get("retention.ms")?.value, configs.get("retention.ms")?.configSource],
    ["604800000", 5],
  );
  assert.equal(configs.get("min.insync.replicas")?.value, "1");
  const names = (topic?.configs ?? []).map((c) => c.name);
  assert.deepEqual(names, [...names].sort());
});
