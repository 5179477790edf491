import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeBatch, encodeBatch } from "../../src/records/batch.ts";
import {
  ControlRecordType,
  decodeControlRecordKey,
  decodeEndTxnMarkerValue,
  encodeEndTxnMarkerBatch,
  readEndTxnMarker,
} from "../../src/records/control-record.ts";
import { assertCodecError } from "./helpers.ts";

for (const [name, type] of [
  ["COMMIT", ControlRecordType.COMMIT],
  ["ABORT", ControlRecordType.ABORT],
] as const) {
  test(`a ${name} marker batch encodes, decodes and is recognised`, () => {
    const bytes = encodeEndTxnMarkerBatch({
      type,
      producerId: 4000n,
      producerEpoch: 7,
      coordinatorEpoch: 12,
      timestamp: 1_700_000_000_000n,
      baseOffset: 50n,
    });
    const batch = decodeBatch(bytes);
    assert.equal(batch.isControl, true);
    assert.equal(batch.isTransactional, true);
    assert.equal(batch.compression, 0);
    assert.equal(batch.producerId, 4000n);
    assert.equal(batch.producerEpoch, 7);
    assert.equal(batch.baseSequence, -1);
    assert.equal(batch.baseOffset, 50n);
    assert.equal(batch.recordCount, 1);
    assert.equal(batch.maxTimestamp, 1_700_000_000_000n);
    const record = batch.records[0]!;
    assert.deepEqual(record.key, Buffer.from([0x00, 0x00, 0x00, type]));
    assert.deepEqual(record.value, Buffer.from([0x00, 0x00, 0x00, 0x00, 0x00, 0x0c]));
    assert.deepEqual(readEndTxnMarker(batch), { type, coordinatorEpoch: 12 });
  });
}

test("ordinary batches and other control types are not transaction markers", () => {
  const plain = decodeBatch(
    encodeBatch({
      baseTimestamp: 0n,
      records: [{ attributes: 0, timestampDelta: 0n, offsetDelta: 0, key: null, value: null, headers: [] }],
    }),
  );
  assert.equal(readEndTxnMarker(plain), null);
  const leaderChange = decodeBatch(
    encodeBatch({
      baseTimestamp: 0n,
      isControl: true,
      records: [
        {
          attributes: 0,
          timestampDelta: 0n,
          offsetDelta: 0,
          key: Buffer.from([0, 0, 0, 2]),
          value: Buffer.from([0, 0]),
          headers: [],
        },
      ],
    }),
  );
  assert.equal(readEndTxnMarker(leaderChange), null);
  assert.equal(decodeControlRecordKey(leaderChange.records[0]!.key).type, 2);
});

test("newer key and value versions still decode; malformed ones throw CodecError", () => {
  assert.deepEqual(decodeControlRecordKey(Buffer.from([0, 1, 0, 1, 0xff])), { version: 1, type: 1 });
  assert.equal(decodeEndTxnMarkerValue(Buffer.from([0, 1, 0, 0, 0, 9, 0xff])), 9);
  assertCodecError(() => decodeControlRecordKey(null), "CORRUPT_RECORD");
  assertCodecError(() => decodeControlRecordKey(Buffer.from([0, 0, 0])), "CORRUPT_RECORD");
  assertCodecError(() => decodeControlRecordKey(Buffer.from([0xff, 0xff, 0, 1])), "CORRUPT_RECORD");
  assertCodecError(() => decodeEndTxnMarkerValue(Buffer.from([0, 0, 0, 0, 0])), "CORRUPT_RECORD");
  assertCodecError(() => decodeEndTxnMarkerValue(null), "CORRUPT_RECORD");
});
