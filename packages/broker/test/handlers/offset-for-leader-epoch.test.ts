import assert from "node:assert/strict";
import { test } from "node:test";
import { ErrorCode } from "@nagare/protocol";
import { encodeMessages } from "@nagare/protocol/records";
import type { BrokerServices } from "../../src/broker-services.ts";
import { offsetForLeaderEpochHandler } from "../../src/handlers/offset-for-leader-epoch.ts";
import { produceHandler } from "../../src/handlers/produce.ts";
import { call, dataPath } from "./data-path-fixture.ts";

async function produce(services: BrokerServices, count: number) {
  const timestamp = BigInt(Date.now());
  const records = encodeMessages(
    Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: "v", timestamp })),
  );
  const r = await call(produceHandler, services, 7, {
    acks: 1,
    timeoutMs: 1000,
    topicData: [{ name: "t", partitionData: [{ index: 0, records }] }],
  });
  assert.equal(r?.responses[0]?.partitionResponses[0]?.errorCode, ErrorCode.NONE);
}

async function epochEnd(
  services: BrokerServices,
  version: number,
  leaderEpoch: number,
  currentLeaderEpoch = -1,
  topic = "t",
  partition = 0,
) {
  const r = await call(offsetForLeaderEpochHandler, services, version, {
    replicaId: -1,
    topics: [{ topic, partitions: [{ partition, currentLeaderEpoch, leaderEpoch }] }],
  });
  const p = r?.topics[0]?.partitions[0];
  return [p?.errorCode, p?.leaderEpoch, p?.endOffset];
}

test("epoch 0 ends at the log end offset; unknown epochs answer -1/-1", async (t) => {
  const { services, createTopic } = await dataPath(t);
  await createTopic("t");
  assert.deepEqual(await epochEnd(services, 4, 0), [ErrorCode.NONE, 0, 0n]);
  await produce(services, 5);
  await produce(services, 2);
  assert.deepEqual(await epochEnd(services, 4, 0), [ErrorCode.NONE, 0, 7n]);
  assert.deepEqual(await epochEnd(services, 3, 0, 0), [ErrorCode.NONE, 0, 7n]);
  // An epoch above ours was never seen here (Kafka's LeaderEpochFileCache.endOffsetFor).
  assert.deepEqual(await epochEnd(services, 4, 1), [ErrorCode.NONE, -1, -1n]);
  assert.deepEqual(await epochEnd(services, 4, -1), [ErrorCode.NONE, -1, -1n]);
  // v0 has no leader epoch in the response: it decodes as the default.
  assert.deepEqual(await epochEnd(services, 0, 0), [ErrorCode.NONE, -1, 7n]);
  assert.deepEqual(await epochEnd(services, 1, 0), [ErrorCode.NONE, 0, 7n]);
});

test("currentLeaderEpoch fences (v2+) and unknown partitions are reported", async (t) => {
  const { services, createTopic } = await dataPath(t);
  await createTopic("t");
  assert.deepEqual(await epochEnd(services, 2, 0, 1), [ErrorCode.UNKNOWN_LEADER_EPOCH, -1, -1n]);
  assert.deepEqual(await epochEnd(services, 4, 0, -1), [ErrorCode.NONE, 0, 0n]);
  assert.deepEqual(await epochEnd(services, 4, 0, 0, "missing"), [
    ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    -1,
    -1n,
  ]);
  assert.deepEqual(await epochEnd(services, 4, 0, 0, "t", 1), [
    ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    -1,
    -1n,
  ]);
  // v0-1 carry no currentLeaderEpoch: it decodes as -1, so no fencing.
  assert.deepEqual(await epochEnd(services, 1, 0, 7), [ErrorCode.NONE, 0, 0n]);
});

test("a fenced (older) current epoch is FENCED_LEADER_EPOCH; an older requested epoch ends where ours starts", async (t) => {
  const { services, createTopic } = await dataPath(t, {
    replicas: (inner) => ({
      ...inner,
      partition: (topic, index) => {
        const p = inner.partition(topic, index);
        return p && Object.assign(Object.create(p), { leaderEpoch: 3 });
      },
      ensurePartitions: (topic) => inner.ensurePartitions(topic),
      awaitAppends: (partitions, bytes, maxWaitMs) => inner.awaitAppends(partitions, bytes, maxWaitMs),
      removeTopic: (name) => inner.removeTopic(name),
      updateTopicConfig: (topic) => inner.updateTopicConfig(topic),
      close: () => inner.close(),
      fetchSessions: inner.fetchSessions,
    }),
  });
  await createTopic("t");
  await produce(services, 4);
  await services.replicas.partition("t", 0)?.log.deleteRecordsBefore(2n);
  assert.deepEqual(await epochEnd(services, 4, 3, 2), [ErrorCode.FENCED_LEADER_EPOCH, -1, -1n]);
  assert.deepEqual(await epochEnd(services, 4, 3, 3), [ErrorCode.NONE, 3, 4n]);
  assert.deepEqual(await epochEnd(services, 4, 1, 3), [ErrorCode.NONE, 1, 2n]);
  assert.deepEqual(await epochEnd(services, 4, 4, 3), [ErrorCode.NONE, -1, -1n]);
});

test("results follow the request order", async (t) => {
  const { services, createTopic } = await dataPath(t);
  await createTopic("t", 2);
  const r = await call(offsetForLeaderEpochHandler, services, 4, {
    replicaId: -1,
    topics: [
      {
        topic: "t",
        partitions: [1, 0].map((partition) => ({ partition, currentLeaderEpoch: -1, leaderEpoch: 0 })),
      },
      { topic: "x", partitions: [{ partition: 0, currentLeaderEpoch: -1, leaderEpoch: 0 }] },
    ],
  });
  assert.deepEqual(
    r?.topics.map((topic) => [topic.topic, topic.partitions.map((p) => [p.partition, p.errorCode])]),
    [
      [
        "t",
        [
          [1, 0],
          [0, 0],
        ],
      ],
      ["x", [[0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]]],
    ],
  );
});
