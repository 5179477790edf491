import assert from "node:assert/strict";
import { appendFile, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import {
  type EmbeddedMetadataOptions,
  metadataLogFileName,
  openEmbeddedMetadata,
} from "../../src/metadata/embedded-metadata.ts";
import { MetadataError } from "../../src/metadata/metadata-error.ts";
import { tempDir } from "../support/topic-broker.ts";

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function open(t: TestContext, dir: string, extra: Partial<EmbeddedMetadataOptions> = {}) {
  const opened = await openEmbeddedMetadata({ dir, nodeId: 1, clock: Date.now, ...extra });
  t.after(() => opened.metadata.close());
  return opened;
}

const isMetadataError = (code: string) => (error: unknown) =>
  error instanceof MetadataError && error.code === code;

test("a new directory gets a Kafka-style meta.properties; reopening keeps the cluster id", async (t) => {
  const dir = await tempDir(t);
  const first = await open(t, dir, { nodeId: 3 });
  assert.match(first.clusterId, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  const text = await readFile(join(dir, "meta.properties"), "utf8");
  assert.match(text, /^version=1$/m);
  assert.match(text, /^node\.id=3$/m);
  assert.match(text, new RegExp(`^cluster\\.id=${first.clusterId}$`, "m"));
  await first.metadata.close();
  const second = await open(t, dir, { nodeId: 3 });
  assert.equal(second.clusterId, first.clusterId);
  assert.equal(second.metadata.nodeId, 3);
});

test("a directory written by another node id is refused with a message naming both ids", async (t) => {
  const dir = await tempDir(t);
  await (await open(t, dir, { nodeId: 1 })).metadata.close();
  await assert.rejects(openEmbeddedMetadata({ dir, nodeId: 2, clock: Date.now }), (error: unknown) => {
    assert.ok(isMetadataError("NODE_ID_MISMATCH")(error));
    assert.match((error as Error).message, /node\.id=1.*node\.id=2/);
    return true;
  });
});

test("a meta.properties without a cluster id is refused", async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, "meta.properties"), "version=1\nnode.id=1\n");
  await assert.rejects(
    openEmbeddedMetadata({ dir, nodeId: 1, clock: Date.now }),
    isMetadataError("INVALID_META_PROPERTIES"),
  );
});

test("topics, partition counts, configs and ids survive a restart", async (t) => {
  const dir = await tempDir(t);
  const { metadata } = await open(t, dir);
  const orders = await metadata.createTopic("orders", 3, { "retention.ms": "1000" });
  const audit = await metadata.createTopic("audit.log", 1, {});
  const offsets = await metadata.createTopic("__consumer_offsets", 2, { "cleanup.policy": "compact" });
  assert.match(orders.topicId, uuidV4);
  assert.notEqual(orders.topicId, audit.topicId);
  assert.equal(offsets.internal, true);
  assert.equal(orders.internal, false);
  assert.equal((await metadata.createPartitions("orders", 5)).partitions, 5);
  assert.deepEqual((await metadata.setTopicConfigs("audit.log", { "cleanup.policy": "compact" })).configs, {
    "cleanup.policy": "compact",
  });
  await metadata.deleteTopic("__consumer_offsets");
  assert.equal(metadata.topicById(offsets.topicId), undefined);
  await metadata.close();

  const { metadata: again } = await open(t, dir);
  assert.deepEqual(
    again
      .topics()
      .map((topic) => ({ ...topic }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    [
      {
        name: "audit.log",
        topicId: audit.topicId,
        partitions: 1,
        configs: { "cleanup.policy": "compact" },
        internal: false,
      },
      {
        name: "orders",
        topicId: orders.topicId,
        partitions: 5,
        configs: { "retention.ms": "1000" },
        internal: false,
      },
    ],
  );
  assert.equal(again.topicById(orders.topicId)?.name, "orders");
});

test("a torn last line is dropped and truncated; later changes append after it", async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, metadataLogFileName);
  const { metadata } = await open(t, dir);
  await metadata.createTopic("kept", 2, {});
  await metadata.close();
  const intact = (await stat(path)).size;
  await appendFile(path, '{"type":"createTopic","name":"lost","topicId":"ab');

  const { metadata: reopened } = await open(t, dir);
  assert.deepEqual(
    reopened.topics().map((topic) => topic.name),
    ["kept"],
  );
  assert.equal((await stat(path)).size, intact);
  await reopened.createTopic("next", 1, {});
  await reopened.close();
  const { metadata: last } = await open(t, dir);
  assert.deepEqual(
    last
      .topics()
      .map((topic) => topic.name)
      .sort(),
    ["kept", "next"],
  );
});

test("an unparsable complete last line counts as torn; a bad line before others is corruption", async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, metadataLogFileName);
  const { metadata } = await open(t, dir);
  await metadata.createTopic("a", 1, {});
  await metadata.close();
  const good = await readFile(path, "utf8");

  await writeFile(path, `${good}{"type":"createTo\n`);
  const { metadata: tolerant } = await open(t, dir);
  assert.deepEqual(
    tolerant.topics().map((topic) => topic.name),
    ["a"],
  );
  await tolerant.close();
  assert.equal(await readFile(path, "utf8"), good);

  await writeFile(path, `garbage\n${good}`);
  await assert.rejects(openEmbeddedMetadata({ dir, nodeId: 1, clock: Date.now }), (error: unknown) => {
    assert.ok(isMetadataError("CORRUPT_METADATA_LOG")(error));
    assert.match((error as Error).message, /line 1/);
    return true;
  });
});

test("the log is compacted into one snapshot line once it grows", async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, metadataLogFileName);
  const { metadata } = await open(t, dir, { compactAfterRecords: 10 });
  await metadata.createTopic("grown", 1, {});
  for (let count = 2; count <= 30; count++) await metadata.createPartitions("grown", count);
  await metadata.createTopic("other", 2, { "segment.bytes": "1048576" });
  const lines = (await readFile(path, "utf8")).trimEnd().split("\n");
  assert.ok(lines.length < 12, `expected a compacted log, got ${lines.length} lines`);
  assert.ok(lines.some((line) => JSON.parse(line).type === "snapshot"));
  const before = metadata.topics().map((topic) => ({ ...topic }));
  await metadata.close();
  const { metadata: again } = await open(t, dir);
  assert.deepEqual(
    again.topics().map((topic) => ({ ...topic })),
    before,
  );
  assert.equal(again.topic("grown")?.partitions, 30);
});

test("changes are checked against every earlier change, in order", async (t) => {
  const dir = await tempDir(t);
  const { metadata } = await open(t, dir);
  const results = await Promise.allSettled([
    metadata.createTopic("race", 1, {}),
    metadata.createTopic("race", 4, {}),
    metadata.createPartitions("race", 2),
    metadata.createPartitions("race", 2),
  ]);
  assert.deepEqual(
    results.map((r) => r.status),
    ["fulfilled", "rejected", "fulfilled", "rejected"],
  );
  assert.ok(isMetadataError("TOPIC_ALREADY_EXISTS")((results[1] as PromiseRejectedResult).reason));
  assert.ok(isMetadataError("INVALID_PARTITIONS")((results[3] as PromiseRejectedResult).reason));
  await assert.rejects(metadata.deleteTopic("missing"), isMetadataError("UNKNOWN_TOPIC"));
  await assert.rejects(metadata.setTopicConfigs("missing", {}), isMetadataError("UNKNOWN_TOPIC"));
  await metadata.close();
  await assert.rejects(metadata.createTopic("late", 1, {}), isMetadataError("METADATA_CLOSED"));
});
