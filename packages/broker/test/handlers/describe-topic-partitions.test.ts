import assert from "node:assert/strict";
import { test } from "node:test";
import { type DescribeTopicPartitionsRequestInput, ErrorCode } from "@nagare/protocol";
import type { BrokerServices } from "../../src/broker-services.ts";
import { describeTopicPartitionsHandler } from "../../src/handlers/describe-topic-partitions.ts";
import { allTopicOperations } from "../../src/handlers/metadata.ts";
import { zeroUuid } from "../../src/metadata/ids.ts";
import { call, dataPath } from "./data-path-fixture.ts";

async function describe(services: BrokerServices, request: DescribeTopicPartitionsRequestInput) {
  const r = await call(describeTopicPartitionsHandler, services, 0, request);
  assert.ok(r);
  return r;
}

/** Topic name → partition indexes, plus the next cursor. */
function pages(r: Awaited<ReturnType<typeof describe>>) {
  return {
    topics: r.topics.map((t) => [t.name, t.errorCode, t.partitions.map((p) => p.partitionIndex)]),
    next: r.nextCursor && [r.nextCursor.topicName, r.nextCursor.partitionIndex],
  };
}

test("describes named topics with ids, partitions and authorized operations", async (t) => {
  const { services, createTopic } = await dataPath(t);
  const topic = await createTopic("t", 2);
  await createTopic("__consumer_offsets", 1);
  const r = await describe(services, {
    topics: [
      { name: "t" },
      { name: "missing" },
      { name: "bad/name" },
      { name: "t" },
      { name: "__consumer_offsets" },
    ],
    responsePartitionLimit: 100,
    cursor: null,
  });
  assert.deepEqual(
    r.topics.map((x) => [x.name, x.errorCode, x.isInternal]),
    [
      ["__consumer_offsets", 0, true],
      ["bad/name", ErrorCode.INVALID_TOPIC_EXCEPTION, false],
      ["missing", ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, false],
      ["t", 0, false],
    ],
  );
  const described = r.topics[3];
  assert.equal(described?.topicId, topic.topicId);
  assert.equal(r.topics[2]?.topicId, zeroUuid);
  assert.equal(described?.topicAuthorizedOperations, allTopicOperations);
  assert.deepEqual(described?.partitions[1], {
    errorCode: 0,
    partitionIndex: 1,
    leaderId: 1,
    leaderEpoch: 0,
    replicaNodes: [1],
    isrNodes: [1],
    eligibleLeaderReplicas: [],
    lastKnownElr: [],
    offlineReplicas: [],
  });
  assert.equal(r.nextCursor, null);
});

test("pages through all topics with the cursor", async (t) => {
  const { services, createTopic } = await dataPath(t);
  await createTopic("c", 1);
  await createTopic("a", 3);
  await createTopic("b", 2);
  const all = { topics: [], responsePartitionLimit: 2000, cursor: null };
  assert.deepEqual(pages(await describe(services, all)), {
    topics: [
      ["a", 0, [0, 1, 2]],
      ["b", 0, [0, 1]],
      ["c", 0, [0]],
    ],
    next: null,
  });
  // A topic that does not fit ends the page; the cursor names its first partition left out.
  const first = await describe(services, { ...all, responsePartitionLimit: 2 });
  assert.deepEqual(pages(first), { topics: [["a", 0, [0, 1]]], next: ["a", 2] });
  const second = await describe(services, { ...all, responsePartitionLimit: 3, cursor: first.nextCursor });
  assert.deepEqual(pages(second), {
    topics: [
      ["a", 0, [2]],
      ["b", 0, [0, 1]],
    ],
    next: ["c", 0],
  });
  const third = await describe(services, { ...all, responsePartitionLimit: 3, cursor: second.nextCursor });
  assert.deepEqual(pages(third), { topics: [["c", 0, [0]]], next: null });
  // A limit below 1 still returns one partition.
  assert.deepEqual(pages(await describe(services, { ...all, responsePartitionLimit: 0 })), {
    topics: [["a", 0, [0]]],
    next: ["a", 1],
  });
});

test("an invalid cursor is INVALID_REQUEST for every requested topic", async (t) => {
  const { services, createTopic } = await dataPath(t);
  await createTopic("a", 1);
  const missing = await describe(services, {
    topics: [{ name: "a" }],
    responsePartitionLimit: 10,
    cursor: { topicName: "z", partitionIndex: 0 },
  });
  assert.deepEqual(pages(missing), { topics: [["a", ErrorCode.INVALID_REQUEST, []]], next: null });
  const negative = await describe(services, {
    topics: [{ name: "a" }],
    responsePartitionLimit: 10,
    cursor: { topicName: "a", partitionIndex: -1 },
  });
  assert.deepEqual(pages(negative), { topics: [["a", ErrorCode.INVALID_REQUEST, []]], next: null });
  // With the all-topics form there is nothing to attach the error to (as Kafka).
  const all = await describe(services, {
    topics: [],
    responsePartitionLimit: 10,
    cursor: { topicName: "a", partitionIndex: -1 },
  });
  assert.deepEqual(pages(all), { topics: [], next: null });
});
