// The admin view of transactions and producers (KIP-664), by raw requests built with our codec (no
// installed client has these APIs): DescribeTransactions and ListTransactions show a
// confluent-kafka producer's transaction while it is Ongoing (its partitions, timeout, producer id
// and epoch) and CompleteCommit after it commits; DescribeProducers shows the producer on each
// partition with its last sequence and the first offset of its open transaction, none once
// committed.

import assert from "node:assert/strict";
import { test } from "node:test";
import { DescribeProducers, DescribeTransactions, ErrorCode, ListTransactions } from "@nagare/protocol";
import { startBroker } from "@nagare/testkit";
import { debianPython, requireTool } from "../support/clients.ts";
import { cleanups, createTopics, openAdmin, waitFor } from "../support/group-clients.ts";
import { request } from "../support/raw-request.ts";
import { PyTxnProducer } from "../support/txn-clients.ts";

const id = "admin-view";

async function describe(port: number) {
  const response = await request(port, DescribeTransactions, 0, { transactionalIds: [id, "no-such-id"] });
  assert.equal(response.transactionStates.length, 2);
  const [found, missing] = response.transactionStates;
  assert.equal(missing?.errorCode, ErrorCode.TRANSACTIONAL_ID_NOT_FOUND, "an unknown id");
  assert.ok(found);
  assert.equal(
    found.errorCode,
    ErrorCode.NONE,
    JSON.stringify(found, (_, v) => (typeof v === "bigint" ? String(v) : v)),
  );
  return found;
}

async function producers(port: number) {
  const response = await request(port, DescribeProducers, 0, {
    topics: [{ name: "adm", partitionIndexes: [0, 1] }],
  });
  const partitions = response.topics[0]?.partitions ?? [];
  assert.deepEqual(
    partitions.map((p) => [p.partitionIndex, p.errorCode]),
    [
      [0, ErrorCode.NONE],
      [1, ErrorCode.NONE],
    ],
  );
  return partitions.map((p) => p.activeProducers);
}

test("DescribeTransactions and ListTransactions: an Ongoing transaction, then CompleteCommit", async (t) => {
  requireTool(debianPython, "python3-confluent-kafka");
  const defer = cleanups(t);
  const broker = await startBroker();
  defer(() => broker.stop());
  const admin = await openAdmin(defer, broker.bootstrap);
  await createTopics(admin, { adm: 2 });

  const producer = new PyTxnProducer(defer, broker.bootstrap, {
    transactionalId: id,
    transactionTimeoutMs: 45_000,
  });
  await producer.init();
  const began = Date.now();
  await producer.begin();
  await producer.send([
    { t: "adm", p: 0, v: "a" },
    { t: "adm", p: 0, v: "b" },
    { t: "adm", p: 1, v: "c" },
  ]);

  const ongoing = await describe(broker.port);
  assert.equal(ongoing.transactionState, "Ongoing");
  assert.equal(ongoing.transactionTimeoutMs, 45_000, "the producer's transaction.timeout.ms");
  assert.ok(ongoing.producerId >= 0n && ongoing.producerEpoch >= 0, "a producer id and epoch");
  assert.deepEqual(ongoing.topics, [{ topic: "adm", partitions: [0, 1] }]);
  const startedAt = Number(ongoing.transactionStartTimeMs);
  assert.ok(startedAt >= began - 1000 && startedAt <= Date.now(), `start time ${startedAt}`);

  const listed = await request(broker.port, ListTransactions, 1, {
    stateFilters: ["Ongoing", "NoSuchState"],
    producerIdFilters: [],
    durationFilter: -1n,
  });
  assert.equal(listed.errorCode, ErrorCode.NONE);
  assert.deepEqual(listed.unknownStateFilters, ["NoSuchState"]);
  assert.deepEqual(
    listed.transactionStates.filter((s) => s.transactionalId === id),
    [{ transactionalId: id, producerId: ongoing.producerId, transactionState: "Ongoing" }],
  );
  const byProducer = await request(broker.port, ListTransactions, 1, {
    stateFilters: [],
    producerIdFilters: [ongoing.producerId],
    durationFilter: -1n,
  });
  assert.deepEqual(
    byProducer.transactionStates.map((s) => s.transactionalId),
    [id],
    "filtered by producer id",
  );

  await producer.commit();
  let done = ongoing;
  await waitFor(
    "CompleteCommit",
    async () => {
      done = await describe(broker.port);
      return done.transactionState === "CompleteCommit";
    },
    15_000,
    () => done.transactionState,
  );
  assert.equal(done.producerId, ongoing.producerId);
  assert.deepEqual(done.topics, [], "no partitions once complete");
  const completed = await request(broker.port, ListTransactions, 1, {
    stateFilters: ["Ongoing"],
    producerIdFilters: [],
    durationFilter: -1n,
  });
  assert.deepEqual(
    completed.transactionStates.filter((s) => s.transactionalId === id),
    [],
    "no longer listed as Ongoing",
  );
});

test("DescribeProducers: the transactional producer on each partition, its open transaction's first offset", async (t) => {
  requireTool(debianPython, "python3-confluent-kafka");
  const defer = cleanups(t);
  const broker = await startBroker();
  defer(() => broker.stop());
  const admin = await openAdmin(defer, broker.bootstrap);
  await createTopics(admin, { adm: 2 });

  const producer = new PyTxnProducer(defer, broker.bootstrap, { transactionalId: id });
  await producer.init();
  await producer.begin();
  // Partition 0: one batch of two records (sequences 0-1) at offsets 0-1; partition 1 one record.
  await producer.send([
    { t: "adm", p: 0, v: "a" },
    { t: "adm", p: 0, v: "b" },
    { t: "adm", p: 1, v: "c" },
  ]);
  const { producerId, producerEpoch } = await describe(broker.port);

  const [p0, p1] = await producers(broker.port);
  assert.deepEqual(
    p0?.map((s) => [s.producerId, s.producerEpoch, s.lastSequence, s.currentTxnStartOffset]),
    [[producerId, producerEpoch, 1, 0n]],
    "partition 0",
  );
  assert.deepEqual(
    p1?.map((s) => [s.producerId, s.producerEpoch, s.lastSequence, s.currentTxnStartOffset]),
    [[producerId, producerEpoch, 0, 0n]],
    "partition 1",
  );
  assert.ok((p0?.[0]?.lastTimestamp ?? -1n) > 0n, "last timestamp");

  await producer.commit();
  await waitFor(
    "no open transaction on either partition",
    async () =>
      (await producers(broker.port)).every((list) => list.every((s) => s.currentTxnStartOffset === -1n)),
    15_000,
  );
  const [after0] = await producers(broker.port);
  assert.equal(after0?.[0]?.producerId, producerId, "the producer stays listed after its commit");
  assert.ok((after0?.[0]?.coordinatorEpoch ?? -1) >= 0, "the commit marker's coordinator epoch");
});
