import assert from "node:assert/strict";
import { test } from "node:test";
import { ErrorCode, Produce } from "@nagare/protocol";
import { BatchHeader, encodeMessages } from "@nagare/protocol/records";
import { fetchHandler } from "../../src/handlers/fetch.ts";
import { produceHandler } from "../../src/handlers/produce.ts";
import { call, dataPath } from "./data-path-fixture.ts";

const now = () => BigInt(Date.now());

function batch(count: number, options: { keys?: boolean; timestamp?: bigint } = {}): Buffer {
  const timestamp = options.timestamp ?? now();
  return encodeMessages(
    Array.from({ length: count }, (_, i) => ({
      key: options.keys === false ? null : `k${i}`,
      value: `value-${i}`,
      timestamp: timestamp + BigInt(i),
    })),
  );
}

function produce(records: Buffer | null, topic = "t", partition = 0, acks = -1) {
  return {
    acks,
    timeoutMs: 1000,
    topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
  };
}

test("produce v3–11 appends and answers offsets; fetch returns the exact bytes", async (t) => {
  const { services, createTopic } = await dataPath(t);
  await createTopic("t");
  const first = batch(3);
  const second = batch(2);
  const r1 = await call(produceHandler, services, 7, produce(first));
  const p1 = r1?.responses[0]?.partitionResponses[0];
  assert.equal(p1?.errorCode, ErrorCode.NONE);
  assert.equal(p1?.baseOffset, 0n);
  assert.equal(p1?.logAppendTimeMs, -1n);
  assert.equal(p1?.logStartOffset, 0n);
  const r2 = await call(produceHandler, services, 11, produce(second, "t", 0, 1));
  assert.equal(r2?.responses[0]?.partitionResponses[0]?.baseOffset, 3n);

  const fetched = await call(fetchHandler, services, 11, {
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes: 1 << 20,
    topics: [{ topic: "t", partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] }],
  });
  const part = fetched?.responses[0]?.partitions[0];
  assert.equal(part?.highWatermark, 5n);
  // The stored bytes are the produced ones with baseOffset and partitionLeaderEpoch patched.
  const expected = Buffer.concat([Buffer.from(first), Buffer.from(second)]);
  const h1 = new BatchHeader(expected, 0);
  h1.baseOffset = 0n;
  h1.partitionLeaderEpoch = 0;
  const h2 = new BatchHeader(expected, first.length);
  h2.baseOffset = 3n;
  h2.partitionLeaderEpoch = 0;
  assert.deepEqual(part?.records, expected);
});

test("acks=0 appends and sends no response; other acks values are INVALID_REQUIRED_ACKS", async (t) => {
  const { services, createTopic } = await dataPath(t);
  await createTopic("t");
  assert.equal(await call(produceHandler, services, 7, produce(batch(1), "t", 0, 0)), undefined);
  assert.equal(services.replicas.partition("t", 0)?.highWatermark, 1n);
  const bad = await call(produceHandler, services, 7, produce(batch(1), "t", 0, 2));
  assert.equal(bad?.responses[0]?.partitionResponses[0]?.errorCode, ErrorCode.INVALID_REQUIRED_ACKS);
  assert.equal(bad?.responses[0]?.partitionResponses[0]?.baseOffset, -1n);
  assert.equal(services.replicas.partition("t", 0)?.log.logEndOffset, 1n);
});

