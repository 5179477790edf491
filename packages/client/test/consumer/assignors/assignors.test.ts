// The built-in assignors: range and roundrobin against the assignments Kafka's own tests expect
// (RangeAssignorTest, RoundRobinAssignorTest), cooperative-sticky for balance, stickiness and
// KIP-429's rule that only moved partitions are revoked — simulated over rebalance rounds.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  cooperativeStickyAssignor,
  type GroupMember,
  rangeAssignor,
  roundRobinAssignor,
} from "../../../src/consumer/assignors/index.ts";
import type { TopicPartition } from "../../../src/types.ts";

function member(
  memberId: string,
  topics: string[],
  owned: TopicPartition[] = [],
  generationId = -1,
  groupInstanceId: string | null = null,
): GroupMember {
  return {
    memberId,
    groupInstanceId,
    subscription: { topics, userData: null, ownedPartitions: owned, generationId, rackId: null },
  };
}

const show = (result: Map<string, TopicPartition[]>): Record<string, string[]> =>
  Object.fromEntries([...result].map(([m, tps]) => [m, tps.map((tp) => `${tp.topic}-${tp.partition}`)]));

test("range: contiguous ranges per topic, the first members take the remainder", () => {
  const counts = new Map([
    ["t1", 3],
    ["t2", 3],
  ]);
  const result = rangeAssignor.assign(counts, [member("c1", ["t1", "t2"]), member("c0", ["t1", "t2"])]);
  assert.deepEqual(show(result), { c1: ["t1-2", "t2-2"], c0: ["t1-0", "t1-1", "t2-0", "t2-1"] });
  // Only subscribers of a topic share it; a member with nothing still appears.
  const mixed = rangeAssignor.assign(new Map([["a", 4]]), [member("m1", ["a"]), member("m2", ["b"])]);
  assert.deepEqual(show(mixed), { m1: ["a-0", "a-1", "a-2", "a-3"], m2: [] });
  // Static members sort by instance id, ahead of dynamic ones.
  const statics = rangeAssignor.assign(new Map([["t", 3]]), [
    member("a", ["t"]),
    member("z", ["t"], [], -1, "i1"),
    member("b", ["t"], [], -1, "i0"),
  ]);
  assert.deepEqual(show(statics), { a: ["t-2"], z: ["t-1"], b: ["t-0"] });
});

test("roundrobin: partitions of all topics dealt in turn, skipping non-subscribers", () => {
  const counts = new Map([
    ["t1", 3],
    ["t2", 3],
  ]);
  const result = roundRobinAssignor.assign(counts, [member("c0", ["t1", "t2"]), member("c1", ["t1", "t2"])]);
  assert.deepEqual(show(result), { c0: ["t1-0", "t1-2", "t2-1"], c1: ["t1-1", "t2-0", "t2-2"] });
  // Kafka's testMultipleConsumersMixedTopics: c0 {t1}, c1 {t1,t2}, c2 {t1}; t1 has 3, t2 has 2.
  const mixed = roundRobinAssignor.assign(
    new Map([
      ["t1", 3],
      ["t2", 2],
    ]),
    [member("c0", ["t1"]), member("c1", ["t1", "t2"]), member("c2", ["t1"])],
  );
  assert.deepEqual(show(mixed), { c0: ["t1-0"], c1: ["t1-1", "t2-0", "t2-1"], c2: ["t1-2"] });
});

/**
 * Runs cooperative rebalances until stable, as members would: each member's owned partitions are
 * what it kept plus what it was given. Returns the rounds' assignments.
 */
function rebalance(
  counts: Map<string, number>,
  topicsOf: Map<string, string[]>,
  owned: Map<string, TopicPartition[]>,
  generation: number,
): { rounds: Map<string, TopicPartition[]>[]; revoked: Map<string, string[]> } {
  const rounds: Map<string, TopicPartition[]>[] = [];
  const revoked = new Map<string, string[]>();
  let current = new Map(owned);
  for (let round = 0; round < 5; round++) {
    const members = [...topicsOf].map(([id, topics]) =>
      member(id, topics, current.get(id) ?? [], generation + round),
    );
    const result = cooperativeStickyAssignor.assign(counts, members);
    rounds.push(result);
    let anyRevoked = false;
    for (const [id, tps] of result) {
      const keep = new Set(tps.map((tp) => `${tp.topic}-${tp.partition}`));
      const lost = (current.get(id) ?? [])
        .map((tp) => `${tp.topic}-${tp.partition}`)
        .filter((k) => !keep.has(k));
      if (lost.length > 0) {
        anyRevoked = true;
        revoked.set(id, [...(revoked.get(id) ?? []), ...lost]);
      }
    }
    current = result;
    if (!anyRevoked) break;
  }
  return { rounds, revoked };
}

