import assert from "node:assert/strict";
import { test } from "node:test";
import { ErrorCode, type FetchRequestInput } from "@nagare/protocol";
import { decodeBatches, encodeMessages } from "@nagare/protocol/records";
import type { BrokerServices } from "../../src/broker-services.ts";
import { fetchHandler } from "../../src/handlers/fetch.ts";
import { produceHandler } from "../../src/handlers/produce.ts";
import type { ReplicaManager } from "../../src/replica/replica-manager.ts";
import { call, dataPath } from "./data-path-fixture.ts";

function batch(count: number, size = 10): Buffer {
  const timestamp = BigInt(Date.now());
  return encodeMessages(
    Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: "x".repeat(size), timestamp })),
  );
}

async function produce(services: BrokerServices, records: Buffer, topic = "t", partition = 0) {
  const r = await call(produceHandler, services, 7, {
    acks: -1,
    timeoutMs: 1000,
    topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
  });
  assert.equal(r?.responses[0]?.partitionResponses[0]?.errorCode, ErrorCode.NONE);
}

type Part = {
  topic?: string;
  partition?: number;
  fetchOffset: bigint;
  partitionMaxBytes?: number;
  currentLeaderEpoch?: number;
};

function request(parts: Part[], extra: Partial<FetchRequestInput> = {}): FetchRequestInput {
  const topics: {
    topic: string;
    partitions: {
      partition: number;
      fetchOffset: bigint;
      partitionMaxBytes: number;
      currentLeaderEpoch: number;
    }[];
  }[] = [];
  for (const p of parts) {
    const topic = p.topic ?? "t";
    let last = topics[topics.length - 1];
    if (!last || last.topic !== topic) {
      last = { topic, partitions: [] };
      topics.push(last);
    }
    last.partitions.push({
      partition: p.partition ?? 0,
      fetchOffset: p.fetchOffset,
      partitionMaxBytes: p.partitionMaxBytes ?? 1 << 20,
      currentLeaderEpoch: p.currentLeaderEpoch ?? -1,
    });
  }
  return {
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes: 1 << 24,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics,
    ...extra,
  };
}

function baseOffsets(records: Buffer | null | undefined): bigint[] {
  return decodeBatches(records ?? Buffer.alloc(0)).map((b) => b.baseOffset);
}

test("the batch containing the fetch offset comes first; reads stop at the high watermark", async (t) => {
  const { services, createTopic } = await dataPath(t);
  await createTopic("t");
  for (let i = 0; i < 3; i++) await produce(services, batch(5));
  const r = await call(fetchHandler, services, 11, request([{ fetchOffset: 7n }]));
  const p = r?.responses[0]?.partitions[0];
  assert.equal(p?.errorCode, ErrorCode.NONE);
  assert.deepEqual(baseOffsets(p?.records), [5n, 10n]);
  assert.equal(p?.highWatermark, 15n);
  assert.equal(p?.lastStableOffset, 15n);
  assert.equal(p?.logStartOffset, 0n);
  assert.equal(p?.preferredReadReplica, -1);
  assert.equal(p?.abortedTransactions, null);

  // Appended to the log without going through the partition: above the high watermark.
  const partition = services.replicas.partition("t", 0);
  await partition?.log.append(batch(5));
  assert.equal(partition?.log.logEndOffset, 20n);
  const capped = await call(
    fetchHandler,
    services,
    11,
    request([{ fetchOffset: 10n }], { isolationLevel: 1 }),
  );
  const c = capped?.responses[0]?.partitions[0];
  assert.deepEqual(baseOffsets(c?.records), [10n]);
  assert.equal(c?.highWatermark, 15n);
  assert.deepEqual(c?.abortedTransactions, []);
  const atHw = await call(fetchHandler, services, 11, request([{ fetchOffset: 17n }]));
  assert.equal(atHw?.responses[0]?.partitions[0]?.errorCode, ErrorCode.NONE);
  assert.equal(atHw?.responses[0]?.partitions[0]?.records?.length, 0);
});

