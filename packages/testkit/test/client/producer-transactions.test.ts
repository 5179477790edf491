// Transactions against a real broker, checked by other clients: what a read_committed kcat sees
// of committed and aborted transactions, offsets sent with a transaction (kafkajs admin →
// OffsetFetch) and fencing of a producer by a newer one with the same transactional id.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Admin, KafkaClientError, KafkaProtocolError, Producer } from "@nagare/client";
import { type StartedBroker, startBroker } from "@nagare/testkit";
import { Kafka, logLevel } from "kafkajs";
import { requireTool } from "../e2e/support/clients.ts";
import { consumeWithKcat, kcat } from "../e2e/support/messages.ts";

let broker: StartedBroker;

before(async () => {
  requireTool(kcat, "kcat");
  broker = await startBroker({
    config: { "num.partitions": "3", "transaction.state.log.num.partitions": "4" },
  });
});
after(() => broker.stop());

const committedOnly = ["-X", "isolation.level=read_committed"];
// librdkafka reads committed data by default: ask for everything explicitly.
const everything = ["-X", "isolation.level=read_uncommitted"];

function values(messages: readonly { value: string | null }[]): string[] {
  return messages.map((m) => m.value ?? "").sort();
}

test("a transaction committed across 3 partitions is visible to read_committed; an aborted one is not", async (t) => {
  const producer = new Producer({ brokers: [broker.bootstrap], transactionalId: "txn-visibility" });
  t.after(() => producer.close());

  const committed = await producer.transaction();
  const sent = await Promise.all(
    [0, 1, 2].flatMap((partition) =>
      [0, 1].map((i) => committed.send({ topic: "txn-out", partition, value: `c-${partition}-${i}` })),
    ),
  );
  assert.deepEqual(new Set(sent.map((m) => m.partition)), new Set([0, 1, 2]));
  await committed.commit();
  assert.equal(committed.isActive, false);

  const aborted = await producer.transaction();
  await Promise.all(
    [0, 1, 2].map((partition) => aborted.send({ topic: "txn-out", partition, value: `a-${partition}` })),
  );
  await aborted.abort();

  // A third transaction after the abort works (the producer stays usable).
  const third = await producer.transaction();
  await third.send({ topic: "txn-out", partition: 1, value: "c-after-abort" });
  await third.commit();

  const readCommitted = await consumeWithKcat(broker.bootstrap, "txn-out", committedOnly);
  assert.deepEqual(values(readCommitted), [
    "c-0-0",
    "c-0-1",
    "c-1-0",
    "c-1-1",
    "c-2-0",
    "c-2-1",
    "c-after-abort",
  ]);
  const readUncommitted = await consumeWithKcat(broker.bootstrap, "txn-out", everything);
  assert.deepEqual(
    values(readUncommitted).filter((v) => v.startsWith("a-")),
    ["a-0", "a-1", "a-2"],
    "the aborted records are in the log; only read_committed hides them",
  );
});

test("records of an open transaction stay hidden from read_committed until it commits", async (t) => {
  const producer = new Producer({ brokers: [broker.bootstrap], transactionalId: "txn-open" });
  t.after(() => producer.close());
  const txn = await producer.transaction();
  await txn.send({ topic: "txn-open-out", partition: 0, value: "pending" });
  await producer.flush();
  assert.deepEqual(await consumeWithKcat(broker.bootstrap, "txn-open-out", committedOnly), []);
  await txn.commit();
  assert.deepEqual(values(await consumeWithKcat(broker.bootstrap, "txn-open-out", committedOnly)), [
    "pending",
  ]);
});

