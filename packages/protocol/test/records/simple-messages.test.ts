import assert from "node:assert/strict";
import { test } from "node:test";
import { CompressionType } from "../../src/records/attributes.ts";
import { decodeBatch } from "../../src/records/batch.ts";
import { BatchHeader } from "../../src/records/batch-header.ts";
import { batchMessages, encodeMessages } from "../../src/records/simple-messages.ts";
import { assertCodecError } from "./helpers.ts";

test("messages become one batch and come back with absolute offsets and timestamps", () => {
  const bytes = encodeMessages(
    [
      { key: "a", value: "first", timestamp: 2000n, headers: [{ key: "h", value: "x" }] },
      { value: Buffer.from([1, 2]), timestamp: 1990n },
      { key: null, value: null, timestamp: 2010n, headers: [{ key: "n", value: null }] },
    ],
    { compression: CompressionType.GZIP },
  );
  new BatchHeader(bytes).baseOffset = 40n; // as the broker assigns it
  const batch = decodeBatch(bytes);
  assert.equal(batch.baseTimestamp, 2000n);
  assert.equal(batch.maxTimestamp, 2010n);
  assert.deepEqual(batchMessages(batch), [
    {
      offset: 40n,
      timestamp: 2000n,
      key: Buffer.from("a"),
      value: Buffer.from("first"),
      headers: [{ key: "h", value: Buffer.from("x") }],
    },
    { offset: 41n, timestamp: 1990n, key: null, value: Buffer.from([1, 2]), headers: [] },
    { offset: 42n, timestamp: 2010n, key: null, value: null, headers: [{ key: "n", value: null }] },
  ]);
});

test("LogAppendTime batches report the batch's maxTimestamp for every record", () => {
  const bytes = encodeMessages([
    { value: "a", timestamp: 1n },
    { value: "b", timestamp: 2n },
  ]);
  new BatchHeader(bytes).setLogAppendTime(777n);
  assert.deepEqual(
    batchMessages(decodeBatch(bytes)).map((m) => m.timestamp),
    [777n, 777n],
  );
});

test("an empty message list is refused", () => {
  assertCodecError(() => encodeMessages([]), "INVALID_VALUE");
});
