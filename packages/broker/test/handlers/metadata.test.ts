import assert from "node:assert/strict";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { CreateTopics, ErrorCode, Metadata } from "@nagare/protocol";
import { zeroUuid } from "../../src/metadata/ids.ts";
import { topicBroker } from "../support/topic-broker.ts";

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

test("brokers, cluster id and controller come from this node and its advertised listener", async (t) => {
  const broker = await topicBroker(t, {
    "node.id": "4",
    listeners: "PLAINTEXT://127.0.0.1:0",
    "advertised.listeners": "PLAINTEXT://kafka.example:19092",
  });
  const v1 = await broker.call(Metadata, 1, { topics: null });
  assert.deepEqual(v1.brokers, [{ nodeId: 4, host: "kafka.example", port: 19092, rack: null }]);
  assert.equal(v1.controllerId, 4);
  const v2 = await broker.call(Metadata, 2, { topics: [] });
  assert.equal(v2.clusterId, broker.services.clusterId);
  assert.match(v2.clusterId ?? "", /^[A-Za-z0-9_-]{22}$/);
  assert.deepEqual(v2.topics, []);
});

test("v0 reads an empty list as all topics; v1+ as none and null as all", async (t) => {
  const broker = await topicBroker(t);
  await broker.call(CreateTopics, 3, {
    topics: [
      { name: "b", numPartitions: 1, replicationFactor: 1 },
      { name: "a", numPartitions: 2, replicationFactor: 1 },
    ],
  });
  const v0 = await broker.call(Metadata, 0, { topics: [] });
  assert.deepEqual(
    v0.topics.map((topic) => topic.name),
    ["a", "b"],
  );
  assert.deepEqual((await broker.call(Metadata, 1, { topics: [] })).topics, []);
  assert.deepEqual(
    (await broker.call(Metadata, 9, { topics: null })).topics.map((topic) => topic.name),
    ["a", "b"],
  );
  const one = await broker.call(Metadata, 4, {
    topics: [{ name: "a" }, { name: "a" }],
    allowAutoTopicCreation: false,
  });
  assert.equal(one.topics.length, 1);
});

test("partitions are led by this node at the partition's epoch, with replicas and ISR of one", async (t) => {
  const broker = await topicBroker(t);
  await broker.call(CreateTopics, 3, {
    topics: [{ name: "orders", numPartitions: 3, replicationFactor: 1 }],
  });
  const response = await broker.call(Metadata, 7, { topics: [{ name: "orders" }] });
  const [topic] = response.topics;
  assert.equal(topic?.errorCode, ErrorCode.NONE);
  assert.equal(topic?.isInternal, false);
  assert.deepEqual(
    topic?.partitions,
    [0, 1, 2].map((partitionIndex) => ({
      errorCode: 0,
      partitionIndex,
      leaderId: 1,
      leaderEpoch: 0,
      replicaNodes: [1],
      isrNodes: [1],
      offlineReplicas: [],
    })),
  );
});

test("unknown topics are auto-created with num.partitions when broker and request allow it", async (t) => {
  const broker = await topicBroker(t, { "num.partitions": "3" });
  const created = await broker.call(Metadata, 4, {
    topics: [{ name: "fresh" }],
    allowAutoTopicCreation: true,
  });
  assert.equal(created.topics[0]?.errorCode, ErrorCode.NONE);
  assert.equal(created.topics[0]?.partitions.length, 3);
  assert.equal(broker.services.metadata.topic("fresh")?.partitions, 3);
  assert.ok(await exists(join(broker.dir, "fresh-2")));

  const refused = await broker.call(Metadata, 4, {
    topics: [{ name: "other" }],
    allowAutoTopicCreation: false,
  });
  assert.equal(refused.topics[0]?.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  assert.equal(broker.services.metadata.topic("other"), undefined);

  // Below v4 there is no flag: creation is allowed.
  const old = await broker.call(Metadata, 0, { topics: [{ name: "legacy" }] });
  assert.equal(old.topics[0]?.errorCode, ErrorCode.NONE);
  assert.ok(broker.services.metadata.topic("legacy"));

  const illegal = await broker.call(Metadata, 4, {
    topics: [{ name: "bad name" }],
    allowAutoTopicCreation: true,
  });
  assert.equal(illegal.topics[0]?.errorCode, ErrorCode.INVALID_TOPIC_EXCEPTION);

  const internal = await broker.call(Metadata, 4, { topics: [{ name: "__consumer_offsets" }] });
  assert.equal(internal.topics[0]?.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  assert.equal(internal.topics[0]?.isInternal, true);
});

test("auto.create.topics.enable=false refuses creation whatever the request says", async (t) => {
  const broker = await topicBroker(t, { "auto.create.topics.enable": "false" });
  const response = await broker.call(Metadata, 1, { topics: [{ name: "nope" }] });
  assert.equal(response.topics[0]?.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  assert.equal(broker.services.metadata.topic("nope"), undefined);
});

test("topic ids from v10; lookup by id from v12; ids in v10-11 requests are refused", async (t) => {
  const broker = await topicBroker(t);
  await broker.call(CreateTopics, 3, { topics: [{ name: "ids", numPartitions: 1, replicationFactor: 1 }] });
  const topicId = broker.services.metadata.topic("ids")?.topicId ?? "";
  const v10 = await broker.call(Metadata, 10, { topics: [{ name: "ids" }] });
  assert.equal(v10.topics[0]?.topicId, topicId);

  const byId = await broker.call(Metadata, 12, { topics: [{ name: null, topicId }] });
  assert.equal(byId.topics[0]?.name, "ids");
  const unknownId = "1b4e28ba-2fa1-4d2e-883f-0016d3cca427";
  const missing = await broker.call(Metadata, 12, { topics: [{ name: null, topicId: unknownId }] });
  assert.deepEqual(
    missing.topics.map((topic) => [topic.errorCode, topic.name, topic.topicId]),
    [[ErrorCode.UNKNOWN_TOPIC_ID, null, unknownId]],
  );
  const refused = await broker.call(Metadata, 11, { topics: [{ name: "ids", topicId }] });
  assert.equal(refused.topics[0]?.errorCode, ErrorCode.INVALID_REQUEST);
  const unknownByName = await broker.call(Metadata, 12, {
    topics: [{ name: "ghost" }],
    allowAutoTopicCreation: false,
  });
  assert.equal(unknownByName.topics[0]?.topicId, zeroUuid);
});

test("authorized operations only when asked for; v13 carries a top-level error code", async (t) => {
  const broker = await topicBroker(t);
  await broker.call(CreateTopics, 3, { topics: [{ name: "ops", numPartitions: 1, replicationFactor: 1 }] });
  const plain = await broker.call(Metadata, 8, { topics: [{ name: "ops" }] });
  assert.equal(plain.topics[0]?.topicAuthorizedOperations, -2147483648);
  assert.equal(plain.clusterAuthorizedOperations, -2147483648);
  const asked = await broker.call(Metadata, 8, {
    topics: [{ name: "ops" }],
    includeTopicAuthorizedOperations: true,
    includeClusterAuthorizedOperations: true,
  });
  assert.equal(asked.topics[0]?.topicAuthorizedOperations, 3576);
  assert.equal(asked.clusterAuthorizedOperations, 8096);
  const v13 = await broker.call(Metadata, 13, { topics: null });
  assert.equal(v13.errorCode, ErrorCode.NONE);
  assert.equal(v13.topics[0]?.name, "ops");
});