test("sendOffsets: the group's offsets become visible to OffsetFetch when the transaction commits, not before", async (t) => {
  const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  t.after(() => admin.disconnect());
  const producer = new Producer({ brokers: [broker.bootstrap], transactionalId: "txn-offsets" });
  t.after(() => producer.close());
  // The input topic must exist: the coordinator answers UNKNOWN_TOPIC_OR_PARTITION otherwise.
  const input = new Producer({ brokers: [broker.bootstrap] });
  await input.send({ topic: "txn-in", value: "input" });
  await input.close();
  const fetchOffsets = async (groupId: string) =>
    (await admin.fetchOffsets({ groupId, topics: ["txn-in"] }))[0]?.partitions
      .map((p) => [p.partition, p.offset] as const)
      .sort((a, b) => a[0] - b[0]);

  const txn = await producer.transaction();
  await txn.send({ topic: "txn-offsets-out", value: "processed" });
  await txn.sendOffsets({
    groupId: "processors",
    offsets: [
      { topic: "txn-in", partition: 0, offset: 42n },
      { topic: "txn-in", partition: 2, offset: 7 },
    ],
  });
  assert.deepEqual(await fetchOffsets("processors"), [
    [0, "-1"],
    [1, "-1"],
    [2, "-1"],
  ]);
  await txn.commit();
  // EndTxn answers once the commit is decided; the markers that make the offsets visible follow
  // (as in Kafka — consumers wait with require_stable). Wait for them, bounded.
  const settled = async () => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const view = await fetchOffsets("processors");
      if (
        JSON.stringify(view) !==
          JSON.stringify([
            [0, "-1"],
            [1, "-1"],
            [2, "-1"],
          ]) ||
        Date.now() > deadline
      )
        return view;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  assert.deepEqual(await settled(), [
    [0, "42"],
    [1, "-1"],
    [2, "7"],
  ]);

  // Aborted: never visible. Consumer group metadata (KIP-447) is accepted for a simple group too.
  const abortedTxn = await producer.transaction();
  await abortedTxn.sendOffsets({
    consumerGroupMetadata: { groupId: "processors", generationId: -1, memberId: "", groupInstanceId: null },
    offsets: [{ topic: "txn-in", partition: 0, offset: 100n }],
  });
  await abortedTxn.abort();
  const ourAdmin = new Admin({ brokers: [broker.bootstrap] });
  t.after(() => ourAdmin.close());
  // require_stable (our admin asks for it) answers only once the abort's markers are written.
  const stable = async () => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        return await ourAdmin.listGroupOffsets("processors", [{ topic: "txn-in", partition: 0 }]);
      } catch (error) {
        if (
          !(error instanceof KafkaProtocolError && error.type === "UNSTABLE_OFFSET_COMMIT") ||
          Date.now() > deadline
        )
          throw error;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  };
  assert.equal((await stable())[0]?.offset, 42n);
});

test("a second producer with the same transactionalId fences the first", async (t) => {
  const first = new Producer({ brokers: [broker.bootstrap], transactionalId: "txn-fenced" });
  t.after(() => first.close());
  const zombie = await first.transaction();
  await zombie.send({ topic: "txn-fenced-out", partition: 0, value: "zombie" });

  const second = new Producer({ brokers: [broker.bootstrap], transactionalId: "txn-fenced" });
  t.after(() => second.close());
  const txn = await second.transaction(); // bumps the epoch; the zombie's transaction is aborted
  await txn.send({ topic: "txn-fenced-out", partition: 0, value: "live" });
  await txn.commit();

  const fenced = (e: unknown) =>
    e instanceof KafkaProtocolError &&
    e.type === "PRODUCER_FENCED" &&
    /txn-fenced/.test(e.message) &&
    !e.retriable;
  await assert.rejects(zombie.commit(), fenced);
  await assert.rejects(first.send({ topic: "txn-fenced-out", value: "more" }), fenced);
  await assert.rejects(first.transaction(), fenced);
  assert.deepEqual(values(await consumeWithKcat(broker.bootstrap, "txn-fenced-out", committedOnly)), [
    "live",
  ]);
});

test("transactional misuse is reported: send outside a transaction, commit twice, no transactionalId", async (t) => {
  const producer = new Producer({ brokers: [broker.bootstrap], transactionalId: "txn-misuse" });
  t.after(() => producer.close());
  await assert.rejects(producer.send({ topic: "txn-misuse-out", value: "x" }), KafkaClientError);
  const txn = await producer.transaction();
  await assert.rejects(producer.transaction(), /cannot begin a transaction in state inTransaction/);
  await txn.commit();
  await assert.rejects(txn.commit(), /cannot commit in state ready/);
  const plain = new Producer({ brokers: [broker.bootstrap] });
  t.after(() => plain.close());
  await assert.rejects(plain.transaction(), /needs a transactionalId/);
});
