import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CompressionType,
  compressionFromName,
  compressionName,
  encodeAttributes,
  isCompressionType,
  TimestampType,
} from "../../src/records/attributes.ts";

test("attribute bits follow the RecordBatch v2 layout", () => {
  const none = {
    compression: CompressionType.NONE,
    timestampType: TimestampType.CREATE_TIME,
    isTransactional: false,
    isControl: false,
    hasDeleteHorizonMs: false,
  };
  assert.equal(encodeAttributes(none), 0);
  assert.equal(encodeAttributes({ ...none, compression: CompressionType.ZSTD }), 4);
  assert.equal(encodeAttributes({ ...none, timestampType: TimestampType.LOG_APPEND_TIME }), 0x08);
  assert.equal(encodeAttributes({ ...none, isTransactional: true }), 0x10);
  assert.equal(encodeAttributes({ ...none, isControl: true }), 0x20);
  assert.equal(encodeAttributes({ ...none, hasDeleteHorizonMs: true }), 0x40);
});

test("compression codec names match compression.type values", () => {
  for (const name of ["none", "gzip", "snappy", "lz4", "zstd"]) {
    const codec = compressionFromName(name);
    assert.notEqual(codec, null, name);
    assert.equal(compressionName(codec!), name);
  }
  assert.equal(compressionFromName("producer"), null);
  assert.equal(compressionFromName("GZIP"), null);
  assert.deepEqual([0, 4, 5, -1, 1.5].map(isCompressionType), [true, true, false, false, false]);
});
