import assert from "node:assert/strict";
import { test } from "node:test";
import { ErrorCode } from "@nagare/protocol";
import { StorageError } from "@nagare/storage";
import type { CommitRequest } from "../../../src/coordinator/group/offsets.ts";
import { coordinator, joinNew, ManualClock, MemoryOffsetsLog, subscription, sync } from "./group-fixture.ts";

const exists = (topic: string, partition: number) => topic.startsWith("t") && partition < 3;

function commit(
  overrides: Partial<CommitRequest> & { offsets?: [string, number, bigint, string?][] },
): CommitRequest {
  const offsets = overrides.offsets ?? [["t", 0, 5n]];
  const topics = new Map<string, [number, bigint, string | undefined][]>();
  for (const [t, p, o, m] of offsets) topics.set(t, [...(topics.get(t) ?? []), [p, o, m]]);
  return {
    groupId: "g",
    memberId: "",
    groupInstanceId: null,
    generationId: -1,
    apiVersion: 8,
    ...overrides,
    topics: [...topics].map(([name, parts]) => ({
      name,
      partitions: parts.map(([partitionIndex, committedOffset, metadata]) => ({
        partitionIndex,
        committedOffset,
        committedLeaderEpoch: 3,
        committedMetadata: metadata ?? null,
      })),
    })),
  };
}

const codes = (result: { partitions: { errorCode: number }[] }[]) =>
  result.flatMap((t) => t.partitions.map((p) => p.errorCode));

test("simple commits (generation -1) create the group; OffsetFetch returns offset, epoch and metadata", async () => {
  const { groups } = await coordinator();
  const result = await groups.offsets.commit(
    commit({
      offsets: [
        ["t", 0, 42n, "where I was"],
        ["t", 1, 7n],
        ["t", 9, 1n],
        ["unknown", 0, 1n],
      ],
    }),
    exists,
  );
  assert.deepEqual(codes(result), [
    ErrorCode.NONE,
    ErrorCode.NONE,
    ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ]);
  const fetched = groups.offsets.fetch("g", [{ name: "t", partitions: [0, 1, 2] }]);
  assert.deepEqual(
    fetched.topics[0]?.partitions.map((p) => [
      p.partitionIndex,
      p.committedOffset,
      p.committedLeaderEpoch,
      p.metadata,
    ]),
    [
      [0, 42n, 3, "where I was"],
      [1, 7n, 3, ""],
      [2, -1n, -1, ""],
    ],
  );
  const all = groups.offsets.fetch("g", null);
  assert.deepEqual(
    all.topics.map((t) => [t.name, t.partitions.map((p) => p.committedOffset)]),
    [["t", [42n, 7n]]],
  );
  assert.deepEqual(groups.offsets.fetch("nobody", null).topics, []);
});

test("commit validation: metadata size, member, generation, rebalance, missing group", async () => {
  const { groups, clock } = await coordinator(undefined, { offsetMetadataMaxBytes: 4 });
  assert.deepEqual(codes(await groups.offsets.commit(commit({ offsets: [["t", 0, 1n, "12345"]] }), exists)), [
    ErrorCode.OFFSET_METADATA_TOO_LARGE,
  ]);
  assert.deepEqual(codes(await groups.offsets.commit(commit({ groupId: "" }), exists)), [
    ErrorCode.INVALID_GROUP_ID,
  ]);
  assert.deepEqual(codes(await groups.offsets.commit(commit({ groupId: "x", generationId: 3 }), exists)), [
    ErrorCode.ILLEGAL_GENERATION,
  ]);
  assert.deepEqual(
    codes(await groups.offsets.commit(commit({ groupId: "x", generationId: 3, apiVersion: 9 }), exists)),
    [ErrorCode.GROUP_ID_NOT_FOUND],
  );
  const a = await joinNew(groups);
  clock.advance(1000);
  const joined = await a.join;
  const member = (generationId: number, memberId = joined.memberId) => commit({ memberId, generationId });
  assert.deepEqual(codes(await groups.offsets.commit(member(1), exists)), [ErrorCode.REBALANCE_IN_PROGRESS]);
  await sync(groups, joined.memberId, 1, [{ memberId: joined.memberId, assignment: Buffer.from("x") }]);
  assert.deepEqual(codes(await groups.offsets.commit(member(1), exists)), [ErrorCode.NONE]);
  assert.deepEqual(codes(await groups.offsets.commit(member(2), exists)), [ErrorCode.ILLEGAL_GENERATION]);
  assert.deepEqual(codes(await groups.offsets.commit(member(1, "stranger"), exists)), [
    ErrorCode.UNKNOWN_MEMBER_ID,
  ]);
  assert.deepEqual(codes(await groups.offsets.commit(commit({}), exists)), [ErrorCode.UNKNOWN_MEMBER_ID]);
});

