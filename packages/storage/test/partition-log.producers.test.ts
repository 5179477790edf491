// PartitionLog with producers: duplicates answered without writing, CRC errors before producer
// errors, snapshots at roll / close and their deletion (retention, truncation), the .txnindex going
// with its segment, expiry through the log manager's job.

import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { ControlRecordType, encodeEndTxnMarkerBatch, encodeMessages } from "@nagare/protocol/records";
import { defaultLogConfig, parseLogConfig } from "../src/log-config.ts";
import { LogManager } from "../src/log-manager.ts";
import { PartitionLog } from "../src/partition-log.ts";
import { StorageError } from "../src/storage-error.ts";
import { captureLogger, onCleanup, tempDir, waitFor } from "./support/fixtures.ts";

const now = 1_700_000_000_000;

function idempotent(
  seq: number,
  count = 2,
  options: { epoch?: number; pid?: bigint; txn?: boolean } = {},
): Buffer {
  return encodeMessages(
    Array.from({ length: count }, (_, i) => ({
      value: `v${seq + i}`.padEnd(100, "."),
      timestamp: BigInt(now),
    })),
    {
      producerId: options.pid ?? 5n,
      producerEpoch: options.epoch ?? 0,
      baseSequence: seq,
      isTransactional: options.txn ?? false,
    },
  );
}

function abort(pid: bigint): Buffer {
  return encodeEndTxnMarkerBatch({
    type: ControlRecordType.ABORT,
    producerId: pid,
    producerEpoch: 0,
    coordinatorEpoch: 0,
    timestamp: BigInt(now),
  });
}

async function openLog(
  t: Parameters<typeof tempDir>[0],
  settings: Record<string, string> = {},
  clock = () => now,
) {
  const dir = await tempDir(t);
  const { log } = await PartitionLog.open({ dir, config: parseLogConfig(settings), clock });
  onCleanup(t, () => log.close());
  return { dir, log };
}

const files = async (dir: string, suffix: string) =>
  (await readdir(dir)).filter((n) => n.endsWith(suffix)).sort();

test("a retried append answers the original offsets and writes nothing; LogAppendTime keeps its time", async (t) => {
  let clock = now;
  const { log } = await openLog(t, { "message.timestamp.type": "LogAppendTime" }, () => clock);
  const first = await log.append(idempotent(0));
  clock += 1000;
  await log.append(idempotent(2));
  const retry = await log.append(idempotent(0));
  assert.deepEqual(
    {
      first: retry.firstOffset,
      last: retry.lastOffset,
      duplicate: retry.duplicate,
      time: retry.logAppendTime,
      batches: retry.batches.length,
    },
    { first: 0n, last: 1n, duplicate: true, time: first.logAppendTime, batches: 0 },
  );
  assert.equal(log.logEndOffset, 4n);
  // A corrupt batch is CORRUPT_MESSAGE even when it looks like a duplicate or is out of sequence.
  for (const seq of [0, 9]) {
    const bytes = idempotent(seq);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1;
    await assert.rejects(
      log.append(bytes),
      (e: unknown) => e instanceof StorageError && e.code === "CORRUPT_MESSAGE",
    );
  }
  await assert.rejects(
    log.append(idempotent(9)),
    (e: unknown) => e instanceof StorageError && e.code === "OUT_OF_ORDER_SEQUENCE_NUMBER",
  );
  assert.equal(log.logEndOffset, 4n);
});

