// Consumer groups share the work (Kafka's classic group protocol): two members of one group
// subscribed to a 6-partition topic each get a non-empty, disjoint share whose union is all 6
// partitions, and together receive every message exactly once; a second group reads everything
// again. Once per client: kafkajs, confluent-kafka, kafka-python and kcat -G.
// Messages are produced only after the group is Stable with both members, so the split is visible
// in what each member received (a member alone first would take every partition).

import assert from "node:assert/strict";
import { test } from "node:test";
import { debianPython, requireTool } from "../support/clients.ts";
import {
  allValues,
  assertExactlyOnce,
  brokerWithTopics,
  cleanups,
  closeAll,
  type Defer,
  type GroupMember,
  KafkajsMember,
  KcatMember,
  PyMember,
  produceSpread,
  tp,
  track,
  waitFor,
  waitForStableGroup,
} from "../support/group-clients.ts";
import { kcat } from "../support/messages.ts";

const topic = "work";
const partitions = 6;
const count = 300;

type StartMember = (bootstrap: string, group: string, name: string) => Promise<GroupMember>;

async function splitCase(defer: Defer, client: string, start: StartMember) {
  const { broker, admin } = await brokerWithTopics(defer, { [topic]: partitions });

  const a = await start(broker.bootstrap, "workers", `${client} a`);
  const b = await start(broker.bootstrap, "workers", `${client} b`);
  const members = [a, b];
  const view = await waitForStableGroup(admin, "workers", 2, members);
  // The broker's view and each member's own latest assignment agree (both members synced).
  await waitFor(
    "both members hold the broker's assignment",
    () =>
      JSON.stringify(members.map((m) => m.current()).sort()) ===
      JSON.stringify(view.members.map((m) => m.parts).sort()),
    15_000,
    () =>
      `broker: ${JSON.stringify(view.members)}\nmembers: ${JSON.stringify(members.map((m) => m.current()))}`,
  );
  const [shareA, shareB] = [a.current(), b.current()];
  assert.ok(shareA.length > 0 && shareB.length > 0, `non-empty shares: ${shareA} | ${shareB}`);
  assert.deepEqual(
    [...shareA, ...shareB].sort(),
    Array.from({ length: partitions }, (_, p) => tp(topic, p)).sort(),
    "disjoint shares covering every partition",
  );

  const values = await produceSpread(broker.bootstrap, topic, partitions, "m", count);
  const other = await start(broker.bootstrap, "auditors", `${client} other group`);
  await waitFor(
    "both groups to receive every message",
    () => allValues(members).length >= count && other.received.length >= count,
    30_000,
    () => [a, b, other].map((m) => `${m.name}: ${m.received.length}\n${m.log()}`).join("\n"),
  );
  await closeAll([a, b, other]);

  assertExactlyOnce(allValues(members), values, `${client}: group "workers"`);
  for (const [member, share] of [
    [a, shareA],
    [b, shareB],
  ] as const) {
    const outside = member.received.filter((r) => !share.includes(tp(r.topic, r.partition)));
    assert.deepEqual(outside, [], `${member.name} received only from its own partitions`);
    assert.ok(member.received.length > 0, `${member.name} received a share`);
  }
  assertExactlyOnce(allValues([other]), values, `${client}: group "auditors"`);
  assert.deepEqual(
    other.assignments.at(-1)?.parts,
    Array.from({ length: partitions }, (_, p) => tp(topic, p)),
    "a lone member of the second group holds every partition",
  );
}

test("kafkajs: two members split 6 partitions; every message once per group", async (t) => {
  const defer = cleanups(t);
  await splitCase(defer, "kafkajs", (bootstrap, group, name) =>
    KafkajsMember.start(defer, bootstrap, { group, topics: [topic] }, name),
  );
});

test("confluent-kafka: two members split 6 partitions; every message once per group", async (t) => {
  requireTool(debianPython, "python3-confluent-kafka");
  const defer = cleanups(t);
  await splitCase(defer, "confluent-kafka", async (bootstrap, group, name) =>
    track(
      defer,
      new PyMember("confluent-kafka", bootstrap, { group, topics: [topic], autoCommit: true }, name),
    ),
  );
});

test("kafka-python: two members split 6 partitions; every message once per group", async (t) => {
  requireTool(debianPython, "python3-kafka");
  const defer = cleanups(t);
  await splitCase(defer, "kafka-python", async (bootstrap, group, name) =>
    track(defer, new PyMember("kafka-python", bootstrap, { group, topics: [topic], autoCommit: true }, name)),
  );
});

test("kcat -G: two members split 6 partitions; every message once per group", async (t) => {
  requireTool(kcat, "kcat");
  const defer = cleanups(t);
  await splitCase(defer, "kcat", async (bootstrap, group, name) =>
    track(defer, new KcatMember(bootstrap, { group, topics: [topic] }, name)),
  );
});
