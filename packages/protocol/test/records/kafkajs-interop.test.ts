// Cross-checks against an independent implementation: kafkajs's own RecordBatch v2 encoder and
// decoder (a real client, with its own CRC-32C and varint code). kafkajs ships gzip only.

import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import { CompressionType } from "../../src/records/attributes.ts";
import { decodeBatch, encodeBatch } from "../../src/records/batch.ts";
import { BatchHeader } from "../../src/records/batch-header.ts";

interface KafkajsEncoder {
  buffer: Buffer;
}

interface KafkajsRecordInput {
  offsetDelta: number;
  timestampDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer>;
}

interface KafkajsBatchInput {
  compression: number;
  firstOffset: bigint;
  firstTimestamp: number;
  maxTimestamp: number;
  partitionLeaderEpoch: number;
  lastOffsetDelta: number;
  transactional: boolean;
  producerId: bigint;
  producerEpoch: number;
  firstSequence: number;
  records: KafkajsEncoder[];
}

interface KafkajsDecodedBatch {
  firstOffset: string;
  producerId: string;
  firstSequence: number;
  inTransaction: boolean;
  maxTimestamp: string;
  records: {
    offset: string;
    timestamp: string;
    key: Buffer | null;
    value: Buffer | null;
    headers: Record<string, Buffer>;
  }[];
}

const requireKafkajs = createRequire(import.meta.url);
const { RecordBatch } = requireKafkajs("kafkajs/src/protocol/recordBatch/v0/index.js") as {
  RecordBatch(input: KafkajsBatchInput): Promise<KafkajsEncoder>;
};
const KafkajsRecord = requireKafkajs("kafkajs/src/protocol/recordBatch/record/v0/index.js") as (
  input: KafkajsRecordInput,
) => KafkajsEncoder;
const decodeKafkajsBatch = requireKafkajs("kafkajs/src/protocol/recordBatch/v0/decoder.js") as (
  decoder: unknown,
) => Promise<KafkajsDecodedBatch>;
const KafkajsDecoder = requireKafkajs("kafkajs/src/protocol/decoder.js") as new (buffer: Buffer) => unknown;

for (const [name, compression] of [
  ["none", CompressionType.NONE],
  ["gzip", CompressionType.GZIP],
] as const) {
  test(`${name}: a batch written by kafkajs decodes with a valid CRC`, async () => {
    const encoder = await RecordBatch({
      compression,
      firstOffset: 12n,
      firstTimestamp: 1_600_000_000_000,
      maxTimestamp: 1_600_000_000_050,
      partitionLeaderEpoch: 3,
      lastOffsetDelta: 1,
      transactional: true,
      producerId: 77n,
      producerEpoch: 1,
      firstSequence: 10,
      records: [
        KafkajsRecord({
          offsetDelta: 0,
          timestampDelta: 0,
          key: Buffer.from("k"),
          value: Buffer.from("v"),
          headers: { trace: Buffer.from("t") },
        }),
        KafkajsRecord({ offsetDelta: 1, timestampDelta: 50, key: null, value: Buffer.from("second") }),
      ],
    });
    const bytes = encoder.buffer;
    assert.ok(new BatchHeader(bytes).isCrcValid());
    const batch = decodeBatch(bytes);
    assert.equal(batch.baseOffset, 12n);
    assert.equal(batch.partitionLeaderEpoch, 3);
    assert.equal(batch.compression, compression);
    assert.equal(batch.isTransactional, true);
    assert.equal(batch.producerId, 77n);
    assert.equal(batch.baseSequence, 10);
    assert.equal(batch.maxTimestamp, 1_600_000_000_050n);
    assert.deepEqual(
      batch.records.map((r) => [r.offsetDelta, r.timestampDelta, r.key, r.value, r.headers]),
      [
        [0, 0n, Buffer.from("k"), Buffer.from("v"), [{ key: "trace", value: Buffer.from("t") }]],
        [1, 50n, null, Buffer.from("second"), []],
      ],
    );
  });

  test(`${name}: a batch we write is read by kafkajs`, async () => {
    const bytes = encodeBatch({
      baseOffset: 500n,
      compression,
      isTransactional: true,
      producerId: 5n,
      producerEpoch: 0,
      baseSequence: 3,
      baseTimestamp: 1_600_000_000_000n,
      records: [
        {
          attributes: 0,
          timestampDelta: 0n,
          offsetDelta: 0,
          key: Buffer.from("a"),
          value: Buffer.from("x"),
          headers: [{ key: "h", value: Buffer.from("1") }],
        },
        { attributes: 0, timestampDelta: 7n, offsetDelta: 1, key: null, value: Buffer.alloc(0), headers: [] },
      ],
    });
    const batch = await decodeKafkajsBatch(new KafkajsDecoder(bytes));
    assert.equal(batch.firstOffset, "500");
    assert.equal(batch.producerId, "5");
    assert.equal(batch.firstSequence, 3);
    assert.equal(batch.inTransaction, true);
    assert.equal(batch.maxTimestamp, "1600000000007");
    assert.deepEqual(
      batch.records.map((r) => [r.offset, r.timestamp, r.key, r.value, r.headers]),
      [
        ["500", "1600000000000", Buffer.from("a"), Buffer.from("x"), { h: Buffer.from("1") }],
        ["501", "1600000000007", null, Buffer.alloc(0), {}],
      ],
    );
  });
}
