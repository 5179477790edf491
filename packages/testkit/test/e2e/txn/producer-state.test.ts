// Per-partition producer state and read_committed Fetch on the wire, by raw requests built with our
// codec (what the clients in the other txn tests rely on, checked field by field against Kafka):
// - an idempotent producer's retried batch is answered NONE with the original base offset and not
//   appended; a sequence gap is OUT_OF_ORDER_SEQUENCE_NUMBER; after the producer bumps its epoch
//   (KIP-360) the new epoch must start at sequence 0 and the old one is refused with
//   INVALID_PRODUCER_EPOCH.
// - Fetch with isolation_level=1 after a committed and an aborted kafkajs transaction: the
//   response lists the aborted transaction (producer id, first offset) in AbortedTransactions and
//   answers the LSO; the log holds a COMMIT then an ABORT control batch with the producer's id.
// - InitProducerId checks transaction.timeout.ms against transaction.max.timeout.ms.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  DescribeTransactions,
  ErrorCode,
  Fetch,
  InitProducerId,
  Produce,
  type ProduceResponse,
} from "@nagare/protocol";
import { ControlRecordType, decodeBatches, encodeBatch, readEndTxnMarker } from "@nagare/protocol/records";
import { startBroker } from "@nagare/testkit";
import { cleanups, createTopics, openAdmin, waitFor } from "../support/group-clients.ts";
import { request } from "../support/raw-request.ts";
import { kafkajsTxnProducer, latestOffset } from "../support/txn-clients.ts";

function batch(
  producerId: bigint,
  producerEpoch: number,
  baseSequence: number,
  values: readonly string[],
): Buffer {
  return encodeBatch({
    producerId,
    producerEpoch,
    baseSequence,
    baseTimestamp: BigInt(Date.now()),
    records: values.map((v, i) => ({
      attributes: 0,
      timestampDelta: 0n,
      offsetDelta: i,
      key: null,
      value: Buffer.from(v),
      headers: [],
    })),
  });
}

async function produce(port: number, records: Buffer): Promise<{ errorCode: number; baseOffset: bigint }> {
  const response: ProduceResponse = await request(port, Produce, 7, {
    transactionalId: null,
    acks: -1,
    timeoutMs: 10_000,
    topicData: [{ name: "ps", partitionData: [{ index: 0, records }] }],
  });
  const answer = response.responses[0]?.partitionResponses[0];
  assert.ok(answer);
  return { errorCode: answer.errorCode, baseOffset: answer.baseOffset };
}

test("idempotent producer state: duplicates answered with the original offset, gaps and old epochs refused", async (t) => {
  const defer = cleanups(t);
  const broker = await startBroker();
  defer(() => broker.stop());
  const admin = await openAdmin(defer, broker.bootstrap);
  await createTopics(admin, { ps: 1 });
  const port = broker.port;

  const init = await request(port, InitProducerId, 4, {
    transactionalId: null,
    transactionTimeoutMs: -1,
    producerId: -1n,
    producerEpoch: -1,
  });
  assert.equal(init.errorCode, ErrorCode.NONE);
  const { producerId, producerEpoch } = init;

  const first = batch(producerId, producerEpoch, 0, ["a", "b", "c"]);
  assert.deepEqual(await produce(port, first), { errorCode: ErrorCode.NONE, baseOffset: 0n });
  assert.deepEqual(await produce(port, batch(producerId, producerEpoch, 3, ["d"])), {
    errorCode: ErrorCode.NONE,
    baseOffset: 3n,
  });
  // The first batch again (a retry): answered as appended, at its original offset; nothing added.
  assert.deepEqual(await produce(port, first), { errorCode: ErrorCode.NONE, baseOffset: 0n }, "duplicate");
  assert.equal(await latestOffset(port, "ps", 0, "read_uncommitted"), 4, "the duplicate was not appended");
  // Sequence 4 is next: 6 leaves a gap.
  assert.equal(
    (await produce(port, batch(producerId, producerEpoch, 6, ["gap"]))).errorCode,
    ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    "a sequence gap",
  );
  assert.deepEqual(await produce(port, batch(producerId, producerEpoch, 4, ["e"])), {
    errorCode: ErrorCode.NONE,
    baseOffset: 4n,
  });

  // Without a transactional id, InitProducerId always hands out a new producer id (Kafka's
  // coordinator ignores the id and epoch sent); an idempotent producer bumps its epoch itself
  // (KIP-360), and the partition accepts the next epoch when it starts again at sequence 0.
  const again = await request(port, InitProducerId, 4, {
    transactionalId: null,
    transactionTimeoutMs: -1,
    producerId,
    producerEpoch,
  });
  assert.equal(again.errorCode, ErrorCode.NONE);
  assert.notEqual(again.producerId, producerId, "a new producer id");
  const next = producerEpoch + 1;
  assert.equal(
    (await produce(port, batch(producerId, next, 5, ["x"]))).errorCode,
    ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    "a new epoch must start at sequence 0",
  );
  assert.deepEqual(await produce(port, batch(producerId, next, 0, ["f"])), {
    errorCode: ErrorCode.NONE,
    baseOffset: 5n,
  });
  assert.equal(
    (await produce(port, batch(producerId, producerEpoch, 5, ["stale"]))).errorCode,
    ErrorCode.INVALID_PRODUCER_EPOCH,
    "the old epoch",
  );
  assert.equal(await latestOffset(port, "ps", 0, "read_uncommitted"), 6, "nothing refused was appended");
});

