import assert from "node:assert/strict";
import { test } from "node:test";
import { ErrorCode } from "@nagare/protocol";
import { encodeMessages } from "@nagare/protocol/records";
import type { BrokerServices } from "../../src/broker-services.ts";
import { listOffsetsHandler } from "../../src/handlers/list-offsets.ts";
import { produceHandler } from "../../src/handlers/produce.ts";
import { call, dataPath } from "./data-path-fixture.ts";

async function produce(services: BrokerServices, timestamps: bigint[]) {
  const records = encodeMessages(timestamps.map((timestamp, i) => ({ key: `k${i}`, value: "v", timestamp })));
  const r = await call(produceHandler, services, 7, {
    acks: 1,
    timeoutMs: 1000,
    topicData: [{ name: "t", partitionData: [{ index: 0, records }] }],
  });
  assert.equal(r?.responses[0]?.partitionResponses[0]?.errorCode, ErrorCode.NONE);
}

function lookup(timestamp: bigint, partitionIndex = 0, topic = "t") {
  return {
    replicaId: -1,
    isolationLevel: 0,
    topics: [{ name: topic, partitions: [{ partitionIndex, timestamp }] }],
  };
}

async function list(services: BrokerServices, version: number, timestamp: bigint) {
  const r = await call(listOffsetsHandler, services, version, lookup(timestamp));
  const p = r?.topics[0]?.partitions[0];
  return [p?.errorCode, p?.offset, p?.timestamp, p?.leaderEpoch];
}

test("earliest, latest, by timestamp and max timestamp", async (t) => {
  const { services, createTopic } = await dataPath(t);
  await createTopic("t");
  await produce(services, [1000n, 1100n, 1200n]); // offsets 0-2
  await produce(services, [2000n, 2500n, 2100n]); // offsets 3-5: the max timestamp is at offset 4
  await produce(services, [1500n, 1600n]); // offsets 6-7
  assert.deepEqual(await list(services, 7, -2n), [0, 0n, -1n, 0]);
  assert.deepEqual(await list(services, 7, -1n), [0, 8n, -1n, 0]);
  assert.deepEqual(await list(services, 7, 1150n), [0, 2n, 1200n, 0]);
  assert.deepEqual(await list(services, 7, 1300n), [0, 3n, 2000n, 0]);
  assert.deepEqual(await list(services, 7, 2200n), [0, 4n, 2500n, 0]);
  assert.deepEqual(await list(services, 7, 9999n), [0, -1n, -1n, -1]);
  assert.deepEqual(await list(services, 7, -3n), [0, 4n, 2500n, 0]);
  assert.deepEqual(await list(services, 9, -4n), [0, 0n, -1n, 0]);
  assert.deepEqual(await list(services, 9, -5n), [0, -1n, -1n, -1]);
  // v1 has no leader epoch field: it decodes as its default.
  assert.deepEqual(await list(services, 1, 1150n), [0, 2n, 1200n, -1]);

  await services.replicas.partition("t", 0)?.log.deleteRecordsBefore(3n);
  assert.deepEqual(await list(services, 4, -2n), [0, 3n, -1n, 0]);
  assert.deepEqual(await list(services, 4, 0n), [0, 3n, 2000n, 0]);
});

test("an empty log answers latest = earliest = 0 and no max timestamp", async (t) => {
  const { services, createTopic } = await dataPath(t);
  await createTopic("t");
  assert.deepEqual(await list(services, 7, -1n), [0, 0n, -1n, 0]);
  assert.deepEqual(await list(services, 7, -2n), [0, 0n, -1n, 0]);
  assert.deepEqual(await list(services, 7, -3n), [0, -1n, -1n, -1]);
  assert.deepEqual(await list(services, 7, 0n), [0, -1n, -1n, -1]);
});

test("offsets above the high watermark are not listed", async (t) => {
  const { services, createTopic } = await dataPath(t);
  await createTopic("t");
  await produce(services, [1000n]);
  const log = services.replicas.partition("t", 0)?.log;
  await log?.append(encodeMessages([{ value: "late", timestamp: 5000n }]));
  assert.equal(log?.logEndOffset, 2n);
  assert.deepEqual(await list(services, 7, -1n), [0, 1n, -1n, 0]);
  assert.deepEqual(await list(services, 7, 2000n), [0, -1n, -1n, -1]);
  assert.deepEqual(await list(services, 7, -3n), [0, -1n, -1n, -1]);
});

test("v0 answers oldStyleOffsets", async (t) => {
  const { services, createTopic } = await dataPath(t);
  await createTopic("t");
  await produce(services, [1000n, 1001n]);
  const latest = await call(listOffsetsHandler, services, 0, {
    replicaId: -1,
    topics: [{ name: "t", partitions: [{ partitionIndex: 0, timestamp: -1n, maxNumOffsets: 1 }] }],
  });
  assert.deepEqual(latest?.topics[0]?.partitions[0]?.oldStyleOffsets, [2n]);
  const none = await call(listOffsetsHandler, services, 0, {
    replicaId: -1,
    topics: [{ name: "t", partitions: [{ partitionIndex: 0, timestamp: 99_999n, maxNumOffsets: 1 }] }],
  });
  assert.deepEqual(none?.topics[0]?.partitions[0]?.oldStyleOffsets, []);
});

test("errors: unknown topic or partition, duplicates, leader epochs", async (t) => {
  const { services, createTopic } = await dataPath(t);
  await createTopic("t");
  const r = await call(listOffsetsHandler, services, 4, {
    replicaId: -1,
    isolationLevel: 0,
    topics: [
      {
        name: "t",
        partitions: [
          { partitionIndex: 3, timestamp: -1n },
          { partitionIndex: 0, timestamp: -1n, currentLeaderEpoch: 2 },
        ],
      },
      { name: "missing", partitions: [{ partitionIndex: 0, timestamp: -1n }] },
      { name: "t", partitions: [{ partitionIndex: 3, timestamp: -2n }] },
    ],
  });
  assert.deepEqual(
    r?.topics.map((topic) => topic.partitions.map((p) => p.errorCode)),
    [
      [ErrorCode.INVALID_REQUEST, ErrorCode.UNKNOWN_LEADER_EPOCH],
      [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
      [ErrorCode.INVALID_REQUEST],
    ],
  );
});
