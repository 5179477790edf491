// ConsumerProtocolSubscription / ConsumerProtocolAssignment against byte layouts written out from
// Kafka's schema (clients/src/main/resources/common/message/ConsumerProtocol*.json): int16
// version, classic int16-length strings, int32-count arrays, int32-length nullable bytes.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ConsumerProtocolError,
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
} from "../../src/consumer/consumer-protocol.ts";

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ""), "hex");

// v0: topics ["a", "bc"], userData null.
const subscriptionV0 = hex(`
  0000
  00000002 0001 61 0002 6263
  ffffffff`);

// v3: topics ["t"], userData 0x00000007, owned t-0 and t-2, generation 5, rack "r1".
const subscriptionV3 = hex(`
  0003
  00000001 0001 74
  00000004 00000007
  00000001 0001 74 00000002 00000000 00000002
  00000005
  0002 7231`);

// v1 assignment: x-[1, 0], y-[3], userData empty (not null).
const assignmentV1 = hex(`
  0001
  00000002 0001 78 00000002 00000001 00000000 0001 79 00000001 00000003
  00000000`);

test("subscription v0 and v3 encode to Kafka's bytes and decode back", () => {
  assert.deepEqual(encodeSubscription({ topics: ["bc", "a"] }, 0), subscriptionV0, "topics sorted");
  assert.deepEqual(decodeSubscription(subscriptionV0), {
    topics: ["a", "bc"],
    userData: null,
    ownedPartitions: [],
    generationId: -1,
    rackId: null,
  });
  const v3 = {
    topics: ["t"],
    userData: hex("00000007"),
    ownedPartitions: [
      { topic: "t", partition: 2 },
      { topic: "t", partition: 0 },
    ],
    generationId: 5,
    rackId: "r1",
  };
  assert.deepEqual(encodeSubscription(v3), subscriptionV3, "owned partitions sorted");
  assert.deepEqual(decodeSubscription(subscriptionV3), {
    ...v3,
    ownedPartitions: [
      { topic: "t", partition: 0 },
      { topic: "t", partition: 2 },
    ],
  });
});

test("versions cut fields: v1 has owned partitions, v2 the generation, v3 the rack", () => {
  const full = {
    topics: ["t"],
    ownedPartitions: [{ topic: "t", partition: 1 }],
    generationId: 9,
    rackId: "r",
  };
  assert.equal(encodeSubscription(full, 0).length, 2 + 4 + 3 + 4);
  assert.equal(encodeSubscription(full, 1).length, 2 + 4 + 3 + 4 + 4 + 3 + 4 + 4);
  assert.equal(encodeSubscription(full, 2).length, 2 + 4 + 3 + 4 + 4 + 3 + 4 + 4 + 4);
  const v1 = decodeSubscription(encodeSubscription(full, 1));
  assert.deepEqual(
    [v1.ownedPartitions, v1.generationId, v1.rackId],
    [[{ topic: "t", partition: 1 }], -1, null],
  );
});

test("a newer version is read with the newest layout; trailing bytes are ignored", () => {
  const v9 = Buffer.concat([hex("0009"), subscriptionV3.subarray(2), hex("deadbeef")]);
  const decoded = decodeSubscription(v9);
  assert.deepEqual(decoded.topics, ["t"]);
  assert.equal(decoded.generationId, 5);
  assert.equal(decoded.rackId, "r1");
});

test("assignment bytes group partitions by topic; empty bytes are an empty assignment", () => {
  const assignment = {
    partitions: [
      { topic: "x", partition: 1 },
      { topic: "x", partition: 0 },
      { topic: "y", partition: 3 },
    ],
    userData: Buffer.alloc(0),
  };
  assert.deepEqual(encodeAssignment(assignment, 1), assignmentV1);
  assert.deepEqual(decodeAssignment(assignmentV1), assignment);
  assert.deepEqual(decodeAssignment(Buffer.alloc(0)), { partitions: [], userData: null });
  // v0 with null userData, as kafkajs and librdkafka send it.
  assert.deepEqual(decodeAssignment(hex("0000 00000000 ffffffff")), { partitions: [], userData: null });
});

test("truncated or hostile input fails with ConsumerProtocolError", () => {
  for (let cut = 1; cut < subscriptionV3.length; cut++)
    assert.throws(
      () => decodeSubscription(subscriptionV3.subarray(0, cut)),
      ConsumerProtocolError,
      `cut at ${cut}`,
    );
  assert.throws(() => decodeSubscription(hex("ffff 00000000 ffffffff")), /version -1/);
  assert.throws(() => decodeAssignment(hex("0000 7fffffff")), /exceeds the input/);
});