test("read_committed Fetch: AbortedTransactions and the LSO; COMMIT and ABORT markers in the log", async (t) => {
  const defer = cleanups(t);
  const broker = await startBroker();
  defer(() => broker.stop());
  const admin = await openAdmin(defer, broker.bootstrap);
  await createTopics(admin, { ps: 1 });
  const port = broker.port;

  const producer = await kafkajsTxnProducer(defer, broker.bootstrap, "ps-txn");
  const committed = await producer.transaction();
  await committed.send({ topic: "ps", acks: -1, messages: [{ value: "c1" }, { value: "c2" }] }); // 0-1
  await committed.commit(); // marker 2
  const aborted = await producer.transaction();
  await aborted.send({ topic: "ps", acks: -1, messages: [{ value: "a1" }] }); // 3
  await aborted.abort(); // marker 4
  await waitFor(
    "both markers",
    async () => (await latestOffset(port, "ps", 0, "read_committed")) === 5,
    15_000,
  );
  const described = await request(port, DescribeTransactions, 0, { transactionalIds: ["ps-txn"] });
  const producerId = described.transactionStates[0]?.producerId;
  assert.ok(producerId !== undefined && producerId >= 0n);

  const fetch = async (isolationLevel: number) => {
    const response = await request(port, Fetch, 11, {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1 << 20,
      isolationLevel,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic: "ps",
          partitions: [
            {
              partition: 0,
              currentLeaderEpoch: -1,
              fetchOffset: 0n,
              logStartOffset: -1n,
              partitionMaxBytes: 1 << 20,
            },
          ],
        },
      ],
      forgottenTopicsData: [],
      rackId: "",
    });
    const partition = response.responses[0]?.partitions[0];
    assert.ok(partition);
    assert.equal(partition.errorCode, ErrorCode.NONE);
    return partition;
  };

  const readCommitted = await fetch(1);
  assert.equal(readCommitted.highWatermark, 5n);
  assert.equal(readCommitted.lastStableOffset, 5n);
  assert.deepEqual(
    readCommitted.abortedTransactions,
    [{ producerId, firstOffset: 3n }],
    "the aborted transaction, for the client to filter",
  );
  const readUncommitted = await fetch(0);
  assert.equal(readUncommitted.abortedTransactions, null, "read_uncommitted gets no aborted list");

  const batches = decodeBatches(readUncommitted.records ?? Buffer.alloc(0));
  const layout = batches.map((b) => {
    const marker = b.isControl ? readEndTxnMarker(b) : null;
    return {
      baseOffset: b.baseOffset,
      producerId: b.producerId,
      transactional: b.isTransactional,
      marker: marker === null ? null : marker.type === ControlRecordType.COMMIT ? "COMMIT" : "ABORT",
    };
  });
  assert.deepEqual(layout, [
    { baseOffset: 0n, producerId, transactional: true, marker: null },
    { baseOffset: 2n, producerId, transactional: true, marker: "COMMIT" },
    { baseOffset: 3n, producerId, transactional: true, marker: null },
    { baseOffset: 4n, producerId, transactional: true, marker: "ABORT" },
  ]);
});

test("InitProducerId refuses a transaction timeout above transaction.max.timeout.ms", async (t) => {
  const defer = cleanups(t);
  const broker = await startBroker({ config: { "transaction.max.timeout.ms": "10000" } });
  defer(() => broker.stop());
  const init = (transactionTimeoutMs: number) =>
    request(broker.port, InitProducerId, 4, {
      transactionalId: "ps-timeout",
      transactionTimeoutMs,
      producerId: -1n,
      producerEpoch: -1,
    });
  assert.equal((await init(10_001)).errorCode, ErrorCode.INVALID_TRANSACTION_TIMEOUT);
  const accepted = await init(10_000);
  assert.equal(accepted.errorCode, ErrorCode.NONE);
  assert.ok(accepted.producerId >= 0n);
});
