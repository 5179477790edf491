import assert from "node:assert/strict";
import { test } from "node:test";
import { ErrorCode } from "@nagare/protocol";
import { coordinator, joinNew, joinRequest, settled, subscription, sync } from "./group-fixture.ts";

test("v4 join: MEMBER_ID_REQUIRED, then the initial delay, then leader and follower get generation 1", async () => {
  const { groups, clock } = await coordinator();
  const a = await joinNew(groups);
  const b = await joinNew(groups);
  assert.equal(await settled(a.join), "pending");
  assert.equal(groups.group("g")?.state, "PreparingRebalance");
  clock.advance(100); // group.initial.rebalance.delay.ms, extended once because b arrived
  assert.equal(await settled(a.join), "pending");
  clock.advance(100);
  const [ja, jb] = await Promise.all([a.join, b.join]);
  assert.equal(ja.errorCode, ErrorCode.NONE);
  assert.equal(ja.generationId, 1);
  assert.equal(ja.protocolName, "range");
  assert.equal(ja.leader, a.memberId);
  assert.deepEqual(ja.members.map((m) => m.memberId).sort(), [a.memberId, b.memberId].sort());
  assert.equal(jb.leader, a.memberId);
  assert.deepEqual(jb.members, []);
  assert.equal(groups.group("g")?.state, "CompletingRebalance");
});

test("SyncGroup: followers arriving before the leader get the leader's bytes verbatim", async () => {
  const { groups, clock, log } = await coordinator();
  const members = [await joinNew(groups), await joinNew(groups), await joinNew(groups)];
  clock.advance(1000);
  const joins = await Promise.all(members.map((m) => m.join));
  const leader = joins.find((j) => j.members.length === 3);
  assert.ok(leader);
  const followers = joins.filter((j) => j !== leader);
  const pending = followers.map((f) => sync(groups, f.memberId, 1));
  assert.equal(await settled(pending[0] as Promise<unknown>), "pending");
  const bytes = new Map(joins.map((j, i) => [j.memberId, Buffer.from([0, 1, i, 0xff, i * 7])]));
  const written = log.records.length;
  const mine = await sync(
    groups,
    leader.memberId,
    1,
    [...bytes].map(([memberId, assignment]) => ({ memberId, assignment })),
  );
  assert.deepEqual(mine.assignment, bytes.get(leader.memberId));
  for (const [i, f] of followers.entries()) {
    const outcome = await pending[i];
    assert.equal(outcome?.errorCode, ErrorCode.NONE);
    assert.deepEqual(outcome?.assignment, bytes.get(f.memberId));
  }
  assert.equal(groups.group("g")?.state, "Stable");
  assert.equal(log.records.length, written + 1, "the assignment is persisted once");
  // A late SyncGroup in Stable returns the same bytes again.
  assert.deepEqual(
    (await sync(groups, followers[0]?.memberId ?? "", 1)).assignment,
    bytes.get(followers[0]?.memberId ?? ""),
  );
});

async function stableGroupOfTwo() {
  const fixture = await coordinator();
  const { groups, clock } = fixture;
  const a = await joinNew(groups);
  const b = await joinNew(groups);
  clock.advance(1000);
  const [ja, jb] = await Promise.all([a.join, b.join]);
  const leader = ja.leader === ja.memberId ? ja : jb;
  const follower = leader === ja ? jb : ja;
  const followerSync = sync(groups, follower.memberId, 1);
  await sync(groups, leader.memberId, 1, [
    { memberId: leader.memberId, assignment: Buffer.from("L") },
    { memberId: follower.memberId, assignment: Buffer.from("F") },
  ]);
  await followerSync;
  return { ...fixture, leader: leader.memberId, follower: follower.memberId };
}

test("a new member makes the group rebalance; Heartbeat answers REBALANCE_IN_PROGRESS until it completes", async () => {
  const { groups, leader, follower } = await stableGroupOfTwo();
  const heartbeat = (memberId: string, generationId: number) =>
    groups.membership.heartbeat({ groupId: "g", generationId, memberId, groupInstanceId: null });
  assert.equal(heartbeat(follower, 1), ErrorCode.NONE);
  const c = await joinNew(groups);
  assert.equal(groups.group("g")?.state, "PreparingRebalance");
  assert.equal(heartbeat(follower, 1), ErrorCode.REBALANCE_IN_PROGRESS);
  const rejoinLeader = groups.membership.joinGroup(joinRequest({ memberId: leader }));
  assert.equal(await settled(c.join), "pending");
  const rejoinFollower = groups.membership.joinGroup(joinRequest({ memberId: follower }));
  // Everyone is back: the rebalance completes at once (no initial delay after the first one).
  const outcomes = await Promise.all([c.join, rejoinLeader, rejoinFollower]);
  assert.deepEqual(
    outcomes.map((o) => o.generationId),
    [2, 2, 2],
  );
  assert.equal(heartbeat(follower, 1), ErrorCode.ILLEGAL_GENERATION);
  assert.equal(heartbeat(follower, 2), ErrorCode.NONE);
  assert.equal(heartbeat("nobody", 2), ErrorCode.UNKNOWN_MEMBER_ID);
});

