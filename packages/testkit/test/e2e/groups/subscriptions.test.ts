// Members with different subscriptions, and different clients in one group.
// The broker only picks a protocol every member offers and relays the leader's assignment. The
// protocol names the clients send, in preference order, as captured on the wire (a proxy decoding
// JoinGroup with our codec): librdkafka 2.0.2 (confluent-kafka, kcat) JoinGroup v5 ["range",
// "roundrobin"] by default (partition.assignment.strategy); kafka-python 2.0.2 JoinGroup v2
// ["range", "roundrobin"]; kafkajs 2.2.4 JoinGroup v5 ["RoundRobinAssigner"] only —
// so kafkajs shares a group with the others only when given an assigner under a common name: here
// kafkajs's round robin named "roundrobin" (support/group-clients.ts), with librdkafka configured
// for roundrobin. With kafkajs's default, Kafka rejects the second protocol set with
// INCONSISTENT_GROUP_PROTOCOL.

import assert from "node:assert/strict";
import { test } from "node:test";
import { debianPython, requireTool } from "../support/clients.ts";
import {
  allValues,
  assertExactlyOnce,
  brokerWithTopics,
  cleanups,
  closeAll,
  describeGroup,
  type GroupMember,
  KafkajsMember,
  PyMember,
  produceSpread,
  roundrobinNamedAssigner,
  tp,
  track,
  waitFor,
  waitForStableGroup,
} from "../support/group-clients.ts";

const partitionsOf = (topic: string, n: number) => Array.from({ length: n }, (_, p) => tp(topic, p));

/** Waits until every member's own latest assignment is the broker's view of it. */
async function membersHoldView(
  members: readonly GroupMember[],
  view: { members: readonly { parts: readonly string[] }[] },
) {
  await waitFor(
    "every member holds the broker's assignment",
    () =>
      JSON.stringify(members.map((m) => m.current()).sort()) ===
      JSON.stringify(view.members.map((m) => m.parts).sort()),
    15_000,
    () =>
      `broker: ${JSON.stringify(view.members)}\n${members.map((m) => `${m.name}: ${m.current()}`).join("\n")}`,
  );
}

test("members subscribed to A, B and A+B (confluent-kafka, kafka-python) get only partitions of their topics, all covered", async (t) => {
  requireTool(debianPython, "python3-kafka python3-confluent-kafka");
  const defer = cleanups(t);
  const { broker, admin } = await brokerWithTopics(defer, { alpha: 3, beta: 3 });
  const group = "mixed-subscriptions";
  const base = { group, strategy: ["range"], heartbeatIntervalMs: 500 };
  const onlyA = track(
    defer,
    new PyMember("confluent-kafka", broker.bootstrap, { ...base, topics: ["alpha"] }, "A"),
  );
  const onlyB = track(
    defer,
    new PyMember("kafka-python", broker.bootstrap, { ...base, topics: ["beta"] }, "B"),
  );
  const both = track(
    defer,
    new PyMember("confluent-kafka", broker.bootstrap, { ...base, topics: ["alpha", "beta"] }, "A+B"),
  );
  const members = [onlyA, onlyB, both];
  const view = await waitForStableGroup(admin, group, 3, members);
  assert.equal(view.protocol, "range");
  assert.deepEqual(
    view.members.map((m) => [...m.topics].sort()).sort(),
    [["alpha"], ["alpha", "beta"], ["beta"]],
    "each member's subscription, as the broker stores its metadata",
  );
  await membersHoldView(members, view);
  const subscribed = new Map<GroupMember, string[]>([
    [onlyA, ["alpha"]],
    [onlyB, ["beta"]],
    [both, ["alpha", "beta"]],
  ]);
  for (const [member, topics] of subscribed)
    for (const part of member.current())
      assert.ok(
        topics.includes(part.split(":")[0] ?? ""),
        `${member.name} holds ${part} of a topic it did not subscribe to`,
      );
  assert.deepEqual(
    members.flatMap((m) => m.current()).sort(),
    [...partitionsOf("alpha", 3), ...partitionsOf("beta", 3)].sort(),
    "disjoint shares covering both topics",
  );

  const values = [
    ...(await produceSpread(broker.bootstrap, "alpha", 3, "a", 60)),
    ...(await produceSpread(broker.bootstrap, "beta", 3, "b", 60)),
  ];
  await waitFor(
    "the group to receive everything",
    () => allValues(members).length >= values.length,
    30_000,
    () => members.map((m) => `${m.name}: ${m.received.length}\n${m.log()}`).join("\n"),
  );
  await closeAll(members);
  assertExactlyOnce(allValues(members), values, "the group");
  for (const m of members)
    assert.deepEqual(
      m.received.filter((r) => !m.current().includes(tp(r.topic, r.partition))),
      [],
      `${m.name} received only from its partitions`,
    );
});

