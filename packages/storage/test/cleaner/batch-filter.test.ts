import assert from "node:assert/strict";
import { test } from "node:test";
import {
  BATCH_HEADER_SIZE,
  BatchHeader,
  batchMessages,
  CompressionType,
  decodeBatches,
  encodeMessages,
  isXerialSnappy,
  type RecordBatch,
} from "@nagare/protocol/records";
import { LogCleaner } from "../../src/cleaner/log-cleaner.ts";
import type { PartitionLog } from "../../src/partition-log.ts";
import { compactedFixture, manualClock, openCompacted, tempLogDir } from "./cleaner-test-kit.ts";

/** Every batch of the log, decoded, with its raw header. */
async function allBatches(log: PartitionLog): Promise<{ batch: RecordBatch; raw: Buffer }[]> {
  const out: { batch: RecordBatch; raw: Buffer }[] = [];
  let offset = log.logStartOffset;
  for (let reads = 0; reads < 10_000 && offset < log.logEndOffset; reads++) {
    const { records } = await log.read(offset, { maxBytes: 1 });
    if (records.length === 0) break;
    const [batch] = decodeBatches(records);
    assert.ok(batch);
    out.push({ batch, raw: records });
    offset = batch.baseOffset + BigInt(batch.lastOffsetDelta) + 1n;
  }
  return out;
}

const codecs = [
  { name: "gzip", compression: CompressionType.GZIP },
  {
    name: "snappy (raw)",
    compression: CompressionType.SNAPPY,
    compressOptions: { snappyFormat: "raw" as const },
  },
  {
    name: "snappy (xerial)",
    compression: CompressionType.SNAPPY,
    compressOptions: { snappyFormat: "xerial" as const },
  },
  { name: "lz4", compression: CompressionType.LZ4 },
  { name: "zstd", compression: CompressionType.ZSTD },
];

test("compaction re-encodes partly kept batches with their codec, offsets and producer fields", async (t) => {
  const { clock, log, cleaner } = await compactedFixture(t);
  for (const [i, codec] of codecs.entries()) {
    const producer = {
      compression: codec.compression,
      ...(codec.compressOptions ? { compressOptions: codec.compressOptions } : {}),
      producerId: 1000n + BigInt(i),
      producerEpoch: 3,
      partitionLeaderEpoch: 7,
    };
    const keys = [0, 1, 2, 3, 4].map((k) => `${codec.name}-${k}`);
    // The first batch's keys 0 and 1 are overwritten by the second batch.
    await log.append(
      encodeMessages(
        keys.map((key, k) => ({ key, value: `old-${k}`.repeat(20), timestamp: BigInt(clock.now - 100 + k) })),
        { ...producer, baseSequence: 0 },
      ),
      { leaderEpoch: 7 },
    );
    await log.append(
      encodeMessages(
        keys.slice(0, 2).map((key, k) => ({ key, value: `new-${k}`, timestamp: BigInt(clock.now - 50) })),
        { ...producer, baseSequence: 5 },
      ),
      { leaderEpoch: 7 },
    );
  }
  await log.roll();
  const before = await allBatches(log);
  const result = await cleaner.clean(log, 0n, clock.now);
  assert.ok(result && result.aborted === undefined);
  const after = await allBatches(log);
  assert.equal(after.length, before.length, "no batch disappeared: each still keeps records");

  for (const [i, { batch, raw }] of after.entries()) {
    const original = (before[i] as { batch: RecordBatch; raw: Buffer }).batch;
    const codec = codecs[Math.floor(i / 2)] as (typeof codecs)[number];
    const header = new BatchHeader(raw, 0);
    const what = `${codec.name} batch ${i}`;
    assert.ok(header.isCrcValid(), `${what}: CRC`);
    assert.equal(batch.compression, codec.compression, `${what}: codec`);
    assert.equal(batch.baseOffset, original.baseOffset, `${what}: base offset`);
    assert.equal(batch.lastOffsetDelta, original.lastOffsetDelta, `${what}: last offset delta`);
    assert.equal(batch.producerId, original.producerId, `${what}: producer id`);
    assert.equal(batch.producerEpoch, 3, `${what}: producer epoch`);
    assert.equal(batch.baseSequence, original.baseSequence, `${what}: base sequence`);
    assert.equal(batch.partitionLeaderEpoch, 7, `${what}: leader epoch`);
    if (codec.compressOptions?.snappyFormat === "xerial")
      assert.ok(isXerialSnappy(raw.subarray(BATCH_HEADER_SIZE, header.size)), `${what}: xerial framing kept`);
    const messages = batchMessages(batch).map(
      (m) => `${m.offset}:${m.value?.toString().slice(0, 5)}@${m.timestamp}`,
    );
    const kept = batchMessages(original)
      .filter(
        (m) =>
          i % 2 === 1 ||
          (!m.value?.toString().startsWith("old-0") && !m.value?.toString().startsWith("old-1")),
      )
      .map((m) => `${m.offset}:${m.value?.toString().slice(0, 5)}@${m.timestamp}`);
    assert.deepEqual(messages, kept, `${what}: records, offsets and timestamps`);
  }
});