test("a member that stops heartbeating is removed after its session timeout and the group rebalances", async () => {
  const { groups, clock, leader, follower } = await stableGroupOfTwo();
  const heartbeat = () =>
    groups.membership.heartbeat({ groupId: "g", generationId: 1, memberId: leader, groupInstanceId: null });
  clock.advance(4000);
  assert.equal(heartbeat(), ErrorCode.NONE);
  clock.advance(4000);
  assert.equal(heartbeat(), ErrorCode.NONE);
  assert.ok(groups.group("g")?.member(follower));
  // 12 s without a heartbeat from the follower (session 10 s): it is gone, the group rebalances.
  clock.advance(4000);
  assert.equal(groups.group("g")?.member(follower), undefined);
  assert.equal(heartbeat(), ErrorCode.REBALANCE_IN_PROGRESS);
  assert.equal(groups.group("g")?.state, "PreparingRebalance");
  const rejoin = await groups.membership.joinGroup(joinRequest({ memberId: leader }));
  assert.equal(rejoin.generationId, 2);
  assert.deepEqual(
    rejoin.members.map((m) => m.memberId),
    [leader],
  );
});

test("members that do not rejoin within the rebalance timeout are dropped", async () => {
  const { groups, clock, leader, follower } = await stableGroupOfTwo();
  const c = await joinNew(groups);
  const rejoin = groups.membership.joinGroup(joinRequest({ memberId: leader }));
  // The follower keeps heartbeating but never rejoins.
  for (let elapsed = 0; elapsed < 30_000; elapsed += 5000) {
    clock.advance(5000);
    groups.membership.heartbeat({ groupId: "g", generationId: 1, memberId: follower, groupInstanceId: null });
  }
  const [jc, jl] = await Promise.all([c.join, rejoin]);
  assert.equal(jc.generationId, 2);
  assert.equal(jl.members.length, 2);
  assert.equal(groups.group("g")?.member(follower), undefined);
});

