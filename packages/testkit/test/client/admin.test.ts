// The admin client against a broker: topics, configs, offsets, records, groups and lag, cluster.

import assert from "node:assert/strict";
import { test } from "node:test";
import { Admin, KafkaProtocolError } from "@nagare/client";
import { startBroker } from "@nagare/testkit";
import { Kafka, logLevel } from "kafkajs";

async function setup(t: { after(fn: () => unknown): void }) {
  const broker = await startBroker({ config: { "group.initial.rebalance.delay.ms": "0" } });
  t.after(() => broker.stop());
  const admin = new Admin({ brokers: [broker.bootstrap], clientId: "admin-test" });
  await admin.connect();
  t.after(() => admin.close());
  return { broker, admin };
}

async function produce(
  bootstrap: string,
  topic: string,
  perPartition: number,
  partitions: number,
): Promise<void> {
  const kafka = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  for (let p = 0; p < partitions; p++)
    await producer.send({
      topic,
      messages: Array.from({ length: perPartition }, (_, i) => ({
        partition: p,
        value: `m${i}`,
        timestamp: String(1_700_000_000_000 + i * 1000),
      })),
    });
  await producer.disconnect();
}

test("topics: create (with configs), list, describe, add partitions, delete; errors are typed", async (t) => {
  const { admin } = await setup(t);
  await admin.createTopics([
    { name: "orders", partitions: 3, configs: { "retention.ms": "3600000" } },
    { name: "audit", partitions: 1 },
  ]);
  assert.deepEqual(await admin.listTopics(), ["audit", "orders"]);
  const [orders] = await admin.describeTopics(["orders"]);
  assert.equal(orders?.partitions.length, 3);
  assert.deepEqual(
    orders?.partitions.map((p) => p.leader),
    [1, 1, 1],
  );
  await admin.createPartitions([{ topic: "orders", count: 5 }]);
  assert.equal((await admin.describeTopics(["orders"]))[0]?.partitions.length, 5);
  await assert.rejects(admin.createTopics([{ name: "orders", partitions: 1 }]), (error: unknown) => {
    assert.ok(error instanceof KafkaProtocolError);
    assert.equal(error.type, "TOPIC_ALREADY_EXISTS");
    assert.equal(error.retriable, false);
    return true;
  });
  await admin.createTopics([{ name: "dry-run", partitions: 2 }], { validateOnly: true });
  assert.ok(!(await admin.listTopics()).includes("dry-run"));
  await admin.deleteTopics(["audit"]);
  assert.deepEqual(await admin.listTopics(), ["orders"]);
});

test("configs: describe with sources, incremental alter (set, delete, append, subtract)", async (t) => {
  const { admin } = await setup(t);
  await admin.createTopics([{ name: "cfg", partitions: 1, configs: { "retention.ms": "1000" } }]);
  const entries = async () =>
    (await admin.describeConfigs([{ type: "topic", name: "cfg" }]))[0]?.entries ?? [];
  const retention = (await entries()).find((e) => e.name === "retention.ms");
  assert.deepEqual(
    [retention?.value, retention?.source, retention?.isDefault],
    ["1000", "DYNAMIC_TOPIC_CONFIG", false],
  );
  assert.equal((await entries()).find((e) => e.name === "cleanup.policy")?.source, "DEFAULT_CONFIG");
  await admin.incrementalAlterConfigs([
    {
      resource: { type: "topic", name: "cfg" },
      ops: [
        { name: "retention.ms", op: "delete" },
        { name: "cleanup.policy", op: "append", value: "compact" },
      ],
    },
  ]);
  const after = await entries();
  assert.equal(after.find((e) => e.name === "retention.ms")?.source, "DEFAULT_CONFIG");
  assert.equal(after.find((e) => e.name === "cleanup.policy")?.value, "delete,compact");
  await admin.incrementalAlterConfigs([
    {
      resource: { type: "topic", name: "cfg" },
      ops: [{ name: "cleanup.policy", op: "subtract", value: "delete" }],
    },
  ]);
  assert.equal((await entries()).find((e) => e.name === "cleanup.policy")?.value, "compact");
  const broker = (await admin.describeConfigs([{ type: "broker", name: "1" }]))[0]?.entries ?? [];
  assert.equal(broker.find((e) => e.name === "num.partitions")?.value, "1");
});

test("offsets and records: earliest, latest, by timestamp; delete records moves the start", async (t) => {
  const { broker, admin } = await setup(t);
  await admin.createTopics([{ name: "log", partitions: 2 }]);
  await produce(broker.bootstrap, "log", 10, 2);
  const offsets = await admin.listOffsets([
    { topic: "log", partition: 0, spec: "earliest" },
    { topic: "log", partition: 0, spec: "latest" },
    { topic: "log", partition: 1, spec: { timestamp: 1_700_000_004_500 } },
  ]);
  assert.deepEqual(
    offsets.map((o) => o.offset),
    [0n, 10n, 5n],
  );
  const deleted = await admin.deleteRecords([{ topic: "log", partition: 0, offset: 4n }]);
  assert.equal(deleted[0]?.lowWatermark, 4n);
  assert.equal((await admin.listOffsets([{ topic: "log", partition: 0, spec: "earliest" }]))[0]?.offset, 4n);
});

