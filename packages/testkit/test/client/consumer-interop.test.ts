// Our consumer in one group with librdkafka (kcat -G) and confluent-kafka members: they agree on
// "range" (librdkafka's default list is range,roundrobin; ours range,cooperative-sticky), read each
// other's ConsumerProtocol bytes whichever member leads, and share six partitions — every
// message read exactly once.

import assert from "node:assert/strict";
import { test } from "node:test";
import { debianPython, requireTool } from "../e2e/support/clients.ts";
import {
  allValues,
  assertExactlyOnce,
  brokerWithTopics,
  cleanups,
  type GroupMember,
  KcatMember,
  PyMember,
  produceSpread,
  track,
  waitFor,
  waitForStableGroup,
} from "../e2e/support/group-clients.ts";
import { kcat } from "../e2e/support/messages.ts";
import { type RunningConsumer, runConsumer } from "./support/consumer-runner.ts";

const all = [0, 1, 2, 3, 4, 5].map((p) => `mixed:${p}`);

/** Adapts our running consumer to the e2e helpers' member shape. */
function asMember(name: string, running: RunningConsumer): GroupMember {
  return {
    name,
    received: running.got as GroupMember["received"],
    assignments: [],
    committed: new Map(),
    current: () => running.held(),
    close: () => running.consumer.close(),
    log: () => `--- ${name}: events ${JSON.stringify(running.events)}`,
  };
}

for (const leader of ["kcat", "nagare"] as const) {
  test(`our consumer, kcat -G and confluent-kafka share a group on "range" (${leader} joins first)`, async (t) => {
    requireTool(kcat, "kcat");
    requireTool(debianPython, "python3-confluent-kafka");
    const defer = cleanups(t);
    const { broker, admin } = await brokerWithTopics(defer, { mixed: 6 });
    const group = `mixed-${leader}`;

    const startOurs = () =>
      asMember(
        "nagare",
        runConsumer(
          defer,
          {
            brokers: [broker.bootstrap],
            groupId: group,
            autoOffsetReset: "earliest",
            sessionTimeoutMs: 6000,
            heartbeatIntervalMs: 500,
          },
          (c) => c.subscribe(["mixed"]),
        ),
      );
    const startKcat = () => track(defer, new KcatMember(broker.bootstrap, { group, topics: ["mixed"] }));
    const members: GroupMember[] = leader === "kcat" ? [startKcat()] : [startOurs()];
    await waitForStableGroup(admin, group, 1, members);
    members.push(leader === "kcat" ? startOurs() : startKcat());
    members.push(
      track(
        defer,
        new PyMember("confluent-kafka", broker.bootstrap, { group, topics: ["mixed"], strategy: ["range"] }),
      ),
    );
    const view = await waitForStableGroup(admin, group, 3, members);
    assert.equal(view.protocol, "range");
    // Ranges of two partitions each, disjoint and complete, as every member sees them.
    assert.deepEqual(view.members.flatMap((m) => m.parts).sort(), all);
    assert.deepEqual(
      view.members.map((m) => m.parts.length),
      [2, 2, 2],
    );
    const ours = members.find((m) => m.name === "nagare") as GroupMember;
    const oursInView = view.members.find((m) => m.clientId === "nagare");
    // The group is Stable once the leader's assignment is stored; each member applies its own
    // share when its SyncGroup answer is processed, a moment later.
    await waitFor(
      "our consumer to hold what the group assigned it",
      () => JSON.stringify(ours.current()) === JSON.stringify(oursInView?.parts),
      15_000,
      () => `ours: ${JSON.stringify(ours.current())}, group: ${JSON.stringify(oursInView?.parts)}`,
    );

    const sent = await produceSpread(broker.bootstrap, "mixed", 6, "x", 600);
    const deadline = Date.now() + 30_000;
    while (allValues(members).length < 600 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    assertExactlyOnce(allValues(members), sent, `group ${group}`);
    assert.ok(ours.received.length >= 150, `our consumer read its share (${ours.received.length})`);
  });
}
