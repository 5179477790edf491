// The consumer in groups, against a real broker: subscription by name and by pattern; two of our
// consumers sharing six partitions with every message read exactly once across a rebalance; a
// second group reading everything again; cooperative-sticky revoking only what moves (KIP-429);
// static membership surviving a restart without a rebalance (KIP-345).

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  assertExactlyOnce,
  brokerWithTopics,
  cleanups,
  describeGroup,
  produceSpread,
  waitFor,
} from "../e2e/support/group-clients.ts";
import { type RunningConsumer, runConsumer, sortedValues, waitForCount } from "./support/consumer-runner.ts";

async function setup(t: { after(fn: () => unknown): void }, topics: Record<string, number>) {
  const defer = cleanups(t);
  const { broker, admin } = await brokerWithTopics(defer, topics);
  return { defer, broker, admin };
}

const groupOptions = (bootstrap: string, groupId: string) => ({
  brokers: [bootstrap],
  groupId,
  autoOffsetReset: "earliest" as const,
  sessionTimeoutMs: 6000,
  heartbeatIntervalMs: 500,
  autoCommitIntervalMs: 500,
});

const values = (r: RunningConsumer) => r.got.map((g) => g.value ?? "");

test("subscribe by name and by pattern (patterns skip topics they do not match)", async (t) => {
  const { defer, broker } = await setup(t, { named: 2, "events-a": 1, "events-b": 2, other: 1 });
  for (const [topic, n] of [
    ["named", 2],
    ["events-a", 1],
    ["events-b", 2],
    ["other", 1],
  ] as const)
    await produceSpread(broker.bootstrap, topic, n, topic, 4);
  const byName = runConsumer(defer, groupOptions(broker.bootstrap, "by-name"), (c) => c.subscribe(["named"]));
  const byPattern = runConsumer(defer, groupOptions(broker.bootstrap, "by-pattern"), (c) =>
    c.subscribe([/^events-/]),
  );
  await waitForCount([byName], 4);
  await waitForCount([byPattern], 8);
  assert.deepEqual(sortedValues(byName.got), ["named-0", "named-1", "named-2", "named-3"]);
  assert.deepEqual([...new Set(byPattern.got.map((g) => g.topic))].sort(), ["events-a", "events-b"]);
  assert.deepEqual(byPattern.held(), ["events-a:0", "events-b:0", "events-b:1"]);
  assert.deepEqual(byPattern.consumer.subscription(), [/^events-/]);
});

test("two consumers split six partitions, every message exactly once across the rebalance; another group reads all", async (t) => {
  const { defer, broker, admin } = await setup(t, { shared: 6 });
  const first = await produceSpread(broker.bootstrap, "shared", 6, "m", 300);
  const a = runConsumer(defer, groupOptions(broker.bootstrap, "splitters"), (c) => c.subscribe(["shared"]));
  await waitFor("the first member to start reading", () => a.got.length > 0, 20_000);
  const b = runConsumer(defer, groupOptions(broker.bootstrap, "splitters"), (c) => c.subscribe(["shared"]));
  await waitFor(
    "a 3/3 split",
    () => a.held().length === 3 && b.held().length === 3,
    30_000,
    () => JSON.stringify([a.events, b.events]),
  );
  assert.deepEqual(
    [...a.held(), ...b.held()].sort(),
    [0, 1, 2, 3, 4, 5].map((p) => `shared:${p}`),
  );
  const second = await produceSpread(broker.bootstrap, "shared", 6, "m", 300, 300);
  await waitForCount([a, b], 600);
  assertExactlyOnce([...values(a), ...values(b)], [...first, ...second], "group splitters");
  // The eager protocol (range, Kafka's default list): a revoked everything before the rebalance.
  assert.deepEqual(a.events[0], ["assigned", [0, 1, 2, 3, 4, 5].map((p) => `shared:${p}`)]);
  assert.deepEqual(a.events[1]?.[0], "revoked");
  const view = await describeGroup(admin, "splitters");
  assert.equal(view.protocol, "range");
  assert.equal(view.members.length, 2);

  const other = runConsumer(defer, groupOptions(broker.bootstrap, "everything"), (c) =>
    c.subscribe(["shared"]),
  );
  await waitForCount([other], 600);
  assertExactlyOnce(values(other), [...first, ...second], "group everything");
});

test("cooperative-sticky: a joining member takes half, the first revokes only those (no stop-the-world)", async (t) => {
  const { defer, broker } = await setup(t, { coop: 6 });
  const first = await produceSpread(broker.bootstrap, "coop", 6, "c", 120);
  const options = {
    ...groupOptions(broker.bootstrap, "cooperative"),
    partitionAssignmentStrategy: ["cooperative-sticky" as const],
  };
  const a = runConsumer(defer, options, (c) => c.subscribe(["coop"]));
  await waitForCount([a], 120);
  const b = runConsumer(defer, options, (c) => c.subscribe(["coop"]));
  await waitFor(
    "a 3/3 split",
    () => a.held().length === 3 && b.held().length === 3,
    30_000,
    () => JSON.stringify([a.events, b.events]),
  );
  // a never gave up everything: one revocation of exactly the three that moved.
  const revocations = a.events.filter(([kind]) => kind === "revoked");
  assert.equal(revocations.length, 1, JSON.stringify(a.events));
  assert.deepEqual(revocations[0]?.[1], b.held());
  assert.ok(!a.events.some(([kind]) => kind === "lost"));
  const second = await produceSpread(broker.bootstrap, "coop", 6, "c", 120, 120);
  await waitForCount([a, b], 240);
  assertExactlyOnce([...values(a), ...values(b)], [...first, ...second], "cooperative group");
});

test("static membership: a member restarted within its session gets its partitions back without a rebalance", async (t) => {
  const { defer, broker, admin } = await setup(t, { statics: 4 });
  const options = (instance: string) => ({
    ...groupOptions(broker.bootstrap, "static-group"),
    groupInstanceId: instance,
    sessionTimeoutMs: 20_000,
  });
  const a = runConsumer(defer, options("instance-a"), (c) => c.subscribe(["statics"]));
  const b = runConsumer(defer, options("instance-b"), (c) => c.subscribe(["statics"]));
  await waitFor(
    "a 2/2 split",
    () => a.held().length === 2 && b.held().length === 2,
    30_000,
    () => JSON.stringify([a.events, b.events]),
  );
  const generation = b.consumer.groupMetadata().generationId;
  const held = a.held();
  const eventsOfB = b.events.length;
  await a.consumer.close(); // no LeaveGroup for a static member
  await a.done;
  assert.equal((await describeGroup(admin, "static-group")).members.length, 2, "still a member");

  const again = runConsumer(defer, options("instance-a"), (c) => c.subscribe(["statics"]));
  await waitFor(
    "the restarted member's assignment",
    () => again.held().length === 2,
    20_000,
    () => JSON.stringify(again.events),
  );
  assert.deepEqual(again.held(), held, "the same partitions");
  assert.equal(again.consumer.groupMetadata().generationId, generation, "no new generation");
  await produceSpread(broker.bootstrap, "statics", 4, "s", 8);
  await waitForCount([again, b], 8);
  assert.equal(b.events.length, eventsOfB, "the other member saw no rebalance");
  assert.equal(b.consumer.groupMetadata().generationId, generation);
});
