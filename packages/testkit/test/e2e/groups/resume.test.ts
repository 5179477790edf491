// Committed offsets are durable (Kafka keeps them in the compacted __consumer_offsets topic): a member
// processes half of a topic, commits exactly what it processed and closes; the broker restarts on
// the same data dir; a new member of the same group resumes exactly after the commit, per partition
// — nothing redelivered, nothing skipped. And auto.offset.reset for a group without offsets:
// earliest reads everything, latest only what is produced after the member started.
// kafkajs runs against an in-process broker restarted with stop()/startBroker({ dataDir });
// confluent-kafka against `nagare broker` child processes stopped with SIGTERM.

import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { freePort, startBroker, startBrokerProcess } from "@nagare/testkit";
import type { Admin } from "kafkajs";
import { debianPython, requireTool } from "../support/clients.ts";
import {
  allValues,
  assertExactlyOnce,
  cleanups,
  createTopics,
  type Defer,
  type GroupMember,
  groupBrokerConfig,
  KafkajsMember,
  openAdmin,
  PyMember,
  produceSpread,
  tp,
  track,
  waitFor,
} from "../support/group-clients.ts";

const topic = "orders";
const partitions = 3;
const count = 240;
const half = count / 2;

interface MemberSpec {
  readonly group: string;
  readonly reset: "earliest" | "latest";
  /** Process exactly this many, commit them and close (manual commits). */
  readonly stopAfter?: number;
}

interface Client {
  readonly name: string;
  member(defer: Defer, bootstrap: string, spec: MemberSpec): Promise<GroupMember>;
}

const kafkajs: Client = {
  name: "kafkajs",
  member: (defer, bootstrap, spec) =>
    KafkajsMember.start(defer, bootstrap, {
      group: spec.group,
      topics: [topic],
      fromBeginning: spec.reset === "earliest",
      autoCommit: spec.stopAfter === undefined,
      ...(spec.stopAfter === undefined ? {} : { stopAfter: spec.stopAfter }),
    }),
};

const confluent: Client = {
  name: "confluent-kafka",
  member: async (defer, bootstrap, spec) =>
    track(
      defer,
      new PyMember("confluent-kafka", bootstrap, {
        group: spec.group,
        topics: [topic],
        autoOffsetReset: spec.reset,
        autoCommit: false,
        ...(spec.stopAfter === undefined ? {} : { stopAfter: spec.stopAfter }),
      }),
    ),
};

/** The group's committed offsets per `topic:partition` (partitions without one left out). */
async function committedOffsets(admin: Admin, group: string): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  for (const t of await admin.fetchOffsets({ groupId: group, topics: [topic] }))
    for (const p of t.partitions)
      if (Number(p.offset) >= 0) result.set(tp(t.topic, p.partition), Number(p.offset));
  return result;
}

/** Phase 1: process `half` messages, commit them, close. Returns what was processed and committed. */
async function consumeHalf(defer: Defer, client: Client, bootstrap: string, admin: Admin) {
  const first = await client.member(defer, bootstrap, {
    group: "billing",
    reset: "earliest",
    stopAfter: half,
  });
  await waitFor(
    `${client.name} to process ${half} messages and commit them`,
    () => first.received.length === half && sumOf(first.committed) === half,
    30_000,
    () =>
      `received ${first.received.length}, committed ${JSON.stringify([...first.committed])}\n${first.log()}`,
  );
  await first.close();
  assert.equal(first.received.length, half, "processed exactly half");
  // What the client confirmed is what the broker holds, and it is exactly what was processed.
  const expected = new Map<string, number>();
  for (const r of first.received)
    expected.set(
      tp(r.topic, r.partition),
      Math.max(expected.get(tp(r.topic, r.partition)) ?? 0, r.offset + 1),
    );
  assert.deepEqual(first.committed, expected, "the client committed the next offset of what it processed");
  assert.deepEqual(await committedOffsets(admin, "billing"), expected, "OffsetFetch before the restart");
  return { processed: first.received.map((r) => r.value ?? ""), committed: expected };
}

function sumOf(offsets: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const n of offsets.values()) total += n;
  return total;
}

