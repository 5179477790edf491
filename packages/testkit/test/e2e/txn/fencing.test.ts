// Zombie fencing (KIP-98): a second producer with the same transactional.id bumps the epoch in
// InitProducerId, which aborts the first producer's open transaction. The first producer's next
// produce and its commit are refused with a fencing error (PRODUCER_FENCED, or
// INVALID_PRODUCER_EPOCH for request versions that predate it; librdkafka reports "_FENCED"), none
// of its messages become visible to read_committed, and the second producer's transactions commit
// normally. confluent-kafka and kafkajs.

import assert from "node:assert/strict";
import { test } from "node:test";
import { startBroker } from "@nagare/testkit";
import { debianPython, requireTool } from "../support/clients.ts";
import { cleanups, createTopics, type Defer, openAdmin, waitFor } from "../support/group-clients.ts";
import {
  kafkajsErrorType,
  kafkajsTxnProducer,
  latestOffset,
  PyTxnProducer,
  readTopics,
  valuesByPartition,
} from "../support/txn-clients.ts";

const fencingErrors = new Set(["_FENCED", "PRODUCER_FENCED", "INVALID_PRODUCER_EPOCH"]);
const partitions = 3;

function onEach(prefix: string) {
  return Array.from({ length: partitions }, (_, p) => ({ t: "fence", p, v: `${prefix}-${p}` }));
}

function view(prefixes: readonly string[]): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (let p = 0; p < partitions; p++) result.set(`fence:${p}`, []);
  for (const prefix of prefixes) for (const m of onEach(prefix)) result.get(`fence:${m.p}`)?.push(m.v);
  return result;
}

async function setUp(defer: Defer) {
  const broker = await startBroker();
  defer(() => broker.stop());
  const admin = await openAdmin(defer, broker.bootstrap);
  await createTopics(admin, { fence: partitions });
  return broker;
}

/** The second producer's transaction is visible, the first's is not (but was written). */
async function checkViews(bootstrap: string, port: number, zombie: string, successor: string): Promise<void> {
  await waitFor(
    "the successor's commit markers",
    async () => {
      for (let p = 0; p < partitions; p++) {
        const hw = await latestOffset(port, "fence", p, "read_uncommitted");
        if ((await latestOffset(port, "fence", p, "read_committed")) !== hw) return false;
      }
      return true;
    },
    15_000,
  );
  const committed = await readTopics(bootstrap, "read_committed", [`fence:${partitions}`]);
  assert.deepEqual(
    valuesByPartition(committed.messages),
    view([successor]),
    "read_committed: the successor only",
  );
  const all = await readTopics(bootstrap, "read_uncommitted", [`fence:${partitions}`]);
  const written = valuesByPartition(all.messages);
  for (const [key, values] of view([zombie]))
    assert.ok(
      values.every((v) => written.get(key)?.includes(v)),
      `${key}: the zombie's messages were written (and aborted)`,
    );
}

test("confluent-kafka: a second producer with the same transactional.id fences the first", async (t) => {
  requireTool(debianPython, "python3-confluent-kafka");
  const defer = cleanups(t);
  const broker = await setUp(defer);

  const zombie = new PyTxnProducer(defer, broker.bootstrap, {
    transactionalId: "fence-confluent",
    clientId: "zombie",
  });
  await zombie.init();
  await zombie.begin();
  await zombie.send(onEach("zombie"));

  const successor = new PyTxnProducer(defer, broker.bootstrap, {
    transactionalId: "fence-confluent",
    clientId: "successor",
  });
  await successor.init();

  const lateSend = await zombie.command({ op: "send", messages: onEach("zombie-late") });
  assert.equal(
    lateSend.ok,
    false,
    `the zombie's produce after fencing must fail: ${JSON.stringify(lateSend)}`,
  );
  const commit = await zombie.command({ op: "commit" });
  assert.equal(commit.ok, false, `the zombie's commit must fail: ${JSON.stringify(commit)}`);
  const names = [lateSend.name, ...(lateSend.errors ?? []).map((e) => e.name), commit.name];
  assert.ok(
    names.some((n) => n !== undefined && fencingErrors.has(n)),
    `a fencing error among ${JSON.stringify(names)}\n${zombie.log()}`,
  );
  assert.equal(commit.fatal, true, `fenced is fatal for the zombie: ${JSON.stringify(commit)}`);

  await successor.begin();
  await successor.send(onEach("successor"));
  await successor.commit();
  await checkViews(broker.bootstrap, broker.port, "zombie", "successor");
});

test("kafkajs: a second producer with the same transactionalId fences the first", async (t) => {
  requireTool(debianPython, "python3-confluent-kafka");
  const defer = cleanups(t);
  const broker = await setUp(defer);
  const toKafkajs = (prefix: string) => ({
    topic: "fence",
    acks: -1,
    messages: onEach(prefix).map((m) => ({ partition: m.p, value: m.v })),
  });

  const zombie = await kafkajsTxnProducer(defer, broker.bootstrap, "fence-kafkajs");
  const zombieTxn = await zombie.transaction();
  await zombieTxn.send(toKafkajs("zombie"));

  // kafkajs sends the transactional InitProducerId at the first transaction(), not at connect().
  const successor = await kafkajsTxnProducer(defer, broker.bootstrap, "fence-kafkajs");
  const txn = await successor.transaction();

  const lateSend = await zombieTxn.send(toKafkajs("zombie-late")).then(
    () => undefined,
    (error: unknown) => error,
  );
  assert.ok(lateSend !== undefined, "the zombie's produce after fencing must fail");
  assert.ok(
    fencingErrors.has(kafkajsErrorType(lateSend) ?? ""),
    `fencing error, got ${kafkajsErrorType(lateSend)}: ${String(lateSend)}`,
  );
  await assert.rejects(zombieTxn.commit(), "the zombie's commit must fail");

  await txn.send(toKafkajs("successor"));
  await txn.commit();
  await checkViews(broker.bootstrap, broker.port, "zombie", "successor");
});
