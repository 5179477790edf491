// Membership changes in a running group, with manual commits after every processed batch:
// two confluent-kafka members share a 6-partition topic; a kafka-python member joins (the group
// rebalances to three, all agreeing on the "range" protocol); then one confluent-kafka member is
// SIGKILLed — no LeaveGroup — and the broker must notice only through its session timeout (3 s):
// its partitions go to the survivors, which resume from its last commit. Every produced message is
// processed at least once; the only repeats allowed are the dead member's messages at or after its
// last confirmed commit.

import assert from "node:assert/strict";
import { test } from "node:test";
import { debianPython, requireTool } from "../support/clients.ts";
import {
  allValues,
  brokerWithTopics,
  cleanups,
  closeAll,
  describeGroup,
  PyMember,
  produceSpread,
  tp,
  track,
  waitFor,
  waitForStableGroup,
} from "../support/group-clients.ts";

const topic = "events";
const partitions = 6;
const group = "processors";
const sessionTimeoutMs = 3000;
const heartbeatIntervalMs = 500;

test("a third member joins, then a member dies without leaving: reassigned after the session timeout, nothing committed is lost", async (t) => {
  requireTool(debianPython, "python3-kafka python3-confluent-kafka");
  const defer = cleanups(t);
  const { broker, admin } = await brokerWithTopics(defer, { [topic]: partitions });
  const options = { group, topics: [topic], autoCommit: false, sessionTimeoutMs, heartbeatIntervalMs };

  const a = track(defer, new PyMember("confluent-kafka", broker.bootstrap, options, "confluent-kafka a"));
  const b = track(
    defer,
    new PyMember("confluent-kafka", broker.bootstrap, options, "confluent-kafka b (killed)"),
  );
  await waitForStableGroup(admin, group, 2, [a, b]);
  const produced: string[] = [];
  const processedAll = (members: PyMember[]) => () => {
    const seen = new Set(allValues(members));
    return produced.every((v) => seen.has(v));
  };
  produced.push(...(await produceSpread(broker.bootstrap, topic, partitions, "e", 120)));
  await waitFor(
    "two members to process the first batch",
    processedAll([a, b]),
    30_000,
    () => a.log() + b.log(),
  );

  const c = track(defer, new PyMember("kafka-python", broker.bootstrap, options, "kafka-python c (joins)"));
  const three = await waitForStableGroup(admin, group, 3, [a, b, c]);
  assert.equal(three.protocol, "range", "the protocol all three clients offer first");
  assert.deepEqual(
    three.members.flatMap((m) => m.parts).sort(),
    Array.from({ length: partitions }, (_, p) => tp(topic, p)).sort(),
    "three disjoint shares cover the topic",
  );
  await waitFor(
    "the new member to hold its share",
    () => c.current().length > 0,
    15_000,
    () => c.log(),
  );
  produced.push(...(await produceSpread(broker.bootstrap, topic, partitions, "e", 120, 120)));
  await waitFor("three members to process the second batch", processedAll([a, b, c]), 30_000, () =>
    [a, b, c].map((m) => m.log()).join("\n"),
  );

  const orphaned = [...b.current()];
  assert.ok(orphaned.length > 0, "the member to kill holds partitions");
  const killedAt = Date.now();
  await b.kill();
  // Its output is fully read once it exited: the last commit it confirmed, per partition.
  const lastCommits = new Map(b.committed);
  produced.push(...(await produceSpread(broker.bootstrap, topic, partitions, "e", 120, 240)));

  const two = await waitForStableGroup(admin, group, 2, [a, c], 20_000);
  assert.deepEqual(
    two.members.flatMap((m) => m.parts).sort(),
    Array.from({ length: partitions }, (_, p) => tp(topic, p)).sort(),
    "the survivors cover every partition",
  );
  const takenOver = [a, c]
    .flatMap((m) => m.assignments)
    .filter((x) => x.atMs >= killedAt && x.parts.some((p) => orphaned.includes(p)))
    .map((x) => x.atMs);
  assert.ok(takenOver.length > 0, "a survivor was assigned the dead member's partitions");
  const reassignedAfterMs = Math.min(...takenOver) - killedAt;
  // Kafka expires a member session.timeout.ms after its last heartbeat, which came at most one
  // heartbeat interval before the kill; a closed connection is not a leave.
  assert.ok(
    reassignedAfterMs >= sessionTimeoutMs - heartbeatIntervalMs - 100,
    `reassigned ${reassignedAfterMs} ms after the kill: before the session timeout`,
  );
  assert.ok(
    reassignedAfterMs < sessionTimeoutMs + 10_000,
    `reassigned only ${reassignedAfterMs} ms after the kill`,
  );

  await waitFor("the survivors to process the third batch", processedAll([a, b, c]), 30_000, () =>
    [a, c].map((m) => m.log()).join("\n"),
  );
  await closeAll([a, c]);
  assert.equal((await describeGroup(admin, group)).state, "Empty", "the group is empty after both left");

  const everything = [a, b, c].flatMap((m) => m.received);
  const seen = new Map<string, number>();
  for (const r of everything) seen.set(r.value ?? "", (seen.get(r.value ?? "") ?? 0) + 1);
  assert.deepEqual(
    produced.filter((v) => !seen.has(v)),
    [],
    "every produced message processed at least once",
  );
  const repeats = everything.filter((r) => (seen.get(r.value ?? "") ?? 0) > 1);
  for (const r of repeats) {
    const key = tp(r.topic, r.partition);
    assert.ok(
      orphaned.includes(key) && r.offset >= (lastCommits.get(key) ?? 0),
      `${r.value} (${key} offset ${r.offset}) was processed twice, but it is not after the dead member's last commit (${lastCommits.get(key)}) on one of its partitions ${orphaned}`,
    );
  }
});
