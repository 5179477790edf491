import assert from "node:assert/strict";
import { test } from "node:test";
import { ErrorCode } from "@nagare/protocol";
import { countErrorCodes } from "../../src/metrics/error-codes.ts";

test("counts top-level and per-partition error codes, not NONE", () => {
  const response = {
    errorCode: ErrorCode.NONE,
    responses: [
      {
        topic: "a",
        partitions: [
          { partitionIndex: 0, errorCode: ErrorCode.NONE, records: Buffer.from("errorCode") },
          { partitionIndex: 1, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE },
          { partitionIndex: 2, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE },
        ],
      },
      { topic: "b", partitions: [{ partitionIndex: 0, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }] },
    ],
  };
  assert.deepEqual(
    [...countErrorCodes(response)].sort(),
    [
      [ErrorCode.OFFSET_OUT_OF_RANGE, 2],
      [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 1],
    ].sort(),
  );
});

test("a top-level error alone counts once; nothing to walk counts nothing", () => {
  assert.deepEqual(
    [...countErrorCodes({ errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND, responses: [] })],
    [[ErrorCode.FETCH_SESSION_ID_NOT_FOUND, 1]],
  );
  assert.equal(countErrorCodes(undefined).size, 0);
  assert.equal(countErrorCodes(null).size, 0);
  assert.equal(countErrorCodes({ throttleTimeMs: 0, brokers: [{ nodeId: 1 }] }).size, 0);
});
