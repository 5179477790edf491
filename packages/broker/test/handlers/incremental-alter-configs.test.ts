import assert from "node:assert/strict";
import { test } from "node:test";
import { CreateTopics, ErrorCode, IncrementalAlterConfigs } from "@nagare/protocol";
import { topicBroker } from "../support/topic-broker.ts";

const TOPIC = 2;
const BROKER = 4;
const SET = 0;
const DELETE = 1;
const APPEND = 2;
const SUBTRACT = 3;

type Op = { name: string; configOperation: number; value: string | null };

async function withTopic(t: Parameters<typeof topicBroker>[0], overrides: Record<string, string> = {}) {
  const broker = await topicBroker(t, overrides);
  const created = await broker.call(CreateTopics, 3, {
    topics: [
      {
        name: "orders",
        numPartitions: 1,
        replicationFactor: 1,
        configs: [{ name: "retention.ms", value: "60000" }],
      },
    ],
  });
  assert.equal(created.topics[0]?.errorCode, ErrorCode.NONE);
  const alter = async (configs: Op[], options: { version?: number; validateOnly?: boolean } = {}) => {
    const response = await broker.call(IncrementalAlterConfigs, options.version ?? 1, {
      resources: [{ resourceType: TOPIC, resourceName: "orders", configs }],
      validateOnly: options.validateOnly ?? false,
    });
    const result = response.responses[0];
    return { errorCode: result?.errorCode, errorMessage: result?.errorMessage ?? null };
  };
  return { broker, alter, configs: () => broker.services.metadata.topic("orders")?.configs };
}

test("SET and DELETE change single keys, keep the others, and apply to the open log (v0 and v1)", async (t) => {
  const { broker, alter, configs } = await withTopic(t);
  assert.deepEqual(
    await alter([{ name: "segment.bytes", configOperation: SET, value: "2048" }], { version: 0 }),
    {
      errorCode: ErrorCode.NONE,
      errorMessage: null,
    },
  );
  assert.deepEqual(configs(), { "retention.ms": "60000", "segment.bytes": "2048" });
  assert.equal(broker.services.logs.getLog("orders", 0)?.config.segmentBytes, 2048);
  assert.equal(
    (
      await alter([
        { name: "retention.ms", configOperation: DELETE, value: null },
        { name: "retention.bytes", configOperation: SET, value: "100000" },
      ])
    ).errorCode,
    ErrorCode.NONE,
  );
  assert.deepEqual(configs(), { "segment.bytes": "2048", "retention.bytes": "100000" });
  const log = broker.services.logs.getLog("orders", 0);
  assert.equal(log?.config.retentionMs, 604_800_000, "back to the broker default");
  assert.equal(log?.config.retentionBytes, 100000);
});

test("APPEND and SUBTRACT edit list configs from the value in effect; other configs refuse them", async (t) => {
  const { broker, alter, configs } = await withTopic(t, { "log.cleanup.policy": "delete" });
  assert.equal(
    (await alter([{ name: "cleanup.policy", configOperation: APPEND, value: "compact" }])).errorCode,
    0,
  );
  assert.equal(configs()?.["cleanup.policy"], "delete,compact");
  assert.equal(broker.services.logs.getLog("orders", 0)?.config.cleanupPolicyCompact, true);
  assert.equal(
    (await alter([{ name: "cleanup.policy", configOperation: APPEND, value: "compact" }])).errorCode,
    0,
  );
  assert.equal(configs()?.["cleanup.policy"], "delete,compact", "APPEND skips items already present");
  assert.equal(
    (await alter([{ name: "cleanup.policy", configOperation: SUBTRACT, value: "delete" }])).errorCode,
    0,
  );
  assert.equal(configs()?.["cleanup.policy"], "compact");
  assert.equal(broker.services.logs.getLog("orders", 0)?.config.cleanupPolicyDelete, false);
  const throttled = await alter([
    { name: "leader.replication.throttled.replicas", configOperation: APPEND, value: "0:1,1:1" },
  ]);
  assert.equal(throttled.errorCode, ErrorCode.NONE);
  assert.equal(configs()?.["leader.replication.throttled.replicas"], "0:1,1:1");

  const notList = await alter([{ name: "retention.ms", configOperation: APPEND, value: "5" }]);
  assert.deepEqual(notList, {
    errorCode: ErrorCode.INVALID_CONFIG,
    errorMessage: "Can't APPEND to key retention.ms because its type is not LIST.",
  });
  const emptied = await alter([{ name: "cleanup.policy", configOperation: SUBTRACT, value: "compact" }]);
  assert.equal(emptied.errorCode, ErrorCode.INVALID_CONFIG, "an empty cleanup.policy is invalid");
  assert.equal(configs()?.["cleanup.policy"], "compact");
});

test("request checks: duplicate keys, null values, unknown operations, invalid values, validateOnly", async (t) => {
  const { alter, configs } = await withTopic(t);
  const before = configs();
  const cases: [Op[], number, RegExp][] = [
    [
      [
        { name: "retention.ms", configOperation: SET, value: "1" },
        { name: "retention.ms", configOperation: DELETE, value: null },
      ],
      ErrorCode.INVALID_REQUEST,
      /duplicate config keys/,
    ],
    [[{ name: "retention.ms", configOperation: SET, value: null }], ErrorCode.INVALID_REQUEST, /Null value/],
    [
      [{ name: "retention.ms", configOperation: 7, value: "1" }],
      ErrorCode.INVALID_REQUEST,
      /operations type 7/,
    ],
    [
      [{ name: "retention.ms", configOperation: SET, value: "-5" }],
      ErrorCode.INVALID_CONFIG,
      /retention\.ms/,
    ],
    [[{ name: "colour", configOperation: SET, value: "red" }], ErrorCode.INVALID_CONFIG, /colour/],
  ];
  for (const [ops, code, message] of cases) {
    const result = await alter(ops);
    assert.equal(result.errorCode, code, JSON.stringify(ops));
    assert.match(result.errorMessage ?? "", message);
  }
  const dryRun = await alter([{ name: "retention.ms", configOperation: SET, value: "1" }], {
    validateOnly: true,
  });
  assert.equal(dryRun.errorCode, ErrorCode.NONE);
  assert.deepEqual(configs(), before);
});

test("broker resources are read-only; unknown topics and duplicate resources are refused", async (t) => {
  const { broker } = await withTopic(t);
  const response = await broker.call(IncrementalAlterConfigs, 1, {
    resources: [
      {
        resourceType: BROKER,
        resourceName: "1",
        configs: [{ name: "log.retention.ms", configOperation: SET, value: "1" }],
      },
      { resourceType: BROKER, resourceName: "", configs: [] },
      { resourceType: TOPIC, resourceName: "missing", configs: [] },
      { resourceType: TOPIC, resourceName: "orders", configs: [] },
      { resourceType: TOPIC, resourceName: "orders", configs: [] },
    ],
    validateOnly: false,
  });
  assert.deepEqual(
    response.responses.map((r) => [r.resourceType, r.resourceName, r.errorCode]),
    [
      [BROKER, "1", ErrorCode.INVALID_REQUEST],
      [BROKER, "", ErrorCode.NONE],
      [TOPIC, "missing", ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
      [TOPIC, "orders", ErrorCode.INVALID_REQUEST],
      [TOPIC, "orders", ErrorCode.INVALID_REQUEST],
    ],
  );
  assert.match(response.responses[0]?.errorMessage ?? "", /no dynamic broker configs/);
});
