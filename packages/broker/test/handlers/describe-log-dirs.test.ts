import assert from "node:assert/strict";
import { resolve } from "node:path";
import { test } from "node:test";
import { ErrorCode } from "@nagare/protocol";
import { encodeMessages } from "@nagare/protocol/records";
import type { BrokerServices } from "../../src/broker-services.ts";
import { describeLogDirsHandler } from "../../src/handlers/describe-log-dirs.ts";
import { produceHandler } from "../../src/handlers/produce.ts";
import { call, dataPath } from "./data-path-fixture.ts";

async function produce(services: BrokerServices, topic: string, partition: number, count: number) {
  const records = encodeMessages(
    Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: "v", timestamp: 1000n })),
  );
  const r = await call(produceHandler, services, 7, {
    acks: 1,
    timeoutMs: 1000,
    topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
  });
  assert.equal(r?.responses[0]?.partitionResponses[0]?.errorCode, ErrorCode.NONE);
}

test("lists every partition of the data dir with its size and the volume's space", async (t) => {
  const { services, createTopic, dir } = await dataPath(t);
  await createTopic("b", 2);
  await createTopic("a", 1);
  await produce(services, "b", 1, 3);
  const sizeB1 = BigInt(services.replicas.partition("b", 1)?.log.size ?? -1);
  assert.ok(sizeB1 > 0n);

  const r = await call(describeLogDirsHandler, services, 4, { topics: null });
  assert.equal(r?.errorCode, ErrorCode.NONE);
  assert.equal(r?.results.length, 1);
  const result = r?.results[0];
  assert.equal(result?.errorCode, ErrorCode.NONE);
  assert.equal(result?.logDir, resolve(dir));
  assert.deepEqual(result?.topics, [
    { name: "a", partitions: [{ partitionIndex: 0, partitionSize: 0n, offsetLag: 0n, isFutureKey: false }] },
    {
      name: "b",
      partitions: [
        { partitionIndex: 0, partitionSize: 0n, offsetLag: 0n, isFutureKey: false },
        { partitionIndex: 1, partitionSize: sizeB1, offsetLag: 0n, isFutureKey: false },
      ],
    },
  ]);
  assert.ok((result?.totalBytes ?? 0n) > 0n);
  assert.ok((result?.usableBytes ?? -1n) >= 0n && (result?.usableBytes ?? 0n) <= (result?.totalBytes ?? 0n));

  // v1 has neither the volume's space nor a top-level error code: they decode as defaults.
  const old = await call(describeLogDirsHandler, services, 1, { topics: null });
  assert.equal(old?.results[0]?.totalBytes, -1n);
  assert.equal(old?.results[0]?.topics.length, 2);
});

test("a topics filter lists only the named partitions and drops topics left empty", async (t) => {
  const { services, createTopic } = await dataPath(t);
  await createTopic("a", 3);
  await createTopic("b", 1);
  const r = await call(describeLogDirsHandler, services, 2, {
    topics: [
      { topic: "a", partitions: [2, 0, 9] },
      { topic: "missing", partitions: [0] },
      { topic: "b", partitions: [] },
    ],
  });
  assert.deepEqual(
    r?.results[0]?.topics.map((topic) => [topic.name, topic.partitions.map((p) => p.partitionIndex)]),
    [["a", [0, 2]]],
  );
  const none = await call(describeLogDirsHandler, services, 0, { topics: [] });
  assert.deepEqual(none?.results[0]?.topics, []);
});

test("an offline data dir answers KAFKA_STORAGE_ERROR", async (t) => {
  const { services, dir } = await dataPath(t);
  const logs = Object.create(services.logs, {
    offlineDirs: { value: [{ dataDir: dir, error: "disk gone" }] },
  }) as BrokerServices["logs"];
  const r = await call(describeLogDirsHandler, { ...services, logs }, 4, { topics: null });
  assert.deepEqual(r?.results, [
    {
      errorCode: ErrorCode.KAFKA_STORAGE_ERROR,
      logDir: resolve(dir),
      topics: [],
      totalBytes: -1n,
      usableBytes: -1n,
    },
  ]);
});
