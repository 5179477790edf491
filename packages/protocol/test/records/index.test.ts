import assert from "node:assert/strict";
import { test } from "node:test";
import {
  BATCH_HEADER_SIZE,
  BatchHeader,
  batchMessages,
  CompressionType,
  ControlRecordType,
  compress,
  crc32c,
  crc32cSoftware,
  decodeBatch,
  decodeBatches,
  decodeRecord,
  decompress,
  encodeBatch,
  encodeEndTxnMarkerBatch,
  encodeMessages,
  encodeRecord,
  probeBatch,
  readEndTxnMarker,
  readRecord,
  scanBatches,
  splitBatches,
  TimestampType,
  writeRecord,
} from "../../src/records/index.ts";

test("the records entry point exposes the public API", () => {
  const functions = {
    BatchHeader,
    scanBatches,
    splitBatches,
    probeBatch,
    encodeBatch,
    decodeBatch,
    decodeBatches,
    encodeRecord,
    decodeRecord,
    readRecord,
    writeRecord,
    compress,
    decompress,
    crc32c,
    crc32cSoftware,
    encodeEndTxnMarkerBatch,
    readEndTxnMarker,
    encodeMessages,
    batchMessages,
  };
  for (const [name, value] of Object.entries(functions)) assert.equal(typeof value, "function", name);
  assert.equal(CompressionType.ZSTD, 4);
  assert.equal(TimestampType.LOG_APPEND_TIME, 1);
  assert.equal(ControlRecordType.COMMIT, 1);
  assert.equal(BATCH_HEADER_SIZE, 61);
});