function assertValid(result: Map<string, TopicPartition[]>, total: number): void {
  const all = [...result.values()].flat().map((tp) => `${tp.topic}-${tp.partition}`);
  assert.equal(new Set(all).size, all.length, "no partition twice");
  assert.equal(all.length, total, "every partition assigned");
}

test("cooperative-sticky: a fresh group is balanced", () => {
  const counts = new Map([
    ["a", 5],
    ["b", 4],
  ]);
  const members = ["m0", "m1", "m2"].map((id) => member(id, ["a", "b"]));
  const result = cooperativeStickyAssignor.assign(counts, members);
  assertValid(result, 9);
  assert.deepEqual(
    [...result.values()].map((tps) => tps.length),
    [3, 3, 3],
  );
});

test("cooperative-sticky: a joining member takes only moved partitions, in a second round", () => {
  const counts = new Map([["t", 6]]);
  const first = cooperativeStickyAssignor.assign(counts, [member("a", ["t"]), member("b", ["t"])]);
  assertValid(first, 6);
  const before = show(first);
  const topicsOf = new Map([
    ["a", ["t"]],
    ["b", ["t"]],
    ["c", ["t"]],
  ]);
  const { rounds, revoked } = rebalance(counts, topicsOf, first, 1);
  assert.equal(rounds.length, 2, "one round to revoke, one to hand out");
  const [withheld, final] = rounds as [Map<string, TopicPartition[]>, Map<string, TopicPartition[]>];
  // Round 1: c gets nothing that a or b still owns; a and b give up one each.
  assert.deepEqual(withheld.get("c"), []);
  assert.deepEqual(
    [...revoked.values()].map((list) => list.length),
    [1, 1],
  );
  assertValid(final, 6);
  assert.deepEqual(
    [...final.values()].map((tps) => tps.length),
    [2, 2, 2],
  );
  // Sticky: a and b kept everything they were not asked to give up.
  for (const id of ["a", "b"]) {
    const kept = new Set(show(final)[id]);
    const lost = revoked.get(id) ?? [];
    for (const k of before[id] ?? []) assert.ok(kept.has(k) || lost.includes(k), `${id} kept ${k}`);
  }
});

test("cooperative-sticky: a leaving member's partitions go out without revoking anyone", () => {
  const counts = new Map([["t", 6]]);
  const owned = new Map<string, TopicPartition[]>([
    ["a", [0, 1].map((p) => ({ topic: "t", partition: p }))],
    ["b", [2, 3].map((p) => ({ topic: "t", partition: p }))],
  ]);
  const { rounds, revoked } = rebalance(
    counts,
    new Map([
      ["a", ["t"]],
      ["b", ["t"]],
    ]),
    owned,
    3,
  );
  assert.equal(rounds.length, 1);
  assert.equal(revoked.size, 0);
  const result = rounds[0] as Map<string, TopicPartition[]>;
  assertValid(result, 6);
  assert.deepEqual(show(result).a?.slice(0, 2), ["t-0", "t-1"]);
  assert.deepEqual(show(result).b?.slice(0, 2), ["t-2", "t-3"]);
});

test("cooperative-sticky: the newer generation wins a partition two members claim", () => {
  const counts = new Map([["t", 2]]);
  const zombie = member("a", ["t"], [{ topic: "t", partition: 0 }], 3);
  const current = member("b", ["t"], [{ topic: "t", partition: 0 }], 4);
  const result = cooperativeStickyAssignor.assign(counts, [zombie, current]);
  assert.deepEqual(show(result), { a: ["t-1"], b: ["t-0"] });
  // The generation travels in userData for readers of subscription v0/v1.
  assert.deepEqual(cooperativeStickyAssignor.subscriptionUserData?.(7), Buffer.from([0, 0, 0, 7]));
});

test("cooperative-sticky: unequal subscriptions stay valid and as balanced as eligibility allows", () => {
  const counts = new Map([
    ["a", 4],
    ["b", 2],
  ]);
  const result = cooperativeStickyAssignor.assign(counts, [
    member("m1", ["a"]),
    member("m2", ["a", "b"]),
    member("m3", ["b"]),
  ]);
  assertValid(result, 6);
  for (const [id, tps] of result)
    for (const tp of tps)
      assert.ok((id === "m1" ? ["a"] : id === "m3" ? ["b"] : ["a", "b"]).includes(tp.topic));
  assert.deepEqual(
    [...result.values()].map((tps) => tps.length),
    [2, 2, 2],
  );
});