test("snapshots at each roll and at close; retention and truncation delete them; reopen restores state", async (t) => {
  const { dir, log } = await openLog(t, { "segment.bytes": "600" });
  for (let seq = 0; seq < 20; seq += 2) await log.append(idempotent(seq, 2, { txn: seq >= 10 }));
  const bases = log.segments.map((s) => s.baseOffset);
  assert.ok(bases.length > 3);
  assert.deepEqual(
    await files(dir, ".snapshot"),
    bases.slice(1).map((b) => `${b.toString().padStart(20, "0")}.snapshot`),
  );
  await log.deleteSegments((_s, next) => next !== undefined && next.baseOffset <= (bases[2] as bigint));
  assert.equal(
    (await files(dir, ".snapshot"))[0],
    `${(bases[2] as bigint).toString().padStart(20, "0")}.snapshot`,
  );
  const before = log.producers();
  await log.close();
  assert.ok(
    (await files(dir, ".snapshot")).includes(`${log.logEndOffset.toString().padStart(20, "0")}.snapshot`),
  );
  const { log: reopened } = await PartitionLog.open({
    dir,
    config: parseLogConfig({ "segment.bytes": "600" }),
    clock: () => now,
  });
  onCleanup(t, () => reopened.close());
  assert.deepEqual(reopened.producers(), before);
  assert.equal(reopened.firstUnstableOffset, 10n);
  await reopened.truncateTo(11n); // the transaction's first batch [10, 11] goes: no transaction left
  assert.equal(reopened.firstUnstableOffset, undefined);
  assert.equal(reopened.producers()[0]?.lastSequence, 9);
  const above = (await files(dir, ".snapshot")).filter((n) => BigInt(n.slice(0, 20)) > reopened.logEndOffset);
  assert.deepEqual(above, []);
  await reopened.append(idempotent(10)); // the sequence continues from the truncated state
});

test("aborted transactions are found across segments; the .txnindex goes with its segment", async (t) => {
  const { dir, log } = await openLog(t, { "segment.bytes": "600" });
  await log.append(idempotent(0, 2, { pid: 1n, txn: true })); // 0-1
  await log.append(idempotent(0, 2, { pid: 2n, txn: true })); // 2-3
  await log.roll();
  await log.append(abort(1n), { origin: "coordinator" }); // 4: LSO 2 (producer 2 still open)
  await log.roll();
  await log.append(abort(2n), { origin: "coordinator" }); // 5: LSO 6
  assert.deepEqual(log.abortedTransactions(0n, 6n), [
    { producerId: 1n, firstOffset: 0n },
    { producerId: 2n, firstOffset: 2n },
  ]);
  assert.deepEqual(log.abortedTransactions(4n, 5n), [
    { producerId: 1n, firstOffset: 0n }, // its marker is at 4
    { producerId: 2n, firstOffset: 2n },
  ]);
  assert.deepEqual(log.abortedTransactions(5n, 6n), [{ producerId: 2n, firstOffset: 2n }]);
  assert.deepEqual(log.abortedTransactions(6n, 6n), []);
  assert.equal((await files(dir, ".txnindex")).length, 2);
  await log.roll();
  await log.deleteSegments((_s, next) => next !== undefined && next.baseOffset <= 5n);
  assert.deepEqual(await files(dir, ".txnindex"), ["00000000000000000005.txnindex"]);
  assert.deepEqual(log.abortedTransactions(5n, 6n), [{ producerId: 2n, firstOffset: 2n }]);
  await log.truncateTo(5n);
  assert.deepEqual(log.abortedTransactions(0n, 100n), []);
});

test("the log manager expires idle producers every producer.id.expiration.check.interval.ms", async (t) => {
  const dataDir = await tempDir(t);
  let clock = now;
  const manager = await LogManager.open({
    logDirs: [dataDir],
    defaultConfig: defaultLogConfig,
    clock: () => clock,
    logger: captureLogger(),
    producerIdExpirationMs: 60_000,
    intervals: { producerIdExpirationCheckMs: 10 },
  });
  onCleanup(t, () => manager.close());
  const log = await manager.createLog("p", 0);
  await log.append(idempotent(0, 1, { pid: 1n }));
  await log.append(idempotent(0, 1, { pid: 2n, txn: true }));
  clock += 60_000;
  await waitFor(() => log.producers().length === 1, "producer 1 to expire");
  assert.equal(log.producers()[0]?.producerId, 2n); // an ongoing transaction keeps it
  await assert.rejects(
    LogManager.open({
      logDirs: [join(dataDir, "x")],
      defaultConfig: defaultLogConfig,
      producerIdExpirationMs: 0,
    }),
    /producer.id.expiration.ms/,
  );
});
