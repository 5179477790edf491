import assert from "node:assert/strict";
import { createServer } from "node:net";
import { test } from "node:test";
import {
  BrokerConnection,
  backoffDelay,
  Cluster,
  KafkaConnectionError,
  KafkaTimeoutError,
  parseBrokerList,
} from "@nagare/client";
import { ApiVersions, CreateTopics, Metadata } from "@nagare/protocol";
import { startBroker } from "@nagare/testkit";

test("a connection negotiates versions and pipelines requests", async (t) => {
  const broker = await startBroker();
  t.after(() => broker.stop());
  const connection = await BrokerConnection.connect({
    host: broker.host,
    port: broker.port,
    clientId: "test",
  });
  t.after(() => connection.close());
  assert.equal(connection.versionFor(Metadata), 13);
  assert.equal(connection.versionFor(Metadata, 6), 6);
  assert.ok(connection.supports(ApiVersions));
  const answers = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      connection.send(Metadata, {
        topics: [{ name: `t${i}`, topicId: "00000000-0000-0000-0000-000000000000" }],
        allowAutoTopicCreation: false,
      }),
    ),
  );
  assert.deepEqual(
    answers.map((a) => a.topics[0]?.name),
    Array.from({ length: 20 }, (_, i) => `t${i}`),
  );
});

test("the cluster bootstraps, caches metadata, finds leaders and coordinators", async (t) => {
  const broker = await startBroker();
  t.after(() => broker.stop());
  const cluster = new Cluster({ brokers: [broker.bootstrap], clientId: "test" });
  t.after(() => cluster.close());
  const any = await cluster.anyConnection();
  await any.send(CreateTopics, {
    topics: [{ name: "orders", numPartitions: 3, replicationFactor: 1, assignments: [], configs: [] }],
    timeoutMs: 5000,
    validateOnly: false,
  });
  const snapshot = await cluster.metadata(["orders"]);
  assert.equal(snapshot.topics.get("orders")?.partitions.length, 3);
  assert.equal(await cluster.leaderFor("orders", 2), 1);
  assert.equal(await cluster.metadata(["orders"]), snapshot, "served from the cache");
  const coordinator = await cluster.coordinator("group", "my-group");
  assert.equal(coordinator.address.port, broker.port);
});

test("errors: unreachable brokers, timeouts, bad addresses; backoff grows with jitter", async (t) => {
  const silent = createServer(() => {}); // accepts and never answers
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  t.after(() => silent.close());
  const port = (silent.address() as { port: number }).port;
  await assert.rejects(
    BrokerConnection.connect({ host: "127.0.0.1", port, clientId: "t", requestTimeoutMs: 200 }),
    KafkaTimeoutError,
  );
  const cluster = new Cluster({ brokers: ["127.0.0.1:1"], retries: 1, retryBackoffMs: 1 });
  await assert.rejects(cluster.refresh(), KafkaConnectionError);
  assert.throws(() => parseBrokerList(["localhost:notaport"]), /expected host:port/);
  assert.deepEqual(parseBrokerList(["[::1]:9093", "kafka"]), [
    { host: "::1", port: 9093 },
    { host: "kafka", port: 9092 },
  ]);
  const delays = [0, 1, 2, 3, 10].map((a) => backoffDelay(a, 100, 1000));
  assert.ok((delays[0] ?? 0) >= 80 && (delays[0] ?? 0) <= 120);
  assert.ok((delays[3] ?? 0) >= 640 && (delays[3] ?? 0) <= 960);
  assert.ok((delays[4] ?? 0) <= 1000);
});