test("partition and response max bytes; the first partition with data returns one whole batch", async (t) => {
  const { services, createTopic } = await dataPath(t);
  await createTopic("t", 2);
  const one = batch(5, 100);
  for (let i = 0; i < 3; i++) await produce(services, batch(5, 100), "t", 0);
  await produce(services, batch(5, 100), "t", 1);
  const small = await call(fetchHandler, services, 11, request([{ fetchOffset: 0n, partitionMaxBytes: 1 }]));
  assert.deepEqual(baseOffsets(small?.responses[0]?.partitions[0]?.records), [0n]);
  const two = await call(
    fetchHandler,
    services,
    11,
    request([{ fetchOffset: 0n, partitionMaxBytes: one.length * 2 + 10 }]),
  );
  assert.deepEqual(baseOffsets(two?.responses[0]?.partitions[0]?.records), [0n, 5n]);

  // Response maxBytes used up by partition 0: partition 1 is answered without records.
  const capped = await call(
    fetchHandler,
    services,
    11,
    request([{ fetchOffset: 0n }, { partition: 1, fetchOffset: 0n }], { maxBytes: 10 }),
  );
  const [p0, p1] = capped?.responses[0]?.partitions ?? [];
  assert.deepEqual(baseOffsets(p0?.records), [0n]);
  assert.equal(p1?.records?.length, 0);
  assert.equal(p1?.highWatermark, 5n);
});

