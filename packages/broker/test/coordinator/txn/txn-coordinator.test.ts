import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { ErrorCode } from "@nagare/protocol";
import { ProducerIdManager } from "../../../src/coordinator/txn/producer-ids.ts";
import { TransactionCoordinator, type TxnSettings } from "../../../src/coordinator/txn/txn-coordinator.ts";
import type { MarkerTarget, TxnMarkerWriter } from "../../../src/coordinator/txn/txn-markers.ts";
import { silentLogger } from "../../../src/logger.ts";
import { MemoryOffsetsLog } from "../group/group-fixture.ts";

class RecordingMarkers implements TxnMarkerWriter {
  readonly written: { producerId: bigint; producerEpoch: number; commit: boolean; partitions: string[] }[] =
    [];
  async write(target: MarkerTarget): Promise<boolean> {
    const partitions = [...target.partitions].flatMap(([t, ps]) => [...ps].map((p) => `${t}:${p}`)).sort();
    this.written.push({
      producerId: target.producerId,
      producerEpoch: target.producerEpoch,
      commit: target.commit,
      partitions,
    });
    return true;
  }
  stop(): void {}
}

const settings: TxnSettings = {
  maxTimeoutMs: 60_000,
  abortTimedOutIntervalMs: 3_600_000,
  idExpirationMs: 3_600_000,
  removeExpiredIntervalMs: 3_600_000,
};

async function coordinator(
  t: TestContext,
  log = new MemoryOffsetsLog(),
  dir?: string,
  overrides: Partial<TxnSettings> = {},
) {
  const dataDir = dir ?? (await mkdtemp(join(tmpdir(), "nagare-txn-")));
  if (!dir) t.after(() => rm(dataDir, { recursive: true, force: true }));
  const markers = new RecordingMarkers();
  const txns = new TransactionCoordinator({
    topic: log,
    producerIds: await ProducerIdManager.open(dataDir),
    markers,
    settings: { ...settings, ...overrides },
    clock: Date.now,
    logger: silentLogger,
  });
  await txns.start();
  t.after(() => txns.stop());
  return { txns, markers, log, dataDir };
}

