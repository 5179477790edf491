// Cross-check of our ConsumerProtocol codec with kafkajs's AssignerProtocol (an independent
// implementation): each decodes what the other encodes.

import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription } from "@nagare/client";
import { AssignerProtocol } from "kafkajs";

test("kafkajs reads our subscriptions and assignments, and we read its", () => {
  const ours = encodeSubscription({
    topics: ["b", "a"],
    userData: Buffer.from("ud"),
    ownedPartitions: [{ topic: "a", partition: 1 }],
    generationId: 4,
  });
  const theirView = AssignerProtocol.MemberMetadata.decode(ours);
  assert.equal(theirView?.version, 3);
  assert.deepEqual(theirView?.topics, ["a", "b"]);
  assert.deepEqual(theirView?.userData, Buffer.from("ud"));

  const theirs = AssignerProtocol.MemberMetadata.encode({
    version: 0,
    topics: ["x", "y"],
    userData: Buffer.alloc(0),
  });
  assert.deepEqual(decodeSubscription(theirs), {
    topics: ["x", "y"],
    userData: Buffer.alloc(0),
    ownedPartitions: [],
    generationId: -1,
    rackId: null,
  });

  const assignment = encodeAssignment({
    partitions: [
      { topic: "x", partition: 0 },
      { topic: "x", partition: 2 },
      { topic: "y", partition: 1 },
    ],
    userData: null,
  });
  assert.deepEqual(AssignerProtocol.MemberAssignment.decode(assignment)?.assignment, { x: [0, 2], y: [1] });
  const kafkajsAssignment = AssignerProtocol.MemberAssignment.encode({
    version: 0,
    assignment: { t: [3, 1] },
    userData: Buffer.alloc(0),
  });
  assert.deepEqual(decodeAssignment(kafkajsAssignment).partitions, [
    { topic: "t", partition: 3 },
    { topic: "t", partition: 1 },
  ]);
});