test("a kept tombstone's batch gets a delete horizon, and record timestamps do not move", async (t) => {
  const { clock, log, cleaner } = await compactedFixture(t, { "delete.retention.ms": "5000" });
  await log.append(
    encodeMessages([
      { key: "a", value: "1", timestamp: BigInt(clock.now - 300) },
      { key: "b", value: null, timestamp: BigInt(clock.now - 200) },
      { key: "c", value: "3", timestamp: BigInt(clock.now - 100) },
    ]),
  );
  await log.append(encodeMessages([{ key: "a", value: "2", timestamp: BigInt(clock.now - 50) }]));
  await log.roll();
  await cleaner.clean(log, 0n, clock.now);
  const [first] = await allBatches(log);
  assert.ok(first);
  assert.equal(first.batch.hasDeleteHorizonMs, true);
  assert.equal(first.batch.baseTimestamp, BigInt(clock.now + 5000), "baseTimestamp holds the horizon");
  assert.deepEqual(
    batchMessages(first.batch).map((m) => [m.key?.toString(), m.timestamp]),
    [
      ["b", BigInt(clock.now - 200)],
      ["c", BigInt(clock.now - 100)],
    ],
  );
  assert.equal(first.batch.maxTimestamp, BigInt(clock.now - 100), "max timestamp of the kept records");
});

test("LogAppendTime batches keep their append time", async (t) => {
  const { clock, log, cleaner } = await compactedFixture(t, {
    "message.timestamp.type": "LogAppendTime",
  });
  await log.append(
    encodeMessages([
      { key: "a", value: "1", timestamp: 5n },
      { key: "b", value: "2", timestamp: 6n },
    ]),
  );
  clock.now += 1000;
  await log.append(encodeMessages([{ key: "a", value: "3", timestamp: 7n }]));
  await log.roll();
  await cleaner.clean(log, 0n, clock.now);
  const [first] = await allBatches(log);
  assert.ok(first);
  assert.equal(first.batch.maxTimestamp, BigInt(clock.now - 1000));
  assert.deepEqual(
    batchMessages(first.batch).map((m) => [m.key?.toString(), m.timestamp]),
    [["b", BigInt(clock.now - 1000)]],
  );
});

test("a fully compacted idempotent batch stays as an empty batch carrying the producer's sequence", async (t) => {
  const dir = await tempLogDir(t);
  const clock = manualClock();
  const log = await openCompacted(dir, clock);
  const cleaner = new LogCleaner({ producerIdExpirationMs: 60_000 });
  t.after(async () => {
    await cleaner.close();
    await log.close();
  });
  const idempotent = { producerId: 42n, producerEpoch: 1 };
  // Producer 42's last batch (sequence 3) is superseded entirely by a non-idempotent write.
  await log.append(
    encodeMessages([{ key: "a", value: "1", timestamp: BigInt(clock.now) }], {
      ...idempotent,
      baseSequence: 2,
    }),
  );
  await log.append(
    encodeMessages([{ key: "a", value: "2", timestamp: BigInt(clock.now) }], {
      ...idempotent,
      baseSequence: 3,
    }),
  );
  // Producer 43's last batch is too old to matter (producer.id.expiration.ms).
  await log.append(
    encodeMessages([{ key: "b", value: "1", timestamp: BigInt(clock.now - 120_000) }], {
      producerId: 43n,
      producerEpoch: 0,
      baseSequence: 0,
    }),
  );
  await log.append(encodeMessages([{ key: "a", value: "3", timestamp: BigInt(clock.now) }]));
  await log.append(encodeMessages([{ key: "b", value: "2", timestamp: BigInt(clock.now) }]));
  await log.append(encodeMessages([{ key: "z", value: "end", timestamp: BigInt(clock.now) }]));
  await log.roll();
  await cleaner.clean(log, 0n, clock.now);
  const batches = (await allBatches(log)).map(({ batch }) => ({
    base: batch.baseOffset,
    producerId: batch.producerId,
    sequence: batch.baseSequence,
    records: batch.records.length,
  }));
  assert.deepEqual(batches, [
    { base: 1n, producerId: 42n, sequence: 3, records: 0 },
    { base: 3n, producerId: -1n, sequence: -1, records: 1 },
    { base: 4n, producerId: -1n, sequence: -1, records: 1 },
    { base: 5n, producerId: -1n, sequence: -1, records: 1 },
  ]);
});