test("LeaveGroup: the rest rebalances; the last member leaving empties the group and persists that", async () => {
  const { groups, log, leader, follower } = await stableGroupOfTwo();
  const left = groups.membership.leaveGroup("g", [{ memberId: follower, groupInstanceId: null }]);
  assert.equal(left.members[0]?.errorCode, ErrorCode.NONE);
  const rejoin = await groups.membership.joinGroup(joinRequest({ memberId: leader }));
  assert.equal(rejoin.generationId, 2);
  const before = log.records.length;
  const unknown = groups.membership.leaveGroup("g", [{ memberId: "ghost", groupInstanceId: null }]);
  assert.equal(unknown.members[0]?.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
  groups.membership.leaveGroup("g", [{ memberId: leader, groupInstanceId: null }]);
  assert.equal(groups.group("g")?.state, "Empty");
  assert.equal(groups.group("g")?.generationId, 3);
  assert.equal(log.records.length, before + 1);
});

test("static membership: a restarted instance takes its place without a rebalance; the old id is fenced", async () => {
  const { groups, clock } = await coordinator();
  const staticJoin = (instance: string, memberId = "") =>
    groups.membership.joinGroup(joinRequest({ groupInstanceId: instance, memberId }));
  const a = staticJoin("a");
  const b = staticJoin("b");
  clock.advance(1000);
  const [ja, jb] = await Promise.all([a, b]);
  const leader = ja.members.length > 0 ? ja : jb;
  const other = leader === ja ? jb : ja;
  const otherSync = sync(groups, other.memberId, 1);
  await sync(groups, leader.memberId, 1, [
    { memberId: ja.memberId, assignment: Buffer.from("A") },
    { memberId: jb.memberId, assignment: Buffer.from("B") },
  ]);
  await otherSync;
  // Instance b restarts: a new JoinGroup without a member id, same group.instance.id.
  const restarted = await staticJoin("b");
  assert.equal(restarted.errorCode, ErrorCode.NONE);
  assert.equal(restarted.generationId, 1, "no new generation");
  assert.notEqual(restarted.memberId, jb.memberId);
  assert.equal(groups.group("g")?.state, "Stable");
  const again = await groups.membership.syncGroup({
    groupId: "g",
    generationId: 1,
    memberId: restarted.memberId,
    groupInstanceId: "b",
    protocolType: "consumer",
    protocolName: "range",
    assignments: [],
  });
  assert.deepEqual(again.assignment, Buffer.from("B"), "same partitions back");
  assert.equal(
    groups.membership.heartbeat({
      groupId: "g",
      generationId: 1,
      memberId: jb.memberId,
      groupInstanceId: "b",
    }),
    ErrorCode.FENCED_INSTANCE_ID,
  );
});

test("protocol selection: every member supports it, most votes win; a member without one is refused", async () => {
  const { groups, clock } = await coordinator();
  const proto = (...names: string[]) => names.map((name) => ({ name, metadata: subscription("t") }));
  const a = await joinNew(groups, { protocols: proto("roundrobin", "range") });
  const b = await joinNew(groups, { protocols: proto("range", "roundrobin") });
  const c = await joinNew(groups, { protocols: proto("range", "sticky") });
  const refused = await groups.membership.joinGroup(joinRequest({ protocols: proto("sticky") }));
  assert.equal(refused.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  const otherType = await groups.membership.joinGroup(joinRequest({ protocolType: "connect" }));
  assert.equal(otherType.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  clock.advance(1000);
  const outcomes = await Promise.all([a.join, b.join, c.join]);
  assert.deepEqual(
    outcomes.map((o) => o.protocolName),
    ["range", "range", "range"],
  );
});

test("join validation: empty group id, session timeout bounds, unknown member, group.max.size", async () => {
  const { groups, clock } = await coordinator(undefined, { maxSize: 2 });
  assert.equal(
    (await groups.membership.joinGroup(joinRequest({ groupId: "" }))).errorCode,
    ErrorCode.INVALID_GROUP_ID,
  );
  assert.equal(
    (await groups.membership.joinGroup(joinRequest({ sessionTimeoutMs: 500 }))).errorCode,
    ErrorCode.INVALID_SESSION_TIMEOUT,
  );
  assert.equal(
    (await groups.membership.joinGroup(joinRequest({ groupId: "other", memberId: "m-1" }))).errorCode,
    ErrorCode.UNKNOWN_MEMBER_ID,
  );
  const a = await joinNew(groups);
  const b = await joinNew(groups);
  const third = await groups.membership.joinGroup(joinRequest({ requireKnownMemberId: false }));
  assert.equal(third.errorCode, ErrorCode.GROUP_MAX_SIZE_REACHED);
  clock.advance(1000);
  assert.equal((await a.join).members.length + (await b.join).members.length, 2);
});

test("a pending member id that never comes back expires; SyncGroup checks generation and protocol", async () => {
  const { groups, clock, leader } = await stableGroupOfTwo();
  const first = await groups.membership.joinGroup(joinRequest());
  assert.equal(first.errorCode, ErrorCode.MEMBER_ID_REQUIRED);
  clock.advance(11_000); // the pending id's session timeout
  // (Heartbeats for the existing members are not sent here: they expired too; only check the id.)
  assert.equal(groups.group("g")?.pendingJoin.has(first.memberId), false);
  const { groups: fresh } = await stableGroupOfTwo();
  const g = fresh.group("g");
  assert.ok(g);
  const wrongGeneration = await sync(fresh, g.leaderId ?? "", 7);
  assert.equal(wrongGeneration.errorCode, ErrorCode.ILLEGAL_GENERATION);
  const wrongProtocol = await fresh.membership.syncGroup({
    groupId: "g",
    generationId: 1,
    memberId: g.leaderId ?? "",
    groupInstanceId: null,
    protocolType: "consumer",
    protocolName: "roundrobin",
    assignments: [],
  });
  assert.equal(wrongProtocol.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  assert.equal(
    (await sync(groups, leader, 1)).errorCode !== ErrorCode.NONE,
    true,
    "expired members are unknown",
  );
});

test("shutdown answers parked joins with NOT_COORDINATOR", async () => {
  const { groups } = await coordinator();
  const a = await joinNew(groups);
  await groups.stop();
  assert.equal((await a.join).errorCode, ErrorCode.NOT_COORDINATOR);
});
