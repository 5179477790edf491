import assert from "node:assert/strict";
import { test } from "node:test";
import { ErrorCode } from "@nagare/protocol";
import { resolveBrokerConfig } from "../../src/config/broker-config.ts";
import type { MetadataImage } from "../../src/metadata/metadata-image.ts";
import {
  effectiveLogConfig,
  isInternalTopic,
  resolveReplicationFactor,
  validateNewTopicName,
  validatePartitionCount,
  validateTopicConfigs,
} from "../../src/metadata/topic-validation.ts";

function imageWith(...names: string[]): MetadataImage {
  const topics = names.map((name) => ({ name, topicId: "", partitions: 1, configs: {}, internal: false }));
  return { topics: () => topics } as unknown as MetadataImage;
}

test("topic names follow Kafka's rules", () => {
  const empty = imageWith();
  for (const legal of ["a", "A-b_c.d", "x".repeat(249), "...", "__consumer_offsets"])
    assert.equal(validateNewTopicName(legal, empty), undefined, legal);
  for (const illegal of ["", ".", "..", "x".repeat(250), "has space", "ümlaut", "a/b", "a:b"]) {
    const problem = validateNewTopicName(illegal, empty);
    assert.equal(problem?.errorCode, ErrorCode.INVALID_TOPIC_EXCEPTION, illegal);
    assert.match(problem?.message ?? "", /^Topic name is invalid/);
  }
});

test("'.' and '_' collisions with an existing topic are refused", () => {
  const problem = validateNewTopicName("metrics.cpu", imageWith("metrics_cpu"));
  assert.equal(problem?.errorCode, ErrorCode.INVALID_TOPIC_EXCEPTION);
  assert.match(problem?.message ?? "", /collides with existing topic: metrics_cpu/);
  assert.equal(validateNewTopicName("metrics-cpu", imageWith("metrics_cpu")), undefined);
});

test("partition counts: at least one, at most the per-topic limit", () => {
  assert.equal(validatePartitionCount(1), undefined);
  assert.equal(validatePartitionCount(10_000), undefined);
  for (const bad of [0, -3, 10_001, 1.5])
    assert.equal(validatePartitionCount(bad)?.errorCode, ErrorCode.INVALID_PARTITIONS);
});

test("replication factor 1 or -1 (the default) on one broker", () => {
  const config = resolveBrokerConfig({});
  assert.deepEqual(resolveReplicationFactor(1, config), { replicationFactor: 1 });
  assert.deepEqual(resolveReplicationFactor(-1, config), { replicationFactor: 1 });
  for (const bad of [0, -2, 2, 3]) {
    const result = resolveReplicationFactor(bad, config);
    assert.ok(
      "errorCode" in result && result.errorCode === ErrorCode.INVALID_REPLICATION_FACTOR,
      String(bad),
    );
  }
  const three = resolveReplicationFactor(3, config);
  assert.match("message" in three ? three.message : "", /only 1 broker\(s\) are registered/);
  const defaultTwo = resolveBrokerConfig({ overrides: { "default.replication.factor": "2" } });
  assert.ok("errorCode" in resolveReplicationFactor(-1, defaultTwo));
});

test("configs are checked over the broker's defaults; non-log topic configs are accepted and checked", () => {
  const config = resolveBrokerConfig({ overrides: { "log.retention.hours": "1" } });
  assert.equal(
    validateTopicConfigs(config, { "retention.ms": "5000", "cleanup.policy": "compact" }),
    undefined,
  );
  assert.equal(
    validateTopicConfigs(config, { "min.insync.replicas": "1", "compression.type": "zstd" }),
    undefined,
  );
  for (const [key, value, pattern] of [
    ["retention.ms", "soon", /retention\.ms/],
    ["cleanup.policy", "shred", /cleanup\.policy/],
    ["no.such.config", "1", /Unknown topic config name: no\.such\.config/],
    ["compression.type", "brotli", /compression\.type/],
    ["min.insync.replicas", "0", /min\.insync\.replicas/],
  ] as const) {
    const problem = validateTopicConfigs(config, { [key]: value });
    assert.equal(problem?.errorCode, ErrorCode.INVALID_CONFIG, key);
    assert.match(problem?.message ?? "", pattern);
  }
  assert.equal(effectiveLogConfig(config, {}).retentionMs, 3_600_000);
  assert.equal(
    effectiveLogConfig(config, { "retention.ms": "5000", "min.insync.replicas": "1" }).retentionMs,
    5000,
  );
});

test("internal topics are the coordinators' own", () => {
  assert.ok(isInternalTopic("__consumer_offsets"));
  assert.ok(isInternalTopic("__transaction_state"));
  assert.ok(!isInternalTopic("__other"));
});
