// The group APIs through their handlers at several versions: request fields mapped to the
// coordinator and answers encoded the way each version can carry them.

import assert from "node:assert/strict";
import { test } from "node:test";
import { ErrorCode } from "@nagare/protocol";
import { deleteGroupsHandler } from "../../src/handlers/delete-groups.ts";
import { describeGroupsHandler } from "../../src/handlers/describe-groups.ts";
import { findCoordinatorHandler } from "../../src/handlers/find-coordinator.ts";
import { heartbeatHandler } from "../../src/handlers/heartbeat.ts";
import { joinGroupHandler } from "../../src/handlers/join-group.ts";
import { leaveGroupHandler } from "../../src/handlers/leave-group.ts";
import { listGroupsHandler } from "../../src/handlers/list-groups.ts";
import { offsetCommitHandler } from "../../src/handlers/offset-commit.ts";
import { offsetFetchHandler } from "../../src/handlers/offset-fetch.ts";
import { syncGroupHandler } from "../../src/handlers/sync-group.ts";
import { call, dataPath } from "./data-path-fixture.ts";

const groupConfig = { "group.initial.rebalance.delay.ms": "0", "offsets.topic.num.partitions": "3" };
const protocols = [{ name: "range", metadata: Buffer.from([0, 0, 0, 0, 0, 0]) }];

test("FindCoordinator creates the coordinators' topics and answers this node, single and batched", async (t) => {
  const { services } = await dataPath(t, { config: groupConfig });
  const v1 = await call(findCoordinatorHandler, services, 1, { key: "g", keyType: 0 });
  assert.equal(v1?.errorCode, ErrorCode.NONE);
  assert.equal(v1?.nodeId, 1);
  assert.equal(v1?.port, 9092);
  assert.equal(services.metadata.topic("__consumer_offsets")?.partitions, 3);
  const v4 = await call(findCoordinatorHandler, services, 4, { keyType: 0, coordinatorKeys: ["a", "b"] });
  assert.deepEqual(
    v4?.coordinators.map((c) => [c.key, c.errorCode, c.nodeId]),
    [
      ["a", ErrorCode.NONE, 1],
      ["b", ErrorCode.NONE, 1],
    ],
  );
  const txn = await call(findCoordinatorHandler, services, 3, { key: "tx", keyType: 1 });
  assert.equal(txn?.errorCode, ErrorCode.NONE);
  assert.ok(services.metadata.topic("__transaction_state"));
  const share = await call(findCoordinatorHandler, services, 6, { keyType: 2, coordinatorKeys: ["s"] });
  assert.equal(share?.coordinators[0]?.errorCode, ErrorCode.INVALID_REQUEST);
});

