import assert from "node:assert/strict";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { CreatePartitions, CreateTopics, ErrorCode } from "@nagare/protocol";
import { topicBroker } from "../support/topic-broker.ts";

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

test("grows topics, opens the new partitions, keeps them after a restart", async (t) => {
  const broker = await topicBroker(t);
  await broker.call(CreateTopics, 3, { topics: [{ name: "grow", numPartitions: 1, replicationFactor: 1 }] });
  const response = await broker.call(CreatePartitions, 1, {
    topics: [{ name: "grow", count: 3, assignments: null }],
    timeoutMs: 5000,
    validateOnly: false,
  });
  assert.deepEqual(response.results, [{ name: "grow", errorCode: ErrorCode.NONE, errorMessage: null }]);
  assert.equal(broker.services.metadata.topic("grow")?.partitions, 3);
  assert.ok(broker.services.replicas.partition("grow", 2));
  assert.ok(await exists(join(broker.dir, "grow-2")));
  await broker.close();
  const again = await topicBroker(t, {}, broker.dir);
  assert.equal(again.services.metadata.topic("grow")?.partitions, 3);
  assert.ok(again.services.replicas.partition("grow", 2));
});

test("every topic is reported, with Kafka's errors for what cannot grow", async (t) => {
  const broker = await topicBroker(t);
  await broker.call(CreateTopics, 3, {
    topics: ["same", "fewer", "dry", "assigned", "elsewhere", "miscounted", "twice", "huge"].map((name) => ({
      name,
      numPartitions: 2,
      replicationFactor: 1,
    })),
  });
  const response = await broker.call(CreatePartitions, 3, {
    topics: [
      { name: "same", count: 2, assignments: null },
      { name: "fewer", count: 1, assignments: null },
      { name: "unknown", count: 4, assignments: null },
      { name: "assigned", count: 4, assignments: [{ brokerIds: [1] }, { brokerIds: [1] }] },
      { name: "elsewhere", count: 3, assignments: [{ brokerIds: [2] }] },
      { name: "miscounted", count: 4, assignments: [{ brokerIds: [1] }] },
      { name: "twice", count: 3, assignments: null },
      { name: "twice", count: 4, assignments: null },
      { name: "huge", count: 1_000_000, assignments: null },
    ],
  });
  assert.deepEqual(
    response.results.map((r) => [r.name, r.errorCode]),
    [
      ["same", ErrorCode.INVALID_PARTITIONS],
      ["fewer", ErrorCode.INVALID_PARTITIONS],
      ["unknown", ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
      ["assigned", ErrorCode.NONE],
      ["elsewhere", ErrorCode.INVALID_REPLICA_ASSIGNMENT],
      ["miscounted", ErrorCode.INVALID_REPLICA_ASSIGNMENT],
      ["twice", ErrorCode.INVALID_REQUEST],
      ["huge", ErrorCode.INVALID_PARTITIONS],
    ],
  );
  const messages = new Map(response.results.map((r) => [r.name, r.errorMessage ?? ""]));
  assert.match(messages.get("same") ?? "", /Topic already has 2 partition\(s\)/);
  assert.match(messages.get("fewer") ?? "", /would not be an increase/);
  const partitions = (name: string) => broker.services.metadata.topic(name)?.partitions;
  assert.deepEqual(
    ["same", "fewer", "assigned", "elsewhere", "miscounted", "twice", "huge"].map(partitions),
    [2, 2, 4, 2, 2, 2, 2],
  );
});

test("validateOnly checks and changes nothing (v0)", async (t) => {
  const broker = await topicBroker(t);
  await broker.call(CreateTopics, 3, { topics: [{ name: "dry", numPartitions: 1, replicationFactor: 1 }] });
  const ok = await broker.call(CreatePartitions, 0, {
    topics: [{ name: "dry", count: 5, assignments: null }],
    validateOnly: true,
  });
  assert.equal(ok.results[0]?.errorCode, ErrorCode.NONE);
  const bad = await broker.call(CreatePartitions, 0, {
    topics: [{ name: "dry", count: 1, assignments: null }],
    validateOnly: true,
  });
  assert.equal(bad.results[0]?.errorCode, ErrorCode.INVALID_PARTITIONS);
  assert.equal(broker.services.metadata.topic("dry")?.partitions, 1);
  assert.equal(await exists(join(broker.dir, "dry-1")), false);
});