test("a failed append answers the coordinator error and changes nothing", async () => {
  const log = new MemoryOffsetsLog();
  const { groups } = await coordinator(log);
  await groups.offsets.commit(commit({ offsets: [["t", 0, 1n]] }), exists);
  log.failWith = new StorageError("KAFKA_STORAGE_ERROR", "disk gone");
  assert.deepEqual(codes(await groups.offsets.commit(commit({ offsets: [["t", 0, 2n]] }), exists)), [
    ErrorCode.NOT_COORDINATOR,
  ]);
  log.failWith = new StorageError("RECORD_LIST_TOO_LARGE", "too big");
  assert.deepEqual(codes(await groups.offsets.commit(commit({ offsets: [["t", 0, 2n]] }), exists)), [
    ErrorCode.INVALID_COMMIT_OFFSET_SIZE,
  ]);
  assert.equal(
    groups.offsets.fetch("g", [{ name: "t", partitions: [0] }]).topics[0]?.partitions[0]?.committedOffset,
    1n,
  );
});

test("state survives a reload from the log: offsets, deleted offsets, members, generation, assignments", async () => {
  const log = new MemoryOffsetsLog();
  const first = await coordinator(log);
  await first.groups.offsets.commit(
    commit({
      groupId: "simple",
      offsets: [
        ["t", 0, 10n, "m"],
        ["t", 1, 11n],
      ],
    }),
    exists,
  );
  await first.groups.offsets.delete("simple", [{ name: "t", partitions: [1] }]);
  const a = await joinNew(first.groups);
  first.clock.advance(1000);
  const joined = await a.join;
  await sync(first.groups, joined.memberId, 1, [
    { memberId: joined.memberId, assignment: Buffer.from("ASSIGN") },
  ]);
  await first.groups.offsets.commit(commit({ memberId: joined.memberId, generationId: 1 }), exists);
  await first.groups.stop();

  const second = await coordinator(log);
  const simple = second.groups.offsets.fetch("simple", null);
  assert.deepEqual(
    simple.topics.map((t) => t.partitions.map((p) => [p.partitionIndex, p.committedOffset, p.metadata])),
    [[[0, 10n, "m"]]],
  );
  const g = second.groups.group("g");
  assert.equal(g?.state, "Stable");
  assert.equal(g?.generationId, 1);
  assert.equal(g?.protocolName, "range");
  assert.deepEqual(g?.member(joined.memberId)?.assignment, Buffer.from("ASSIGN"));
  assert.equal(
    second.groups.offsets.fetch("g", [{ name: "t", partitions: [0] }]).topics[0]?.partitions[0]
      ?.committedOffset,
    5n,
  );
  // The restored member must heartbeat within its session, or it is removed.
  second.clock.advance(11_000);
  assert.equal(second.groups.group("g")?.members.size, 0);
  assert.equal(second.groups.group("g")?.state, "Empty");
});