test('kafkajs (assigner named "roundrobin") and confluent-kafka (roundrobin) share one group', async (t) => {
  requireTool(debianPython, "python3-confluent-kafka");
  const defer = cleanups(t);
  const { broker, admin } = await brokerWithTopics(defer, { shared: 6 });
  const group = "mixed-clients";
  // librdkafka joins first, so it leads and kafkajs decodes librdkafka's assignment bytes.
  const rdkafka = track(
    defer,
    new PyMember(
      "confluent-kafka",
      broker.bootstrap,
      { group, topics: ["shared"], strategy: ["roundrobin"], heartbeatIntervalMs: 500 },
      "confluent-kafka",
    ),
  );
  await waitForStableGroup(admin, group, 1, [rdkafka]);
  const kafkajs = await KafkajsMember.start(
    defer,
    broker.bootstrap,
    { group, topics: ["shared"], assigners: [roundrobinNamedAssigner] },
    "kafkajs",
  );
  const members = [rdkafka, kafkajs];
  const view = await waitForStableGroup(admin, group, 2, members);
  assert.equal(view.protocol, "roundrobin");
  assert.equal(view.protocolType, "consumer");
  await membersHoldView(members, view);
  assert.deepEqual(members.flatMap((m) => m.current()).sort(), partitionsOf("shared", 6).sort());
  assert.equal(rdkafka.current().length, 3, "round robin: three partitions each");

  const values = await produceSpread(broker.bootstrap, "shared", 6, "s", 120);
  await waitFor(
    "both to receive everything",
    () => allValues(members).length >= values.length,
    30_000,
    () => members.map((m) => `${m.name}: ${m.received.length}\n${m.log()}`).join("\n"),
  );
  await closeAll(members);
  assertExactlyOnce(allValues(members), values, "the group");
  for (const m of members) {
    assert.ok(m.received.length > 0, `${m.name} received its share`);
    assert.deepEqual(
      m.received.filter((r) => !m.current().includes(tp(r.topic, r.partition))),
      [],
      `${m.name} received only from its partitions`,
    );
  }
});

test('no common protocol: kafkajs\'s default "RoundRobinAssigner" joining librdkafka\'s "roundrobin" gets INCONSISTENT_GROUP_PROTOCOL', async (t) => {
  requireTool(debianPython, "python3-confluent-kafka");
  const defer = cleanups(t);
  const { broker, admin } = await brokerWithTopics(defer, { shared: 2 });
  const group = "no-common-protocol";
  const rdkafka = track(
    defer,
    new PyMember("confluent-kafka", broker.bootstrap, {
      group,
      topics: ["shared"],
      strategy: ["roundrobin"],
    }),
  );
  await waitForStableGroup(admin, group, 1, [rdkafka]);
  const kafkajs = await KafkajsMember.start(
    defer,
    broker.bootstrap,
    { group, topics: ["shared"] },
    "kafkajs",
  );
  const protocolError = () =>
    kafkajs.crashes.some((e) => {
      for (let cause: unknown = e; cause instanceof Error; cause = cause.cause)
        if ((cause as Error & { type?: string }).type === "INCONSISTENT_GROUP_PROTOCOL") return true;
      return false;
    });
  await waitFor("kafkajs to fail with INCONSISTENT_GROUP_PROTOCOL", protocolError, 20_000, () =>
    kafkajs.log(),
  );
  await kafkajs.close();
  const view = await describeGroup(admin, group);
  assert.equal(view.state, "Stable", "the group is undisturbed");
  assert.equal(view.protocol, "roundrobin");
  assert.equal(view.members.length, 1);
  await rdkafka.close();
});
