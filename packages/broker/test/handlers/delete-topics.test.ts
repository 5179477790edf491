import assert from "node:assert/strict";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { CreateTopics, DeleteTopics, ErrorCode, Metadata } from "@nagare/protocol";
import { encodeMessages } from "@nagare/protocol/records";
import { zeroUuid } from "../../src/metadata/ids.ts";
import { type TopicBroker, topicBroker } from "../support/topic-broker.ts";

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

async function create(broker: TopicBroker, name: string, numPartitions = 2): Promise<string> {
  await broker.call(CreateTopics, 3, { topics: [{ name, numPartitions, replicationFactor: 1 }] });
  return broker.services.metadata.topic(name)?.topicId ?? "";
}

test("deletes by name (v1, as kafkajs sends it): gone from metadata and from disk, also after a restart", async (t) => {
  const broker = await topicBroker(t);
  await create(broker, "doomed");
  await create(broker, "kept");
  assert.ok(await exists(join(broker.dir, "doomed-1")));
  const response = await broker.call(DeleteTopics, 1, { topicNames: ["doomed", "missing"], timeoutMs: 5000 });
  assert.deepEqual(
    response.responses.map((r) => [r.name, r.errorCode]),
    [
      ["doomed", ErrorCode.NONE],
      ["missing", ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
    ],
  );
  assert.equal(broker.services.metadata.topic("doomed"), undefined);
  assert.equal(broker.services.replicas.partition("doomed", 0), undefined);
  assert.equal(await exists(join(broker.dir, "doomed-0")), false);
  assert.equal(await exists(join(broker.dir, "doomed-1")), false);
  await broker.close();

  const again = await topicBroker(t, {}, broker.dir);
  const all = await again.call(Metadata, 1, { topics: null });
  assert.deepEqual(
    all.topics.map((topic) => topic.name),
    ["kept"],
  );
});

test("v6 deletes by id; unknown ids, both or neither given, and duplicates are refused", async (t) => {
  const broker = await topicBroker(t);
  const id = await create(broker, "by-id");
  await create(broker, "by-name");
  const unknownId = "1b4e28ba-2fa1-4d2e-883f-0016d3cca427";
  const response = await broker.call(DeleteTopics, 6, {
    topics: [
      { name: null, topicId: id },
      { name: null, topicId: unknownId },
      { name: "by-name", topicId: unknownId },
      { name: null, topicId: zeroUuid },
      { name: "x", topicId: zeroUuid },
      { name: "x", topicId: zeroUuid },
    ],
  });
  assert.deepEqual(
    response.responses.map((r) => [r.name, r.topicId, r.errorCode]),
    [
      ["by-id", id, ErrorCode.NONE],
      [null, unknownId, ErrorCode.UNKNOWN_TOPIC_ID],
      ["by-name", unknownId, ErrorCode.INVALID_REQUEST],
      [null, zeroUuid, ErrorCode.INVALID_REQUEST],
      ["x", zeroUuid, ErrorCode.INVALID_REQUEST],
    ],
  );
  assert.equal(broker.services.metadata.topicById(id), undefined);
  assert.ok(broker.services.metadata.topic("by-name"));
});

test("delete.topic.enable=false: TOPIC_DELETION_DISABLED from v3, INVALID_REQUEST before", async (t) => {
  const broker = await topicBroker(t, { "delete.topic.enable": "false" });
  await create(broker, "stays");
  const v3 = await broker.call(DeleteTopics, 3, { topicNames: ["stays"] });
  assert.equal(v3.responses[0]?.errorCode, ErrorCode.TOPIC_DELETION_DISABLED);
  const v1 = await broker.call(DeleteTopics, 1, { topicNames: ["stays"] });
  assert.equal(v1.responses[0]?.errorCode, ErrorCode.INVALID_REQUEST);
  assert.ok(broker.services.metadata.topic("stays"));
  assert.ok(await exists(join(broker.dir, "stays-0")));
});

test("a topic created again after deletion starts empty with a new id", async (t) => {
  const broker = await topicBroker(t);
  const first = await create(broker, "reborn", 1);
  const partition = broker.services.replicas.partition("reborn", 0);
  assert.ok(partition);
  await partition.append(encodeMessages([{ key: "k", value: "v", timestamp: BigInt(Date.now()) }]));
  assert.equal(partition.log.logEndOffset, 1n);
  await broker.call(DeleteTopics, 4, { topicNames: ["reborn"] });
  const second = await create(broker, "reborn", 1);
  assert.notEqual(second, first);
  assert.equal(broker.services.replicas.partition("reborn", 0)?.log.logEndOffset, 0n);
});

test("logs left on disk by a deletion interrupted after the metadata change never reach a new topic", async (t) => {
  const broker = await topicBroker(t);
  await create(broker, "interrupted", 1);
  await broker.services.replicas
    .partition("interrupted", 0)
    ?.append(encodeMessages([{ key: "k", value: "old", timestamp: BigInt(Date.now()) }]));
  // The crash: metadata forgot the topic, its logs stayed.
  await broker.services.metadata.deleteTopic("interrupted");
  await broker.close();

  const again = await topicBroker(t, {}, broker.dir);
  assert.ok(again.services.logs.getLog("interrupted", 0), "the stale log was loaded at start-up");
  await create(again, "interrupted", 1);
  assert.equal(again.services.replicas.partition("interrupted", 0)?.log.logEndOffset, 0n);
});
