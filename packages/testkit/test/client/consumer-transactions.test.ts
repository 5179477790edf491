// What our consumer sees of transactions written by kafkajs (transactionalId): read_committed gets
// committed transactions and plain messages only, in offset order, and stops at an open
// transaction's first message until it ends; read_uncommitted gets everything. Markers are never
// records at either level.

import assert from "node:assert/strict";
import { test } from "node:test";
import { Consumer } from "@nagare/client";
import { startBroker } from "@nagare/testkit";
import { cleanups, createTopics, kafkaFor, openAdmin } from "../e2e/support/group-clients.ts";
import { kafkajsTxnProducer } from "../e2e/support/txn-clients.ts";

async function readAll(
  consumer: Consumer,
  until: (values: string[]) => boolean,
  timeoutMs = 15_000,
): Promise<string[]> {
  const values: string[] = [];
  const deadline = Date.now() + timeoutMs;
  while (!until(values)) {
    if (Date.now() > deadline) assert.fail(`stopped at ${JSON.stringify(values)}`);
    for (const r of await consumer.poll(300)) values.push(`${r.partition}:${r.value}`);
  }
  return values;
}

test("read_committed skips aborted transactions and waits for open ones; read_uncommitted sees all", async (t) => {
  const defer = cleanups(t);
  const broker = await startBroker();
  defer(() => broker.stop());
  const admin = await openAdmin(defer, broker.bootstrap);
  await createTopics(admin, { txns: 2 });

  const plain = kafkaFor(broker.bootstrap, "plain").producer();
  await plain.connect();
  defer(() => plain.disconnect());
  const txnProducer = await kafkajsTxnProducer(defer, broker.bootstrap, "consumer-txn");
  const send = async (prefix: string, outcome: "commit" | "abort") => {
    const txn = await txnProducer.transaction();
    await txn.send({
      topic: "txns",
      acks: -1,
      messages: [0, 1, 0, 1].map((partition, i) => ({ partition, value: `${prefix}-${i}` })),
    });
    await (outcome === "commit" ? txn.commit() : txn.abort());
  };
  await plain.send({ topic: "txns", acks: -1, messages: [{ partition: 0, value: "plain-a" }] });
  await send("committed", "commit");
  await send("aborted", "abort");
  await plain.send({ topic: "txns", acks: -1, messages: [{ partition: 0, value: "plain-b" }] });
  await send("later", "commit");

  const tps = [0, 1].map((partition) => ({ topic: "txns", partition }));
  const committedReader = new Consumer({
    brokers: [broker.bootstrap],
    autoOffsetReset: "earliest",
    isolationLevel: "read_committed",
  });
  defer(() => committedReader.close());
  committedReader.assign(tps);
  const expectCommitted = [
    "0:plain-a",
    "0:committed-0",
    "0:committed-2",
    "0:plain-b",
    "0:later-0",
    "0:later-2",
    "1:committed-1",
    "1:committed-3",
    "1:later-1",
    "1:later-3",
  ];
  // The markers follow commit/abort asynchronously: read until the last committed message.
  const got = await readAll(committedReader, (v) => v.includes("0:later-2") && v.includes("1:later-3"));
  assert.deepEqual([...got].sort(), [...expectCommitted].sort());
  for (const p of ["0:", "1:"])
    assert.deepEqual(
      got.filter((v) => v.startsWith(p)),
      expectCommitted.filter((v) => v.startsWith(p)),
      `partition ${p} in offset order`,
    );

  const uncommittedReader = new Consumer({ brokers: [broker.bootstrap], autoOffsetReset: "earliest" });
  defer(() => uncommittedReader.close());
  uncommittedReader.assign(tps);
  const all = await readAll(uncommittedReader, (v) => v.length >= 14);
  assert.deepEqual(all.filter((v) => v.includes("aborted")).sort(), [
    "0:aborted-0",
    "0:aborted-2",
    "1:aborted-1",
    "1:aborted-3",
  ]);
  assert.equal(all.length, 14, "12 transactional + 2 plain, no markers");

  // An open transaction holds read_committed back, also for plain messages written after it.
  const open = await txnProducer.transaction();
  await open.send({ topic: "txns", acks: -1, messages: [{ partition: 0, value: "pending" }] });
  await plain.send({ topic: "txns", acks: -1, messages: [{ partition: 0, value: "plain-c" }] });
  assert.deepEqual(await committedReader.poll(1000), [], "nothing past the last stable offset");
  assert.deepEqual((await readAll(uncommittedReader, (v) => v.length >= 2)).sort(), [
    "0:pending",
    "0:plain-c",
  ]);
  await open.commit();
  assert.deepEqual(await readAll(committedReader, (v) => v.length >= 2), ["0:pending", "0:plain-c"]);
});