/** Lets the coordinator's background completion (markers, then the Complete state) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await delay(1);
}

const init = (txns: TransactionCoordinator, transactionalId: string | null, timeoutMs = 10_000) =>
  txns.initProducerId({
    transactionalId,
    transactionTimeoutMs: timeoutMs,
    producerId: -1n,
    producerEpoch: -1,
  });

test("idempotent producers get fresh ids, unique across a restart", async (t) => {
  const { txns, dataDir } = await coordinator(t);
  const a = await init(txns, null);
  const b = await init(txns, null);
  assert.equal(a.errorCode, ErrorCode.NONE);
  assert.equal(a.producerEpoch, 0);
  assert.notEqual(a.producerId, b.producerId);
  const again = await coordinator(t, new MemoryOffsetsLog(), dataDir);
  const c = await init(again.txns, null);
  assert.ok(c.producerId > b.producerId, `${c.producerId} comes after ${b.producerId}`);
});

test("a transaction: add partitions, commit, markers on each, complete; retries and wrong outcomes", async (t) => {
  const { txns, markers } = await coordinator(t);
  const p = await init(txns, "tx-1");
  assert.deepEqual([p.errorCode, p.producerEpoch], [ErrorCode.NONE, 0]);
  const add = (topic: string, partitions: number[]) =>
    txns.addPartitions("tx-1", p.producerId, p.producerEpoch, [{ topic, partitions }]);
  assert.equal(await add("a", [0, 1]), ErrorCode.NONE);
  assert.equal(await add("b", [2]), ErrorCode.NONE);
  assert.equal(txns.transaction("tx-1")?.state, "Ongoing");
  const ended = await txns.endTxn("tx-1", p.producerId, p.producerEpoch, true);
  assert.equal(ended.errorCode, ErrorCode.NONE);
  await settle();
  assert.deepEqual(markers.written, [
    { producerId: p.producerId, producerEpoch: 0, commit: true, partitions: ["a:0", "a:1", "b:2"] },
  ]);
  assert.equal(txns.transaction("tx-1")?.state, "CompleteCommit");
  assert.equal(
    (await txns.endTxn("tx-1", p.producerId, 0, true)).errorCode,
    ErrorCode.NONE,
    "a retried commit",
  );
  assert.equal((await txns.endTxn("tx-1", p.producerId, 0, false)).errorCode, ErrorCode.INVALID_TXN_STATE);
  assert.equal(
    (await txns.endTxn("tx-1", p.producerId + 1n, 0, true)).errorCode,
    ErrorCode.INVALID_PRODUCER_ID_MAPPING,
  );
  assert.equal((await txns.endTxn("nobody", 1n, 0, true)).errorCode, ErrorCode.INVALID_PRODUCER_ID_MAPPING);
  // The next transaction of the same producer starts from Complete.
  assert.equal(await add("a", [0]), ErrorCode.NONE);
  assert.equal((await txns.endTxn("tx-1", p.producerId, 0, false)).errorCode, ErrorCode.NONE);
  await settle();
  assert.equal(markers.written.at(-1)?.commit, false);
  assert.equal(txns.transaction("tx-1")?.state, "CompleteAbort");
});

test("a new producer with the same transactional id fences the old one and aborts its transaction", async (t) => {
  const { txns, markers } = await coordinator(t);
  const first = await init(txns, "shared");
  assert.equal(
    await txns.addPartitions("shared", first.producerId, 0, [{ topic: "out", partitions: [0] }]),
    ErrorCode.NONE,
  );
  const retry = await init(txns, "shared");
  assert.equal(retry.errorCode, ErrorCode.CONCURRENT_TRANSACTIONS, "the old transaction is aborted first");
  await settle();
  assert.deepEqual(markers.written, [
    { producerId: first.producerId, producerEpoch: 1, commit: false, partitions: ["out:0"] },
  ]);
  const second = await init(txns, "shared");
  assert.deepEqual(
    [second.errorCode, second.producerId, second.producerEpoch],
    [ErrorCode.NONE, first.producerId, 2],
  );
  assert.equal(
    await txns.addPartitions("shared", first.producerId, 0, [{ topic: "out", partitions: [1] }]),
    ErrorCode.PRODUCER_FENCED,
  );
  assert.equal((await txns.endTxn("shared", first.producerId, 0, true)).errorCode, ErrorCode.PRODUCER_FENCED);
});

test("KIP-360: a producer that names its current epoch is bumped; a stale one is fenced", async (t) => {
  const { txns } = await coordinator(t);
  const p = await init(txns, "kip360");
  const bumped = await txns.initProducerId({
    transactionalId: "kip360",
    transactionTimeoutMs: 1000,
    producerId: p.producerId,
    producerEpoch: 0,
  });
  assert.equal(bumped.producerEpoch, 1);
  const lostAnswerRetry = await txns.initProducerId({
    transactionalId: "kip360",
    transactionTimeoutMs: 1000,
    producerId: p.producerId,
    producerEpoch: 0,
  });
  assert.deepEqual(
    [lostAnswerRetry.errorCode, lostAnswerRetry.producerEpoch],
    [ErrorCode.NONE, 1],
    "same epoch again",
  );
  const stale = await txns.initProducerId({
    transactionalId: "kip360",
    transactionTimeoutMs: 1000,
    producerId: 999_999n,
    producerEpoch: 0,
  });
  assert.equal(stale.errorCode, ErrorCode.PRODUCER_FENCED);
});

test("validation: timeouts, empty transactional id", async (t) => {
  const { txns } = await coordinator(t);
  assert.equal((await init(txns, "x", 0)).errorCode, ErrorCode.INVALID_TRANSACTION_TIMEOUT);
  assert.equal((await init(txns, "x", 60_001)).errorCode, ErrorCode.INVALID_TRANSACTION_TIMEOUT);
  assert.equal((await init(txns, "")).errorCode, ErrorCode.INVALID_REQUEST);
});

test("a transaction open past its timeout is fenced and aborted", async (t) => {
  const { txns, markers } = await coordinator(t, undefined, undefined, { abortTimedOutIntervalMs: 20 });
  const p = await init(txns, "slow", 50);
  await txns.addPartitions("slow", p.producerId, 0, [{ topic: "t", partitions: [3] }]);
  for (let i = 0; i < 100 && txns.transaction("slow")?.state !== "CompleteAbort"; i++) await delay(10);
  assert.equal(txns.transaction("slow")?.state, "CompleteAbort");
  assert.deepEqual(markers.written, [
    { producerId: p.producerId, producerEpoch: 1, commit: false, partitions: ["t:3"] },
  ]);
  assert.equal((await txns.endTxn("slow", p.producerId, 0, true)).errorCode, ErrorCode.PRODUCER_FENCED);
});

test("restart: ongoing and completed transactions come back; a prepared one is completed", async (t) => {
  const log = new MemoryOffsetsLog();
  const first = await coordinator(t, log);
  const a = await init(first.txns, "ongoing");
  await first.txns.addPartitions("ongoing", a.producerId, 0, [{ topic: "t", partitions: [0] }]);
  const b = await init(first.txns, "prepared");
  await first.txns.addPartitions("prepared", b.producerId, 0, [{ topic: "t", partitions: [1] }]);
  // The broker dies right after PrepareCommit was written: the markers never went out.
  first.txns.stop();
  first.markers.write = async () => false;
  assert.equal((await first.txns.endTxn("prepared", b.producerId, 0, true)).errorCode, ErrorCode.NONE);
  assert.equal(first.txns.transaction("prepared")?.state, "PrepareCommit");

  const second = await coordinator(t, log, first.dataDir);
  await settle();
  assert.equal(second.txns.transaction("ongoing")?.state, "Ongoing");
  assert.equal(second.txns.transaction("prepared")?.state, "CompleteCommit");
  assert.deepEqual(second.markers.written, [
    { producerId: b.producerId, producerEpoch: 0, commit: true, partitions: ["t:1"] },
  ]);
  assert.equal((await second.txns.endTxn("ongoing", a.producerId, 0, false)).errorCode, ErrorCode.NONE);
});
