// Records from fetched batches: records below the fetch offset skipped, control batches never
// surfaced, and read_committed dropping aborted transactions using the response's
// abortedTransactions list — on synthetic batches laid out as a broker would return them.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CompressionType,
  ControlRecordType,
  encodeBatch,
  encodeEndTxnMarkerBatch,
  type RecordBatchInput,
} from "@nagare/protocol/records";
import {
  FetchedBatchReader,
  type FetchedRecord,
  recordsFromFetch,
} from "../../src/consumer/fetch-records.ts";

function dataBatch(
  baseOffset: bigint,
  values: string[],
  options: Partial<RecordBatchInput> & { producerId?: bigint } = {},
): Buffer {
  return encodeBatch({
    baseOffset,
    baseTimestamp: 1_000n,
    partitionLeaderEpoch: 3,
    ...options,
    records: values.map((v, i) => ({
      attributes: 0,
      timestampDelta: BigInt(i),
      offsetDelta: i,
      key: null,
      value: Buffer.from(v),
      headers: [],
    })),
  });
}

const txn = (producerId: bigint) => ({
  isTransactional: true,
  producerId,
  producerEpoch: 0,
  baseSequence: 0,
});
const marker = (offset: bigint, producerId: bigint, type: ControlRecordType) =>
  encodeEndTxnMarkerBatch({
    type,
    producerId,
    producerEpoch: 0,
    coordinatorEpoch: 0,
    timestamp: 2_000n,
    baseOffset: offset,
  });

// Offsets: 0-1 plain; 2-3 txn of pid 7 (aborted, marker at 6); 4-5 txn of pid 8 (committed, marker
// at 7); 8 plain; 9-10 pid 7 again, a new transaction (committed, marker at 11).
const log = Buffer.concat([
  dataBatch(0n, ["p0", "p1"]),
  dataBatch(2n, ["a2", "a3"], txn(7n)),
  dataBatch(4n, ["c4", "c5"], { ...txn(8n), compression: CompressionType.GZIP }),
  marker(6n, 7n, ControlRecordType.ABORT),
  marker(7n, 8n, ControlRecordType.COMMIT),
  dataBatch(8n, ["p8"]),
  dataBatch(9n, ["n9", "n10"], txn(7n)),
  marker(11n, 7n, ControlRecordType.COMMIT),
]);
const tp = { topic: "t", partition: 0 };
const aborted = [{ producerId: 7n, firstOffset: 2n }];
const values = (r: { records: FetchedRecord[] }) =>
  r.records.map((x) => (x.value as Buffer | null)?.toString());

test("read_committed drops the aborted transaction only, until its producer's abort marker", () => {
  const result = recordsFromFetch(log, tp, 0n, "read_committed", aborted);
  assert.deepEqual(values(result), ["p0", "p1", "c4", "c5", "p8", "n9", "n10"]);
  assert.equal(result.nextOffset, 12n, "past the last marker");
  assert.equal(result.lastEpoch, 3);
});

test("read_uncommitted sees aborted records; neither level sees markers", () => {
  const result = recordsFromFetch(log, tp, 0n, "read_uncommitted", aborted);
  assert.deepEqual(values(result), ["p0", "p1", "a2", "a3", "c4", "c5", "p8", "n9", "n10"]);
  assert.deepEqual(
    result.records.map((r) => r.offset),
    [0n, 1n, 2n, 3n, 4n, 5n, 8n, 9n, 10n],
  );
});

test("records before the fetch offset are skipped, also inside a batch", () => {
  const result = recordsFromFetch(log, tp, 3n, "read_uncommitted", null);
  assert.deepEqual(values(result), ["a3", "c4", "c5", "p8", "n9", "n10"]);
  const committed = recordsFromFetch(log, tp, 5n, "read_committed", aborted);
  assert.deepEqual(values(committed), ["c5", "p8", "n9", "n10"]);
});

test("a fetch of only markers and aborted data still advances the position", () => {
  const tail = Buffer.concat([dataBatch(2n, ["a2", "a3"], txn(7n)), marker(4n, 7n, ControlRecordType.ABORT)]);
  const result = recordsFromFetch(tail, tp, 2n, "read_committed", aborted);
  assert.deepEqual(result.records, []);
  assert.equal(result.nextOffset, 5n);
});