/** Phase 2, after the restart: the same group resumes at the committed offsets. */
async function resume(
  defer: Defer,
  client: Client,
  bootstrap: string,
  admin: Admin,
  before: { processed: string[]; committed: Map<string, number> },
  values: readonly string[],
) {
  assert.deepEqual(
    await committedOffsets(admin, "billing"),
    before.committed,
    "offsets survived the restart",
  );
  const second = await client.member(defer, bootstrap, { group: "billing", reset: "earliest" });
  await waitFor(
    `${client.name} to receive the other half`,
    () => second.received.length >= count - half,
    30_000,
    () => `received ${second.received.length}\n${second.log()}`,
  );
  await second.close();
  assertExactlyOnce(
    [...before.processed, ...allValues([second])],
    values,
    `${client.name}: both runs together`,
  );
  for (let p = 0; p < partitions; p++) {
    const first = second.received.find((r) => r.partition === p);
    const committed = before.committed.get(tp(topic, p)) ?? 0;
    const end = count / partitions;
    if (committed < end)
      assert.equal(first?.offset, committed, `partition ${p} resumes at its committed offset`);
    else assert.equal(first, undefined, `partition ${p} was fully processed before`);
  }
}

/** auto.offset.reset for groups with no committed offsets. */
async function resetPolicies(defer: Defer, client: Client, bootstrap: string, values: readonly string[]) {
  const early = await client.member(defer, bootstrap, { group: "fresh-earliest", reset: "earliest" });
  const late = await client.member(defer, bootstrap, { group: "fresh-latest", reset: "latest" });
  await waitFor(
    "earliest: every existing message",
    () => early.received.length >= count,
    30_000,
    () => early.log(),
  );
  assertExactlyOnce(allValues([early]), values, `${client.name}: auto.offset.reset=earliest`);

  // latest takes effect when the member first looks its position up, some time after it joined:
  // probe rounds (one message per partition) until it receives one, then a tail it must get whole.
  const probes: string[] = [];
  await waitFor(
    "latest: the member to start fetching",
    async () => {
      if (late.received.length > 0) return true;
      probes.push(
        ...(await produceSpread(bootstrap, topic, partitions, "probe", partitions, count + probes.length)),
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      return late.received.length > 0;
    },
    30_000,
    () => late.log(),
  );
  const tail = await produceSpread(bootstrap, topic, partitions, "tail", 30, count + probes.length);
  await waitFor(
    "latest: every message produced after it started",
    () => tail.every((v) => allValues([late]).includes(v)),
    30_000,
    () => `received ${JSON.stringify(allValues([late]))}\n${late.log()}`,
  );
  await Promise.all([early.close(), late.close()]);
  const old = new Set(values);
  assert.deepEqual(
    allValues([late]).filter((v) => old.has(v)),
    [],
    "latest: none of the messages that existed before",
  );
  const received = allValues([late]);
  assert.equal(new Set(received).size, received.length, "latest: no message twice");
}

async function scenario(
  t: { after(fn: () => unknown): void },
  client: Client,
  restartable: "in-process" | "process",
) {
  const defer = cleanups(t);
  const dataDir = await mkdtemp(join(tmpdir(), "nagare-groups-resume-"));
  defer(() => rm(dataDir, { recursive: true, force: true }));
  const config = groupBrokerConfig;

  let bootstrap: string;
  let restart: () => Promise<void>;
  if (restartable === "in-process") {
    let broker = await startBroker({ dataDir, config });
    defer(() => broker.stop());
    bootstrap = broker.bootstrap;
    restart = async () => {
      await broker.stop();
      broker = await startBroker({ dataDir, config });
      bootstrap = broker.bootstrap;
    };
  } else {
    const port = await freePort();
    let broker = await startBrokerProcess({ dataDir, port, config });
    defer(() => broker.stop("SIGKILL"));
    bootstrap = broker.bootstrap;
    restart = async () => {
      assert.deepEqual(await broker.stop("SIGTERM"), { code: 0, signal: null }, broker.output());
      broker = await startBrokerProcess({ dataDir, port, config });
    };
  }

  const admin1 = await openAdmin(defer, bootstrap);
  await createTopics(admin1, { [topic]: partitions });
  const values = await produceSpread(bootstrap, topic, partitions, "o", count);
  const before = await consumeHalf(defer, client, bootstrap, admin1);
  await admin1.disconnect();

  await restart();
  const admin2 = await openAdmin(defer, bootstrap);
  await resume(defer, client, bootstrap, admin2, before, values);
  await resetPolicies(defer, client, bootstrap, values);
}

test("kafkajs: resumes exactly after its commit across a broker restart; earliest vs latest", async (t) => {
  await scenario(t, kafkajs, "in-process");
});

test("confluent-kafka: resumes exactly after its commit across a SIGTERM restart; earliest vs latest", async (t) => {
  requireTool(debianPython, "python3-confluent-kafka");
  await scenario(t, confluent, "process");
});