test("offsets outside [logStart, logEnd] are OFFSET_OUT_OF_RANGE; unknown partitions and epochs fail alone", async (t) => {
  const { services, createTopic } = await dataPath(t);
  await createTopic("t");
  await produce(services, batch(5));
  await produce(services, batch(5));
  await services.replicas.partition("t", 0)?.log.deleteRecordsBefore(5n);
  const r = await call(
    fetchHandler,
    services,
    11,
    request([
      { fetchOffset: 11n },
      { fetchOffset: 2n },
      { fetchOffset: 5n, currentLeaderEpoch: 3 },
      { topic: "nope", fetchOffset: 0n },
      { topic: "t", partition: 0, fetchOffset: 10n },
    ]),
  );
  const codes = r?.responses.flatMap((topic) => topic.partitions.map((p) => p.errorCode));
  // The duplicate t-0 entries collapse into one (Kafka keys fetch data by partition): last wins.
  assert.deepEqual(codes, [ErrorCode.NONE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
  const outOfRange = await call(fetchHandler, services, 11, request([{ fetchOffset: 11n }]));
  const p = outOfRange?.responses[0]?.partitions[0];
  assert.equal(p?.errorCode, ErrorCode.OFFSET_OUT_OF_RANGE);
  assert.equal(p?.highWatermark, -1n);
  const below = await call(fetchHandler, services, 11, request([{ fetchOffset: 2n }]));
  assert.equal(below?.responses[0]?.partitions[0]?.errorCode, ErrorCode.OFFSET_OUT_OF_RANGE);
  const epoch = await call(fetchHandler, services, 11, request([{ fetchOffset: 5n, currentLeaderEpoch: 3 }]));
  assert.equal(epoch?.responses[0]?.partitions[0]?.errorCode, ErrorCode.UNKNOWN_LEADER_EPOCH);
});

/** Wraps the replica manager to learn when a fetch parks. */
function watchParking(onPark: () => void) {
  return (inner: ReplicaManager): ReplicaManager => ({
    partition: (topic, index) => inner.partition(topic, index),
    ensurePartitions: (topic) => inner.ensurePartitions(topic),
    removeTopic: (name) => inner.removeTopic(name),
    updateTopicConfig: (topic) => inner.updateTopicConfig(topic),
    awaitAppends(partitions, bytes, maxWaitMs) {
      const waiting = inner.awaitAppends(partitions, bytes, maxWaitMs);
      onPark();
      return waiting;
    },
    fetchSessions: inner.fetchSessions,
    close: () => inner.close(),
  });
}

test("long polling: a parked fetch wakes on an append before maxWaitMs", async (t) => {
  let parked!: () => void;
  const isParked = new Promise<void>((resolve) => {
    parked = resolve;
  });
  const { services, createTopic } = await dataPath(t, { replicas: watchParking(() => parked()) });
  await createTopic("t");
  const started = Date.now();
  const pending = call(
    fetchHandler,
    services,
    11,
    request([{ fetchOffset: 0n }], { maxWaitMs: 60_000, minBytes: 1 }),
  );
  await isParked;
  await produce(services, batch(3));
  const r = await pending;
  assert.ok(Date.now() - started < 30_000);
  assert.deepEqual(baseOffsets(r?.responses[0]?.partitions[0]?.records), [0n]);
});

test("long polling: without data the fetch answers empty after maxWaitMs", async (t) => {
  const { services, createTopic } = await dataPath(t);
  await createTopic("t");
  const started = performance.now();
  const r = await call(
    fetchHandler,
    services,
    11,
    request([{ fetchOffset: 0n }], { maxWaitMs: 80, minBytes: 1 }),
  );
  assert.ok(performance.now() - started >= 75, "waited for maxWaitMs");
  assert.equal(r?.responses[0]?.partitions[0]?.errorCode, ErrorCode.NONE);
  assert.equal(r?.responses[0]?.partitions[0]?.records?.length, 0);
});

test("fetch sessions: full, incremental with only changed partitions, forgotten, errors", async (t) => {
  const { services, createTopic } = await dataPath(t);
  await createTopic("t", 2);
  await produce(services, batch(2), "t", 0);
  const full = await call(
    fetchHandler,
    services,
    11,
    request([{ fetchOffset: 0n }, { partition: 1, fetchOffset: 0n }], { sessionId: 0, sessionEpoch: 0 }),
  );
  const sessionId = full?.sessionId ?? 0;
  assert.notEqual(sessionId, 0);
  assert.equal(full?.responses[0]?.partitions.length, 2);

  // Nothing changed: the incremental answer lists no partitions.
  const quiet = await call(
    fetchHandler,
    services,
    11,
    request([{ fetchOffset: 2n }], { sessionId, sessionEpoch: 1 }),
  );
  assert.equal(quiet?.errorCode, ErrorCode.NONE);
  assert.equal(quiet?.sessionId, sessionId);
  assert.deepEqual(quiet?.responses, []);

  await produce(services, batch(1), "t", 1);
  const changed = await call(fetchHandler, services, 11, request([], { sessionId, sessionEpoch: 2 }));
  assert.deepEqual(
    changed?.responses.flatMap((topic) => topic.partitions.map((p) => [p.partitionIndex, p.highWatermark])),
    [[1, 1n]],
  );

  const wrongEpoch = await call(fetchHandler, services, 11, request([], { sessionId, sessionEpoch: 7 }));
  assert.equal(wrongEpoch?.errorCode, ErrorCode.INVALID_FETCH_SESSION_EPOCH);
  const unknown = await call(
    fetchHandler,
    services,
    11,
    request([], { sessionId: sessionId + 1, sessionEpoch: 1 }),
  );
  assert.equal(unknown?.errorCode, ErrorCode.FETCH_SESSION_ID_NOT_FOUND);

  // Forgetting every partition ends the session.
  const forgot = await call(
    fetchHandler,
    services,
    11,
    request([], { sessionId, sessionEpoch: 3, forgottenTopicsData: [{ topic: "t", partitions: [0, 1] }] }),
  );
  assert.equal(forgot?.sessionId, 0);
  const gone = await call(fetchHandler, services, 11, request([], { sessionId, sessionEpoch: 4 }));
  assert.equal(gone?.errorCode, ErrorCode.FETCH_SESSION_ID_NOT_FOUND);

  const sessionless = await call(
    fetchHandler,
    services,
    11,
    request([{ fetchOffset: 0n }], { sessionEpoch: -1 }),
  );
  assert.equal(sessionless?.sessionId, 0);
  assert.equal(sessionless?.responses[0]?.partitions.length, 1);
});

test("v4 (oldest served) and v12 (flexible) encode and read alike", async (t) => {
  const { services, createTopic } = await dataPath(t);
  await createTopic("t");
  await produce(services, batch(2));
  for (const version of [4, 5, 9, 12]) {
    const r = await call(fetchHandler, services, version, request([{ fetchOffset: 0n }]));
    assert.deepEqual(baseOffsets(r?.responses[0]?.partitions[0]?.records), [0n], `v${version}`);
    assert.equal(r?.responses[0]?.partitions[0]?.highWatermark, 2n);
  }
});
