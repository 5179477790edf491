// Offset commits as an admin sees them (kafkajs admin.fetchOffsets → OffsetFetch), from kafka-python
// (OffsetCommit v2) and confluent-kafka (librdkafka's newest version):
// - manual (enable.auto.commit=false): the member commits after processing each batch and stops
//   after 150 of 400 messages; the committed offsets are exactly the next offset of what it
//   processed per partition, and nothing for partitions it never read;
// - auto-commit (auto.commit.interval.ms=200): while the member is still running, after it read
//   everything, the committed offsets reach the end offsets (the periodic commit, not the one on close).

import assert from "node:assert/strict";
import { test } from "node:test";
import type { Admin } from "kafkajs";
import { debianPython, requireTool } from "../support/clients.ts";
import {
  brokerWithTopics,
  cleanups,
  PyMember,
  produceSpread,
  tp,
  track,
  waitFor,
} from "../support/group-clients.ts";

const topic = "ledger";
const partitions = 4;
const count = 400;

/** Committed offset per `topic:partition`; -1 where the group has none. */
async function fetchCommitted(admin: Admin, group: string): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  for (const t of await admin.fetchOffsets({ groupId: group, topics: [topic] }))
    for (const p of t.partitions) result.set(tp(t.topic, p.partition), Number(p.offset));
  return result;
}

async function setUp(t: { after(fn: () => unknown): void }) {
  const defer = cleanups(t);
  const { broker, admin } = await brokerWithTopics(defer, { [topic]: partitions });
  await produceSpread(broker.bootstrap, topic, partitions, "l", count);
  return { defer, broker, admin };
}

for (const lib of ["kafka-python", "confluent-kafka"] as const) {
  test(`${lib}: manual commits after processing; the admin sees exactly what was processed`, async (t) => {
    requireTool(debianPython, lib === "kafka-python" ? "python3-kafka" : "python3-confluent-kafka");
    const { defer, broker, admin } = await setUp(t);
    const group = `manual-${lib}`;
    const member = track(
      defer,
      new PyMember(lib, broker.bootstrap, { group, topics: [topic], autoCommit: false, stopAfter: 150 }),
    );
    await waitFor(
      "the member to process 150 messages and close",
      () => member.closed,
      60_000,
      () => member.log(),
    );
    await member.close();
    assert.equal(member.received.length, 150);

    const processed = new Map<string, number>();
    for (let p = 0; p < partitions; p++) processed.set(tp(topic, p), -1);
    for (const r of member.received) {
      const key = tp(r.topic, r.partition);
      // Per partition, offsets arrive in order from 0 without gaps.
      assert.equal(r.offset, Math.max(processed.get(key) ?? -1, 0), `${key} in order`);
      processed.set(key, r.offset + 1);
    }
    const confirmed = new Map([...processed].filter(([, n]) => n >= 0));
    assert.deepEqual(member.committed, confirmed, "every commit the client made succeeded");
    assert.deepEqual(
      await fetchCommitted(admin, group),
      processed,
      "OffsetFetch: next offset of what was processed",
    );
  });

  test(`${lib}: auto-commit every 200 ms reaches the end offsets while the member runs`, async (t) => {
    requireTool(debianPython, lib === "kafka-python" ? "python3-kafka" : "python3-confluent-kafka");
    const { defer, broker, admin } = await setUp(t);
    const group = `auto-${lib}`;
    const member = track(
      defer,
      new PyMember(lib, broker.bootstrap, {
        group,
        topics: [topic],
        autoCommit: true,
        autoCommitIntervalMs: 200,
      }),
    );
    await waitFor(
      "the member to read everything",
      () => member.received.length >= count,
      60_000,
      () => member.log(),
    );
    const ends = new Map(Array.from({ length: partitions }, (_, p) => [tp(topic, p), count / partitions]));
    let seen = new Map<string, number>();
    await waitFor(
      "auto-commit to reach the end offsets",
      async () => {
        seen = await fetchCommitted(admin, group);
        return JSON.stringify([...seen].sort()) === JSON.stringify([...ends].sort());
      },
      10_000,
      () => `committed ${JSON.stringify([...seen])}\n${member.log()}`,
    );
    assert.ok(member.running(), "committed by the interval, not by close");
    await member.close();
    assert.equal(member.received.length, count, "every message once");
    assert.deepEqual(
      await fetchCommitted(admin, group),
      ends,
      "close commits nothing beyond what was processed",
    );
  });
}
