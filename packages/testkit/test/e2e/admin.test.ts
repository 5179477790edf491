// The admin and data-management APIs against a running broker: kafkajs's admin client
// (describeCluster, deleteTopicRecords, fetchTopicOffsets), kcat reading from the beginning after
// records were deleted, and the flexible-only APIs (DescribeCluster, DescribeTopicPartitions,
// DescribeLogDirs v4, OffsetForLeaderEpoch v4) as raw requests built by our codec.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ApiVersions,
  DeleteRecords,
  DescribeCluster,
  DescribeLogDirs,
  DescribeTopicPartitions,
  ErrorCode,
  OffsetForLeaderEpoch,
} from "@nagare/protocol";
import { startBroker } from "@nagare/testkit";
import { Kafka, logLevel } from "kafkajs";
import { requireTool, run } from "./support/clients.ts";
import { request } from "./support/raw-request.ts";

const kcat = "/usr/bin/kcat";

test("kafkajs: describeCluster, deleteTopicRecords moves the low watermark; kcat starts there", async (t) => {
  requireTool(kcat, "kcat");
  const broker = await startBroker();
  t.after(() => broker.stop());
  const kafka = new Kafka({ brokers: [broker.bootstrap], clientId: "admin-e2e", logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  t.after(() => admin.disconnect());

  const cluster = await admin.describeCluster();
  assert.deepEqual(
    cluster.brokers.map((b) => [b.host, b.port]),
    [["127.0.0.1", broker.port]],
  );
  assert.equal(cluster.controller, cluster.brokers[0]?.nodeId);
  assert.ok(cluster.clusterId.length > 0);

  assert.equal(await admin.createTopics({ topics: [{ topic: "trimmed", numPartitions: 2 }] }), true);
  const producer = kafka.producer();
  await producer.connect();
  t.after(() => producer.disconnect());
  await producer.send({
    topic: "trimmed",
    messages: Array.from({ length: 10 }, (_, i) => ({ partition: 0, key: `k${i}`, value: `v${i}` })),
  });

  // kafkajs looks partition leaders up in the admin's metadata cache, which only knows topics it
  // was asked about.
  await admin.fetchTopicMetadata({ topics: ["trimmed"] });
  await admin.deleteTopicRecords({ topic: "trimmed", partitions: [{ partition: 0, offset: "4" }] });
  const offsets = await admin.fetchTopicOffsets("trimmed");
  const p0 = offsets.find((o) => o.partition === 0);
  assert.deepEqual([p0?.low, p0?.high], ["4", "10"]);

  const read = await run(
    kcat,
    ["-b", broker.bootstrap, "-C", "-t", "trimmed", "-p", "0", "-o", "beginning", "-e", "-q", "-J"],
    {
      timeoutMs: 30_000,
    },
  );
  assert.equal(read.code, 0, read.stderr);
  const messages = read.stdout
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as { offset: number; payload: string });
  assert.deepEqual(
    messages.map((m) => [m.offset, m.payload]),
    [4, 5, 6, 7, 8, 9].map((i) => [i, `v${i}`]),
  );

  // -1: everything up to the high watermark.
  await admin.deleteTopicRecords({ topic: "trimmed", partitions: [{ partition: 0, offset: "-1" }] });
  const after = (await admin.fetchTopicOffsets("trimmed")).find((o) => o.partition === 0);
  assert.deepEqual([after?.low, after?.high], ["10", "10"]);
});

test("the admin APIs over the wire, flexible versions included", async (t) => {
  const broker = await startBroker({ config: { "num.partitions": "3" } });
  t.after(() => broker.stop());

  const versions = await request(broker.port, ApiVersions, 3, {
    clientSoftwareName: "admin-e2e",
    clientSoftwareVersion: "1",
  });
  for (const [api, max] of [
    [DeleteRecords, 2],
    [OffsetForLeaderEpoch, 4],
    [DescribeLogDirs, 4],
    [DescribeCluster, 2],
    [DescribeTopicPartitions, 0],
  ] as const)
    assert.deepEqual(
      versions.apiKeys.filter((k) => k.apiKey === api.apiKey).map((k) => [k.minVersion, k.maxVersion]),
      [[0, max]],
      api.name,
    );

  const cluster = await request(broker.port, DescribeCluster, 2, {
    includeClusterAuthorizedOperations: false,
    endpointType: 1,
    includeFencedBrokers: true,
  });
  assert.equal(cluster.errorCode, ErrorCode.NONE);
  assert.deepEqual(
    cluster.brokers.map((b) => [b.brokerId, b.host, b.port, b.isFenced]),
    [[cluster.controllerId, "127.0.0.1", broker.port, false]],
  );

  // DescribeTopicPartitions never creates topics.
  const unknown = await request(broker.port, DescribeTopicPartitions, 0, {
    topics: [{ name: "nothing-here" }],
    responsePartitionLimit: 10,
    cursor: null,
  });
  assert.equal(unknown.topics[0]?.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);

  const kafka = new Kafka({ brokers: [broker.bootstrap], clientId: "admin-e2e", logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  t.after(() => admin.disconnect());
  await admin.createTopics({ topics: [{ topic: "paged", numPartitions: 3 }] });

  const page = await request(broker.port, DescribeTopicPartitions, 0, {
    topics: [{ name: "paged" }],
    responsePartitionLimit: 2,
    cursor: null,
  });
  assert.deepEqual(
    page.topics.map((x) => [x.name, x.partitions.map((p) => p.partitionIndex)]),
    [["paged", [0, 1]]],
  );
  assert.deepEqual(page.nextCursor, { topicName: "paged", partitionIndex: 2 });

  const dirs = await request(broker.port, DescribeLogDirs, 4, {
    topics: [{ topic: "paged", partitions: [1] }],
  });
  assert.equal(dirs.results.length, 1);
  assert.equal(dirs.results[0]?.errorCode, ErrorCode.NONE);
  assert.deepEqual(
    dirs.results[0]?.topics.map((x) => [x.name, x.partitions.map((p) => p.partitionIndex)]),
    [["paged", [1]]],
  );
  assert.ok((dirs.results[0]?.totalBytes ?? 0n) > 0n);

  const epochs = await request(broker.port, OffsetForLeaderEpoch, 4, {
    replicaId: -1,
    topics: [{ topic: "paged", partitions: [{ partition: 2, currentLeaderEpoch: 0, leaderEpoch: 0 }] }],
  });
  assert.deepEqual(epochs.topics[0]?.partitions[0], {
    errorCode: 0,
    partition: 2,
    leaderEpoch: 0,
    endOffset: 0n,
  });
});