test("per-partition errors keep request order and do not stop the other partitions", async (t) => {
  const { services, createTopic } = await dataPath(t);
  await createTopic("t", 2);
  const corrupt = batch(1);
  corrupt.writeUInt8(corrupt.readUInt8(corrupt.length - 1) ^ 0xff, corrupt.length - 1);
  const response = await call(produceHandler, services, 8, {
    acks: 1,
    timeoutMs: 1000,
    topicData: [
      {
        name: "t",
        partitionData: [
          { index: 1, records: batch(2) },
          { index: 5, records: batch(1) },
          { index: 0, records: corrupt },
        ],
      },
      { name: "missing", partitionData: [{ index: 0, records: batch(1) }] },
    ],
  });
  const [t0, missing] = response?.responses ?? [];
  assert.deepEqual(
    t0?.partitionResponses.map((p) => [p.index, p.errorCode, p.baseOffset]),
    [
      [1, ErrorCode.NONE, 0n],
      [5, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, -1n],
      [0, ErrorCode.CORRUPT_MESSAGE, -1n],
    ],
  );
  assert.equal(missing?.name, "missing");
  assert.equal(missing?.partitionResponses[0]?.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  assert.equal(services.metadata.topic("missing"), undefined, "produce never creates topics");
});

test("storage rejections map to codes the version knows", async (t) => {
  const { services, createTopic } = await dataPath(t);
  await createTopic("small", 1, { "max.message.bytes": "100" });
  await createTopic("compacted", 1, { "cleanup.policy": "compact" });
  const tooLarge = await call(produceHandler, services, 7, produce(batch(20), "small"));
  assert.equal(tooLarge?.responses[0]?.partitionResponses[0]?.errorCode, ErrorCode.MESSAGE_TOO_LARGE);

  const keyless = batch(2, { keys: false });
  const v8 = await call(produceHandler, services, 8, produce(Buffer.from(keyless), "compacted"));
  const p8 = v8?.responses[0]?.partitionResponses[0];
  assert.equal(p8?.errorCode, ErrorCode.INVALID_RECORD);
  assert.match(p8?.errorMessage ?? "", /key/);
  const v7 = await call(produceHandler, services, 7, produce(Buffer.from(keyless), "compacted"));
  assert.equal(v7?.responses[0]?.partitionResponses[0]?.errorCode, ErrorCode.CORRUPT_MESSAGE);

  const future = await call(
    produceHandler,
    services,
    7,
    produce(batch(1, { timestamp: now() + 86_400_000n })),
  );
  assert.equal(future?.responses[0]?.partitionResponses[0]?.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  await createTopic("t");
  const late = await call(produceHandler, services, 7, produce(batch(1, { timestamp: now() + 86_400_000n })));
  assert.equal(late?.responses[0]?.partitionResponses[0]?.errorCode, ErrorCode.INVALID_TIMESTAMP);

  const empty = await call(produceHandler, services, 7, produce(null));
  assert.equal(empty?.responses[0]?.partitionResponses[0]?.errorCode, ErrorCode.CORRUPT_MESSAGE);
  const emptyV9 = await call(produceHandler, services, 9, produce(Buffer.alloc(0)));
  assert.equal(emptyV9?.responses[0]?.partitionResponses[0]?.errorCode, ErrorCode.INVALID_RECORD);
});

test("LogAppendTime topics answer the broker's append time", async (t) => {
  const clockMs = 1_700_000_000_000;
  const { services, createTopic } = await dataPath(t, { clock: () => clockMs });
  await createTopic("t", 1, { "message.timestamp.type": "LogAppendTime" });
  const response = await call(produceHandler, services, 5, produce(batch(2, { timestamp: 5n })));
  const p = response?.responses[0]?.partitionResponses[0];
  assert.equal(p?.errorCode, ErrorCode.NONE);
  assert.equal(p?.logAppendTimeMs, BigInt(clockMs));
});

test("internal topics only accept Kafka's admin client", async (t) => {
  const { services, createTopic } = await dataPath(t);
  await createTopic("__consumer_offsets");
  const denied = await call(produceHandler, services, 7, produce(batch(1), "__consumer_offsets"));
  assert.equal(denied?.responses[0]?.partitionResponses[0]?.errorCode, ErrorCode.INVALID_TOPIC_EXCEPTION);
  const admin = await call(
    produceHandler,
    services,
    7,
    produce(batch(1), "__consumer_offsets"),
    "__admin_client",
  );
  assert.equal(admin?.responses[0]?.partitionResponses[0]?.errorCode, ErrorCode.NONE);
});

test("advertises from v0, serves from v3 (Kafka 4)", () => {
  assert.equal(produceHandler.api, Produce);
  assert.equal(produceHandler.minVersion, 0);
  assert.equal(produceHandler.acceptedFrom, 3);
  assert.equal(produceHandler.maxVersion, 11);
});