test("without abortedTransactions nothing is dropped (the list is the only source)", () => {
  const result = recordsFromFetch(log, tp, 0n, "read_committed", null);
  assert.equal(result.records.length, 9);
});

test("timestamps: CreateTime per record, LogAppendTime from the batch", () => {
  const create = recordsFromFetch(dataBatch(0n, ["x", "y"]), tp, 0n, "read_uncommitted", null);
  assert.deepEqual(
    create.records.map((r) => [r.timestamp, r.timestampType]),
    [
      [1000, "CreateTime"],
      [1001, "CreateTime"],
    ],
  );
  const appended = dataBatch(0n, ["x"], { timestampType: 1, maxTimestamp: 5_000n });
  const logAppend = recordsFromFetch(appended, tp, 0n, "read_uncommitted", null);
  assert.deepEqual(
    logAppend.records.map((r) => [r.timestamp, r.timestampType]),
    [[5000, "LogAppendTime"]],
  );
});

test("records carry their partition, offsets, epoch and headers; keys and values are views", () => {
  const batch = encodeBatch({
    baseOffset: 40n,
    baseTimestamp: 1_700_000_000_000n,
    partitionLeaderEpoch: 9,
    records: [
      { attributes: 0, timestampDelta: 0n, offsetDelta: 0, key: Buffer.from("k"), value: null, headers: [] },
      {
        attributes: 0,
        timestampDelta: -5n,
        offsetDelta: 2,
        key: null,
        value: Buffer.from("v"),
        headers: [
          { key: "h1", value: Buffer.from("x") },
          { key: "h2", value: null },
        ],
      },
      // A delta too long for the fast path (more than 7 varint bytes).
      { attributes: 0, timestampDelta: 2n ** 52n, offsetDelta: 3, key: null, value: null, headers: [] },
    ],
  });
  const { records, nextOffset, lastEpoch } = recordsFromFetch(
    batch,
    { topic: "orders", partition: 2 },
    40n,
    "read_uncommitted",
    null,
  );
  assert.deepEqual(
    records.map((r) => [r.topic, r.partition, r.offset, r.timestamp, r.leaderEpoch, r.headers.length]),
    [
      ["orders", 2, 40n, 1_700_000_000_000, 9, 0],
      ["orders", 2, 42n, 1_699_999_999_995, 9, 2],
      ["orders", 2, 43n, 1_700_000_000_000 + 2 ** 52, 9, 0],
    ],
  );
  assert.deepEqual(records[0]?.key, Buffer.from("k"));
  assert.equal(records[0]?.value, null);
  assert.deepEqual(records[1]?.headers, [
    { key: "h1", value: Buffer.from("x") },
    { key: "h2", value: null },
  ]);
  assert.equal((records[1] as FetchedRecord).value instanceof Buffer, true);
  assert.equal(
    ((records[1] as FetchedRecord).value as Buffer).buffer,
    batch.buffer,
    "a view of the response, not a copy",
  );
  assert.equal(nextOffset, 44n);
  assert.equal(lastEpoch, 9);
});

test("a partial batch at the end is left for the next fetch", () => {
  const whole = dataBatch(0n, ["a", "b"]);
  const next = dataBatch(2n, ["c"]);
  const result = recordsFromFetch(
    Buffer.concat([whole, next.subarray(0, next.length - 3)]),
    tp,
    0n,
    "read_uncommitted",
    null,
  );
  assert.deepEqual(values(result), ["a", "b"]);
  assert.equal(result.nextOffset, 2n);
});

test("batches are decoded one at a time; a corrupt one throws after the records before it", () => {
  const bad = dataBatch(2n, ["c"]);
  const last = bad.length - 1;
  bad.writeUInt8((bad.readUInt8(last) ^ 0xff) & 0xff, last); // inside the CRC-covered bytes
  const reader = new FetchedBatchReader(
    Buffer.concat([dataBatch(0n, ["a", "b"]), bad]),
    tp,
    0n,
    "read_uncommitted",
    null,
  );
  assert.deepEqual(
    reader.next()?.map((r) => (r.value as Buffer).toString()),
    ["a", "b"],
  );
  assert.throws(() => reader.next(), { name: "CodecError", code: "CORRUPT_RECORD" });
});
