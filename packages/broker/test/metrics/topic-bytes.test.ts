import assert from "node:assert/strict";
import { test } from "node:test";
import { ErrorCode } from "@nagare/protocol";
import { fetchBytesOut, produceBytesIn } from "../../src/metrics/topic-bytes.ts";

const request = {
  acks: 1,
  topicData: [
    {
      name: "a",
      partitionData: [
        { index: 0, records: Buffer.alloc(100) },
        { index: 1, records: Buffer.alloc(30) },
      ],
    },
    { name: "b", partitionData: [{ index: 0, records: Buffer.alloc(7) }] },
    { name: "c", partitionData: [{ index: 0, records: null }] },
  ],
};

test("Produce: bytes of the partitions answered NONE, per topic", () => {
  const response = {
    responses: [
      {
        name: "a",
        partitionResponses: [
          { index: 0, errorCode: ErrorCode.NONE },
          { index: 1, errorCode: ErrorCode.MESSAGE_TOO_LARGE },
        ],
      },
      { name: "b", partitionResponses: [{ index: 0, errorCode: ErrorCode.NONE }] },
      { name: "c", partitionResponses: [{ index: 0, errorCode: ErrorCode.INVALID_RECORD }] },
    ],
  };
  assert.deepEqual(
    produceBytesIn(request, response),
    new Map([
      ["a", 100],
      ["b", 7],
    ]),
  );
});

test("Produce acks=0 (no response): every record set counts", () => {
  assert.deepEqual(
    produceBytesIn({ ...request, acks: 0 }, undefined),
    new Map([
      ["a", 130],
      ["b", 7],
    ]),
  );
});

test("Fetch: record bytes returned per topic", () => {
  const response = {
    errorCode: 0,
    responses: [
      { topic: "a", partitions: [{ records: Buffer.alloc(10) }, { records: Buffer.alloc(5) }] },
      { topic: "b", partitions: [{ records: Buffer.alloc(0) }, { records: null }] },
      { topic: "a", partitions: [{ records: Buffer.alloc(1) }] },
    ],
  };
  assert.deepEqual(fetchBytesOut(response), new Map([["a", 16]]));
  assert.equal(fetchBytesOut(undefined).size, 0);
});