test("JoinGroup v0 … v9, SyncGroup, Heartbeat, LeaveGroup v0 and v3 through the handlers", async (t) => {
  const { services } = await dataPath(t, {
    config: { ...groupConfig, "group.min.session.timeout.ms": "10" },
  });
  for (const version of [0, 3, 5, 7, 9]) {
    const groupId = `g-v${version}`;
    const base = {
      groupId,
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 10_000,
      protocolType: "consumer",
      protocols,
    };
    let join = await call(joinGroupHandler, services, version, { ...base, memberId: "" });
    if (version >= 4) {
      assert.equal(join?.errorCode, ErrorCode.MEMBER_ID_REQUIRED, `v${version}`);
      join = await call(joinGroupHandler, services, version, { ...base, memberId: join?.memberId ?? "" });
    }
    assert.equal(join?.errorCode, ErrorCode.NONE, `v${version}`);
    assert.equal(join?.generationId, 1);
    assert.equal(join?.protocolName, "range");
    assert.equal(join?.leader, join?.memberId);
    assert.deepEqual(join?.members[0]?.metadata, protocols[0]?.metadata);
    const memberId = join?.memberId ?? "";
    const syncVersion = Math.min(version, 5);
    const synced = await call(syncGroupHandler, services, syncVersion, {
      groupId,
      generationId: 1,
      memberId,
      protocolType: "consumer",
      protocolName: "range",
      assignments: [{ memberId, assignment: Buffer.from("assigned") }],
    });
    assert.equal(synced?.errorCode, ErrorCode.NONE);
    assert.deepEqual(synced?.assignment, Buffer.from("assigned"));
    const beat = await call(heartbeatHandler, services, Math.min(version, 4), {
      groupId,
      generationId: 1,
      memberId,
    });
    assert.equal(beat?.errorCode, ErrorCode.NONE);
    const left =
      version >= 3
        ? await call(leaveGroupHandler, services, Math.min(version, 5), {
            groupId,
            members: [
              { memberId, groupInstanceId: null },
              { memberId: "ghost", groupInstanceId: null },
            ],
          })
        : await call(leaveGroupHandler, services, version, { groupId, memberId });
    assert.equal(left?.errorCode, ErrorCode.NONE);
    if (version >= 3)
      assert.deepEqual(
        left?.members.map((m) => m.errorCode),
        [ErrorCode.NONE, ErrorCode.UNKNOWN_MEMBER_ID],
      );
  }
  const described = await call(describeGroupsHandler, services, 5, {
    groups: ["g-v9", "missing"],
    includeAuthorizedOperations: false,
  });
  assert.deepEqual(
    described?.groups.map((g) => [g.groupId, g.groupState, g.protocolType, g.errorCode]),
    [
      ["g-v9", "Empty", "consumer", ErrorCode.NONE],
      ["missing", "Dead", "", ErrorCode.NONE],
    ],
  );
  const v6 = await call(describeGroupsHandler, services, 6, {
    groups: ["missing"],
    includeAuthorizedOperations: true,
  });
  assert.equal(v6?.groups[0]?.errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
  const listed = await call(listGroupsHandler, services, 5, { statesFilter: ["empty"], typesFilter: [] });
  assert.equal(listed?.groups.length, 5);
  assert.ok(listed?.groups.every((g) => g.groupState === "Empty" && g.groupType === "classic"));
  const none = await call(listGroupsHandler, services, 4, { statesFilter: ["Stable"], typesFilter: [] });
  assert.deepEqual(none?.groups, []);
});

test("OffsetCommit / OffsetFetch across versions; DeleteGroups removes the offsets", async (t) => {
  const { services, createTopic } = await dataPath(t, { config: groupConfig });
  await createTopic("orders", 2);
  for (const version of [2, 7, 9]) {
    const committed = await call(offsetCommitHandler, services, version, {
      groupId: `c${version}`,
      generationIdOrMemberEpoch: -1,
      memberId: "",
      topics: [
        {
          name: "orders",
          partitions: [
            { partitionIndex: 0, committedOffset: 17n, committedLeaderEpoch: 0, committedMetadata: "meta" },
            { partitionIndex: 5, committedOffset: 1n, committedLeaderEpoch: 0, committedMetadata: null },
          ],
        },
      ],
    });
    assert.deepEqual(
      committed?.topics[0]?.partitions.map((p) => p.errorCode),
      [ErrorCode.NONE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
    );
  }
  const v1 = await call(offsetFetchHandler, services, 1, {
    groupId: "c2",
    topics: [{ name: "orders", partitionIndexes: [0, 1] }],
  });
  assert.deepEqual(
    v1?.topics[0]?.partitions.map((p) => [p.committedOffset, p.metadata]),
    [
      [17n, "meta"],
      [-1n, ""],
    ],
  );
  const all = await call(offsetFetchHandler, services, 7, {
    groupId: "c7",
    topics: null,
    requireStable: true,
  });
  assert.equal(all?.topics[0]?.partitions[0]?.committedOffset, 17n);
  assert.equal(all?.topics[0]?.partitions[0]?.committedLeaderEpoch, 0);
  const multi = await call(offsetFetchHandler, services, 8, {
    groups: [
      { groupId: "c9", topics: null },
      { groupId: "c2", topics: [{ name: "orders", partitionIndexes: [0] }] },
    ],
    requireStable: false,
  });
  assert.deepEqual(
    multi?.groups.map((g) => [g.groupId, g.topics[0]?.partitions[0]?.committedOffset]),
    [
      ["c9", 17n],
      ["c2", 17n],
    ],
  );
  const deleted = await call(deleteGroupsHandler, services, 2, { groupsNames: ["c9", "nope"] });
  assert.deepEqual(
    deleted?.results.map((r) => r.errorCode),
    [ErrorCode.NONE, ErrorCode.GROUP_ID_NOT_FOUND],
  );
  const gone = await call(offsetFetchHandler, services, 8, {
    groups: [{ groupId: "c9", topics: null }],
    requireStable: false,
  });
  assert.deepEqual(gone?.groups[0]?.topics, []);
});
