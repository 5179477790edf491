import assert from "node:assert/strict";
import { test } from "node:test";
import { ErrorCode } from "@nagare/protocol";
import { encodeMessages } from "@nagare/protocol/records";
import type { BrokerServices } from "../../src/broker-services.ts";
import { deleteRecordsHandler } from "../../src/handlers/delete-records.ts";
import { produceHandler } from "../../src/handlers/produce.ts";
import { call, dataPath } from "./data-path-fixture.ts";

async function produce(services: BrokerServices, count: number, topic = "t") {
  const timestamp = BigInt(Date.now());
  const records = encodeMessages(
    Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: "v".repeat(50), timestamp })),
  );
  const r = await call(produceHandler, services, 7, {
    acks: 1,
    timeoutMs: 1000,
    topicData: [{ name: topic, partitionData: [{ index: 0, records }] }],
  });
  assert.equal(r?.responses[0]?.partitionResponses[0]?.errorCode, ErrorCode.NONE);
}

async function deleteBefore(
  services: BrokerServices,
  version: number,
  offset: bigint,
  topic = "t",
  partition = 0,
) {
  const r = await call(deleteRecordsHandler, services, version, {
    topics: [{ name: topic, partitions: [{ partitionIndex: partition, offset }] }],
    timeoutMs: 1000,
  });
  const p = r?.topics[0]?.partitions[0];
  return [p?.errorCode, p?.lowWatermark];
}

test("advances the log start offset and deletes whole segments below it", async (t) => {
  const { services, createTopic } = await dataPath(t);
  await createTopic("t", 1, { "segment.bytes": "200" });
  for (let i = 0; i < 3; i++) await produce(services, 2); // offsets 0-5, one segment per batch
  const log = services.replicas.partition("t", 0)?.log;
  assert.ok(log);
  const segmentsBefore = log.segments.length;
  assert.ok(segmentsBefore >= 3, `expected a segment per batch, got ${segmentsBefore}`);

  assert.deepEqual(await deleteBefore(services, 2, 3n), [ErrorCode.NONE, 3n]);
  assert.equal(log.logStartOffset, 3n);
  assert.ok(log.segments.length < segmentsBefore, "the first segment is gone");
  assert.ok(log.segments.every((s, i) => i === 0 || s.baseOffset > 3n));
  // Deleting below the current start changes nothing and reports where the log starts.
  assert.deepEqual(await deleteBefore(services, 0, 1n), [ErrorCode.NONE, 3n]);
  // -1: up to the high watermark.
  assert.deepEqual(await deleteBefore(services, 1, -1n), [ErrorCode.NONE, 6n]);
  assert.equal(log.logStartOffset, 6n);
  await produce(services, 1);
  assert.equal(log.logEndOffset, 7n);
});

test("offsets beyond the high watermark or below -1 are OFFSET_OUT_OF_RANGE", async (t) => {
  const { services, createTopic } = await dataPath(t);
  await createTopic("t");
  await produce(services, 2);
  assert.deepEqual(await deleteBefore(services, 2, 3n), [ErrorCode.OFFSET_OUT_OF_RANGE, -1n]);
  assert.deepEqual(await deleteBefore(services, 2, -2n), [ErrorCode.OFFSET_OUT_OF_RANGE, -1n]);
  assert.equal(services.replicas.partition("t", 0)?.log.logStartOffset, 0n);
  assert.deepEqual(await deleteBefore(services, 2, 2n), [ErrorCode.NONE, 2n]);
});

test("unknown, internal and compacted topics are refused; results follow the request", async (t) => {
  const { services, createTopic } = await dataPath(t);
  await createTopic("t", 2);
  await createTopic("compacted", 1, { "cleanup.policy": "compact" });
  await createTopic("__consumer_offsets");
  assert.deepEqual(await deleteBefore(services, 2, 0n, "missing"), [
    ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    -1n,
  ]);
  assert.deepEqual(await deleteBefore(services, 2, 0n, "t", 2), [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, -1n]);
  assert.deepEqual(await deleteBefore(services, 2, 0n, "compacted"), [ErrorCode.POLICY_VIOLATION, -1n]);
  assert.deepEqual(await deleteBefore(services, 2, 0n, "__consumer_offsets"), [
    ErrorCode.INVALID_TOPIC_EXCEPTION,
    -1n,
  ]);

  const r = await call(deleteRecordsHandler, services, 2, {
    topics: [
      {
        name: "t",
        partitions: [
          { partitionIndex: 1, offset: 0n },
          { partitionIndex: 0, offset: 0n },
        ],
      },
      { name: "missing", partitions: [{ partitionIndex: 0, offset: 0n }] },
    ],
    timeoutMs: 1000,
  });
  assert.deepEqual(
    r?.topics.map((topic) => [topic.name, topic.partitions.map((p) => [p.partitionIndex, p.errorCode])]),
    [
      [
        "t",
        [
          [1, 0],
          [0, 0],
        ],
      ],
      ["missing", [[0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]]],
    ],
  );
});

test("the error response carries the code for every partition", () => {
  const response = deleteRecordsHandler.errorResponse(
    { topics: [{ name: "t", partitions: [{ partitionIndex: 4, offset: 1n }] }], timeoutMs: 0 },
    ErrorCode.UNKNOWN_SERVER_ERROR,
    undefined as never,
  );
  assert.deepEqual(response.topics, [
    {
      name: "t",
      partitions: [{ partitionIndex: 4, lowWatermark: -1n, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR }],
    },
  ]);
});
