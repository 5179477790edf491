// Static membership (KIP-345): a confluent-kafka member with group.instance.id crashes (SIGKILL, so
// no LeaveGroup) and restarts within its session timeout. Kafka does not rebalance: the restarted
// member replaces the old member id, is handed its previous partitions in the same generation, and
// the other (dynamic) member sees no rebalance at all — not on the restart and not when the dead
// process's session would have expired. kafkajs has no group.instance.id; librdkafka does.
// The generation comes from librdkafka's consumer group metadata (py-group-client.py).

import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { debianPython, requireTool } from "../support/clients.ts";
import {
  brokerWithTopics,
  cleanups,
  closeAll,
  describeGroup,
  PyMember,
  track,
  waitFor,
  waitForStableGroup,
} from "../support/group-clients.ts";

const topic = "sensors";
const group = "readers";
const sessionTimeoutMs = 6000;

test("a static member restarted within the session timeout gets its partitions back, same generation, no rebalance", async (t) => {
  requireTool(debianPython, "python3-confluent-kafka");
  const defer = cleanups(t);
  const { broker, admin } = await brokerWithTopics(defer, { [topic]: 4 });
  const common = { group, topics: [topic], sessionTimeoutMs, heartbeatIntervalMs: 500 };
  const staticOptions = { ...common, instanceId: "reader-1" };

  const first = track(
    defer,
    new PyMember("confluent-kafka", broker.bootstrap, staticOptions, "static (first run)"),
  );
  const dynamic = track(defer, new PyMember("confluent-kafka", broker.bootstrap, common, "dynamic"));
  const view = await waitForStableGroup(admin, group, 2, [first, dynamic]);
  await waitFor(
    "both members hold the broker's assignment",
    () =>
      JSON.stringify([first.current(), dynamic.current()].sort()) ===
      JSON.stringify(view.members.map((m) => m.parts).sort()),
    15_000,
    () => `${JSON.stringify(view)}\n${first.log()}\n${dynamic.log()}`,
  );
  const before = first.assignments.at(-1);
  const dynamicBefore = dynamic.assignments.at(-1);
  assert.ok(before && dynamicBefore && before.generation !== null, "librdkafka reports the generation");
  assert.equal(dynamicBefore.generation, before.generation, "both members in one generation");
  const dynamicEvents = dynamic.assignments.length;

  const killedAt = Date.now();
  await first.kill();
  const second = track(
    defer,
    new PyMember("confluent-kafka", broker.bootstrap, staticOptions, "static (restarted)"),
  );
  await waitFor(
    "the restarted static member to be assigned",
    () => second.assignments.length > 0,
    15_000,
    () => second.log(),
  );
  const restartedMs = Date.now() - killedAt;
  assert.ok(restartedMs < sessionTimeoutMs, `restarted within the session timeout (${restartedMs} ms)`);
  const after = second.assignments[0];
  assert.ok(after);
  assert.deepEqual(after.parts, before.parts, "the same partitions as before the crash");
  assert.equal(after.generation, before.generation, "no new generation: no rebalance");
  assert.notEqual(after.memberId, before.memberId, "the broker gave the new process a new member id");

  // Absence of a rebalance can only be observed over time: past the point where the dead
  // process's session would have expired (plus heartbeats to carry a rebalance to the members).
  await delay(Math.max(0, killedAt + sessionTimeoutMs + 2000 - Date.now()));
  assert.equal(dynamic.assignments.length, dynamicEvents, "the dynamic member saw no rebalance");
  assert.equal(second.assignments.length, 1, "the static member was not reassigned");
  const now = await describeGroup(admin, group);
  assert.equal(now.state, "Stable");
  assert.deepEqual(
    now.members.map((m) => m.memberId).sort(),
    [after.memberId, dynamicBefore.memberId].sort(),
    "the old member id was replaced, not kept beside the new one",
  );
  await closeAll([second, dynamic]);
});