test("groups: list, describe with assignments, offsets, lag, alter, delete offsets, delete", async (t) => {
  const { broker, admin } = await setup(t);
  await admin.createTopics([{ name: "events", partitions: 2 }]);
  await produce(broker.bootstrap, "events", 8, 2);
  await admin.alterGroupOffsets("reporting", [
    { topic: "events", partition: 0, offset: 3n },
    { topic: "events", partition: 1, offset: 8n },
  ]);
  assert.deepEqual(
    (await admin.groupLag("reporting")).map((l) => [l.partition, l.committed, l.logEndOffset, l.lag]),
    [
      [0, 3n, 8n, 5n],
      [1, 8n, 8n, 0n],
    ],
  );
  const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: "live", sessionTimeout: 10_000 });
  await consumer.connect();
  await consumer.subscribe({ topic: "events", fromBeginning: true });
  let seen = 0;
  await consumer.run({ eachMessage: async () => void seen++ });
  for (let i = 0; i < 200 && seen < 16; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(seen, 16);
  const listed = await admin.listGroups();
  assert.deepEqual(
    listed.map((g) => [g.groupId, g.state]),
    [
      ["live", "Stable"],
      ["reporting", "Empty"],
    ],
  );
  const [live] = await admin.describeGroups(["live"]);
  assert.equal(live?.members.length, 1);
  assert.deepEqual(live?.members[0]?.assignment.map((p) => `${p.topic}-${p.partition}`).sort(), [
    "events-0",
    "events-1",
  ]);
  await consumer.disconnect();
  assert.deepEqual(
    (await admin.listGroupOffsets("reporting")).map((o) => o.offset),
    [3n, 8n],
  );
  await admin.deleteGroupOffsets("reporting", [{ topic: "events", partition: 1 }]);
  assert.deepEqual(
    (await admin.listGroupOffsets("reporting")).map((o) => o.partition),
    [0],
  );
  await admin.deleteGroups(["reporting"]);
  assert.deepEqual(
    (await admin.listGroups()).map((g) => g.groupId),
    ["live"],
  );
});

test("cluster and log dirs", async (t) => {
  const { broker, admin } = await setup(t);
  await admin.createTopics([{ name: "sized", partitions: 1 }]);
  await produce(broker.bootstrap, "sized", 5, 1);
  const cluster = await admin.describeCluster();
  assert.deepEqual(
    cluster.brokers.map((b) => [b.nodeId, b.port]),
    [[1, broker.port]],
  );
  assert.equal(cluster.controllerId, 1);
  const dirs = await admin.describeLogDirs();
  const sized = dirs.flatMap((d) => d.partitions).find((p) => p.topic === "sized");
  assert.ok(sized && sized.size > 0n);
});

test("reset a group's offsets: dry run, earliest, latest, by time, to an offset, shifted (clamped)", async (t) => {
  const { broker, admin } = await setup(t);
  await admin.createTopics([{ name: "replay", partitions: 2 }]);
  await produce(broker.bootstrap, "replay", 10, 2);
  await admin.alterGroupOffsets("replayers", [
    { topic: "replay", partition: 0, offset: 5n },
    { topic: "replay", partition: 1, offset: 5n },
  ]);
  const offsets = async () => (await admin.listGroupOffsets("replayers")).map((o) => o.offset);
  const dry = await admin.resetGroupOffsets("replayers", ["replay"], { to: "earliest" }, { dryRun: true });
  assert.deepEqual(
    dry.map((p) => p.offset),
    [0n, 0n],
  );
  assert.deepEqual(await offsets(), [5n, 5n], "a dry run changes nothing");
  await admin.resetGroupOffsets("replayers", "all", { to: "latest" });
  assert.deepEqual(await offsets(), [10n, 10n]);
  await admin.resetGroupOffsets("replayers", ["replay"], { to: "timestamp", timestamp: 1_700_000_003_000 });
  assert.deepEqual(await offsets(), [3n, 3n]);
  await admin.resetGroupOffsets("replayers", ["replay"], { to: "timestamp", timestamp: 1_900_000_000_000 });
  assert.deepEqual(await offsets(), [10n, 10n], "after the last record: the log end, as Kafka");
  await admin.resetGroupOffsets("replayers", ["replay"], { to: "offset", offset: 99n });
  assert.deepEqual(await offsets(), [10n, 10n], "clamped to the log end");
  await admin.resetGroupOffsets("replayers", ["replay"], { to: "shift", by: -4n });
  assert.deepEqual(await offsets(), [6n, 6n]);
  await admin.resetGroupOffsets("replayers", ["replay"], { to: "shift", by: -40n });
  assert.deepEqual(await offsets(), [0n, 0n], "clamped to the log start");
});