test("OffsetDelete and DeleteGroups: subscribed topics are protected, members block deletion", async () => {
  const { groups, clock } = await coordinator();
  const a = await joinNew(groups, { protocols: [{ name: "range", metadata: subscription("t") }] });
  clock.advance(1000);
  const joined = await a.join;
  await sync(groups, joined.memberId, 1);
  await groups.offsets.commit(
    commit({
      memberId: joined.memberId,
      generationId: 1,
      offsets: [
        ["t", 0, 1n],
        ["t2", 0, 2n],
      ],
    }),
    exists,
  );
  const deleted = await groups.offsets.delete("g", [
    { name: "t", partitions: [0] },
    { name: "t2", partitions: [0] },
  ]);
  assert.deepEqual(
    deleted.topics.map((t) => [t.name, t.partitions[0]?.errorCode]),
    [
      ["t", ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC],
      ["t2", ErrorCode.NONE],
    ],
  );
  assert.deepEqual(
    groups.offsets.fetch("g", null).topics.map((t) => t.name),
    ["t"],
  );
  assert.equal((await groups.offsets.delete("nope", [])).errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
  assert.deepEqual(await groups.deleteGroups(["g", "nope"]), [
    { groupId: "g", errorCode: ErrorCode.NON_EMPTY_GROUP },
    { groupId: "nope", errorCode: ErrorCode.GROUP_ID_NOT_FOUND },
  ]);
  groups.membership.leaveGroup("g", [{ memberId: joined.memberId, groupInstanceId: null }]);
  assert.deepEqual(await groups.deleteGroups(["g"]), [{ groupId: "g", errorCode: ErrorCode.NONE }]);
  assert.equal(groups.group("g"), undefined);
  assert.deepEqual(groups.offsets.fetch("g", null).topics, []);
});

test("expiry: an empty group's offsets go after offsets.retention from when it emptied, then the group", async () => {
  const clock = new ManualClock();
  const log = new MemoryOffsetsLog();
  const { groups } = await coordinator(log, {}, clock);
  await groups.offsets.commit(commit({ groupId: "simple", offsets: [["t", 0, 1n]] }), exists);
  clock.advance(30_000);
  await groups.offsets.commit(commit({ groupId: "simple", offsets: [["t", 1, 1n]] }), exists);
  clock.advance(31_000); // the first commit is 61 s old, the second 31 s (retention 60 s)
  await groups.offsets.expire();
  assert.deepEqual(
    groups.offsets.fetch("simple", null).topics.map((t) => t.partitions.map((p) => p.partitionIndex)),
    [[1]],
  );
  clock.advance(30_000);
  await groups.offsets.expire();
  assert.equal(groups.group("simple"), undefined, "a group without offsets or members is removed");
  const reloaded = await coordinator(log);
  assert.equal(reloaded.groups.group("simple"), undefined, "the removal is persisted");
});

test("transactional offsets: invisible until the commit marker, dropped on abort, replayed the same way", async () => {
  const log = new MemoryOffsetsLog();
  const { groups } = await coordinator(log);
  const txnCommit = (producerId: bigint, offset: bigint) =>
    groups.offsets.txnCommit(
      { ...commit({ offsets: [["t", 0, offset]] }), producerId, producerEpoch: 0 },
      exists,
    );
  assert.deepEqual(codes(await groups.offsets.commit(commit({ offsets: [["t", 0, 1n]] }), exists)), [
    ErrorCode.NONE,
  ]);
  assert.deepEqual(codes(await txnCommit(7n, 50n)), [ErrorCode.NONE]);
  const offsetOf = (g = groups, requireStable = false) =>
    g.offsets.fetch("g", [{ name: "t", partitions: [0] }], requireStable).topics[0]?.partitions[0];
  assert.equal(offsetOf()?.committedOffset, 1n, "not visible before the commit");
  assert.equal(offsetOf(groups, true)?.errorCode, ErrorCode.UNSTABLE_OFFSET_COMMIT);
  groups.offsets.completeTransaction(7n, true, 0);
  log.marker(7n, true);
  assert.equal(offsetOf()?.committedOffset, 50n);
  assert.equal(offsetOf(groups, true)?.errorCode, ErrorCode.NONE);
  await txnCommit(8n, 99n);
  groups.offsets.completeTransaction(8n, false, 0);
  log.marker(8n, false);
  assert.equal(offsetOf()?.committedOffset, 50n, "an aborted transaction's offsets never show");
  await txnCommit(9n, 77n); // still open at the "crash"

  const reloaded = await coordinator(log);
  assert.equal(offsetOf(reloaded.groups)?.committedOffset, 50n);
  assert.equal(
    offsetOf(reloaded.groups, true)?.errorCode,
    ErrorCode.UNSTABLE_OFFSET_COMMIT,
    "9 is still open",
  );
  reloaded.groups.offsets.completeTransaction(9n, true, 0);
  assert.equal(offsetOf(reloaded.groups)?.committedOffset, 77n);
});
