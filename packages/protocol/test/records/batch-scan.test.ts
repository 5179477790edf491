import assert from "node:assert/strict";
import { test } from "node:test";
import { encodeBatch } from "../../src/records/batch.ts";
import { probeBatch, scanBatches, splitBatches } from "../../src/records/batch-scan.ts";
import { assertCodecError } from "./helpers.ts";

function batch(values: string[]): Buffer {
  return encodeBatch({
    baseTimestamp: 0n,
    records: values.map((value, i) => ({
      attributes: 0,
      timestampDelta: 0n,
      offsetDelta: i,
      key: null,
      value: Buffer.from(value),
      headers: [],
    })),
  });
}

const batches = [batch(["a"]), batch(["bb", "cc"]), batch([])];
const all = Buffer.concat(batches);
const starts = [0, batches[0]!.length, batches[0]!.length + batches[1]!.length];

test("scanning concatenated batches yields each position and size", () => {
  assert.deepEqual(
    [...scanBatches(all)],
    batches.map((b, i) => ({ kind: "batch", position: starts[i], size: b.length })),
  );
  assert.deepEqual([...scanBatches(Buffer.alloc(0))], []);
  assert.equal(probeBatch(all, all.length), null);
});

test("every truncation yields the whole batches, then the torn tail", () => {
  for (let length = 0; length <= all.length; length++) {
    const split = splitBatches(all.subarray(0, length));
    const whole = starts.filter((start, i) => start + batches[i]!.length <= length);
    assert.equal(split.batches.length, whole.length, `length ${length}`);
    assert.equal(
      split.validEnd,
      whole.length === 0 ? 0 : starts[whole.length - 1]! + batches[whole.length - 1]!.length,
    );
    if (split.validEnd === length) {
      assert.equal(split.truncatedTail, null);
    } else {
      const tail = split.truncatedTail!;
      assert.equal(tail.kind, "truncated");
      assert.equal(tail.position, split.validEnd);
      assert.equal(tail.available, length - split.validEnd);
      const expectedSize = tail.available < 12 ? null : batches[whole.length]!.length;
      assert.equal(tail.size, expectedSize, `length ${length}`);
    }
  }
});

test("a batchLength below the 49-byte minimum is garbage", () => {
  const bad = Buffer.from(all);
  bad.writeInt32BE(48, starts[1]! + 8);
  const scan = scanBatches(bad);
  assert.equal(scan.next().value?.kind, "batch", "batches before the garbage are still reported");
  assertCodecError(() => scan.next(), "MALFORMED");
  const negative = Buffer.from(all);
  negative.writeInt32BE(-1, 8);
  assertCodecError(() => splitBatches(negative), "MALFORMED");
  // Even a tail too short to hold the magic byte is checked once its length is known.
  assertCodecError(() => splitBatches(negative.subarray(0, 14)), "MALFORMED");
});

test("legacy v0/v1 message sets and unknown magics are rejected", () => {
  for (const magic of [0, 1, 3, -1]) {
    const bad = Buffer.from(all);
    bad.writeInt8(magic, 16);
    assertCodecError(() => splitBatches(bad), "UNSUPPORTED_MAGIC", `magic ${magic}`);
    assertCodecError(() => splitBatches(bad.subarray(0, 20)), "UNSUPPORTED_MAGIC", `torn, magic ${magic}`);
  }
});

test("maxBatchSize separates an absurd length from a torn tail", () => {
  const huge = Buffer.from(batches[0]!);
  huge.writeInt32BE(0x7fffffff, 8);
  assert.equal(splitBatches(huge).truncatedTail?.size, 0x7fffffff + 12);
  assertCodecError(() => splitBatches(huge, 0, { maxBatchSize: 1 << 20 }), "MALFORMED");
});

test("scanning can start mid-buffer", () => {
  assert.deepEqual(
    splitBatches(all, starts[1]).batches.map((s) => s.position),
    [starts[1], starts[2]],
  );
  assert.throws(() => probeBatch(all, all.length + 1), RangeError);
});
