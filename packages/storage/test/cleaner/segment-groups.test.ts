import assert from "node:assert/strict";
import { test } from "node:test";
import type { SegmentSource } from "../../src/cleaner/clean-protocol.ts";
import { groupSegmentsBySize } from "../../src/cleaner/segment-groups.ts";

function segments(...specs: [base: bigint, size: number, end: bigint][]): SegmentSource[] {
  return specs.map(([baseOffset, size, endOffset]) => ({
    baseOffset,
    size,
    endOffset,
    offsetIndexBytes: 8 * Math.floor(size / 100),
    timeIndexBytes: 12 * Math.floor(size / 100),
  }));
}

function bases(groups: SegmentSource[][]): bigint[][] {
  return groups.map((g) => g.map((s) => s.baseOffset));
}

test("small adjacent segments are merged up to segment.bytes", () => {
  const groups = groupSegmentsBySize(
    segments(
      [0n, 400, 10n],
      [10n, 300, 20n],
      [20n, 400, 30n],
      [30n, 1000, 40n],
      [40n, 0, 42n],
      [42n, 50, 45n],
    ),
    { segmentBytes: 1000, segmentIndexBytes: 10_000 },
  );
  assert.deepEqual(bases(groups), [[0n, 10n], [20n], [30n, 40n], [42n]]);
});

test("index bytes and the int32 offset span also bound a group", () => {
  const byIndex = groupSegmentsBySize(segments([0n, 500, 10n], [10n, 500, 20n]), {
    segmentBytes: 10_000,
    segmentIndexBytes: 70,
  });
  assert.deepEqual(bases(byIndex), [[0n], [10n]]);
  const bySpan = groupSegmentsBySize(
    segments([0n, 10, 2_000_000_000n], [2_000_000_000n, 10, 2_200_000_000n]),
    { segmentBytes: 10_000, segmentIndexBytes: 10_000 },
  );
  assert.deepEqual(bases(bySpan), [[0n], [2_000_000_000n]]);
});
