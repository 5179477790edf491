// Crash test of producer state: a child process writes idempotent and transactional batches and
// markers (support/producer-child.ts) and is killed with SIGKILL; the next open recovers from the
// latest snapshot at or below the recovery point plus a replay of the log after it. The recovered
// producers, first unstable offset and aborted transactions must equal what ProducerModel derives
// from the log files read independently (the protocol's decoder, not the storage code). Then the
// latest snapshot is corrupted and a clean reopen must still arrive at the same state from an older
// snapshot and a longer replay.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { ControlRecordType, decodeBatches, readEndTxnMarker } from "@nagare/protocol/records";
import { defaultLogConfig } from "../src/log-config.ts";
import { LogManager } from "../src/log-manager.ts";
import type { PartitionLog } from "../src/partition-log.ts";
import { ProducerModel } from "./producer-state.model.ts";
import { captureLogger, tempDir, waitFor } from "./support/fixtures.ts";

const childScript = join(import.meta.dirname, "support", "producer-child.ts");

async function runChildAndKill(dataDir: string, runMs: number): Promise<void> {
  const child = spawn(process.execPath, [childScript, dataDir], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  try {
    await waitFor(
      () => stdout.includes('"ready"') || child.exitCode !== null,
      "the child to open its log",
      20_000,
    );
    assert.ok(stdout.includes('"ready"'), `child failed: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, runMs));
  } finally {
    child.kill("SIGKILL");
    await exited;
  }
}

/** The model of the partition's producers, from its .log files alone. */
async function modelFromFiles(dir: string): Promise<ProducerModel> {
  const model = new ProducerModel();
  const logs = (await readdir(dir)).filter((n) => n.endsWith(".log")).sort();
  for (const name of logs) {
    for (const batch of decodeBatches(await readFile(join(dir, name)))) {
      if (batch.producerId < 0n) continue;
      const marker = readEndTxnMarker(batch);
      model.apply({
        producerId: batch.producerId,
        epoch: batch.producerEpoch,
        firstSeq: batch.baseSequence,
        count: batch.lastOffsetDelta + 1,
        baseOffset: batch.baseOffset,
        maxTimestamp: batch.maxTimestamp,
        transactional: batch.isTransactional,
        ...(marker
          ? {
              marker: {
                abort: marker.type === ControlRecordType.ABORT,
                coordinatorEpoch: marker.coordinatorEpoch,
              },
            }
          : {}),
      });
    }
  }
  return model;
}

function assertMatches(log: PartitionLog, model: ProducerModel): void {
  const byId = (a: { producerId: bigint }, b: { producerId: bigint }) =>
    a.producerId < b.producerId ? -1 : 1;
  assert.deepEqual([...log.producers()].sort(byId), model.view());
  assert.equal(log.firstUnstableOffset, model.firstUnstableOffset);
  assert.deepEqual(log.abortedTransactions(0n, log.logEndOffset), model.abortedIn(0n, log.logEndOffset));
  const middle = log.logEndOffset / 2n;
  assert.deepEqual(
    log.abortedTransactions(middle, log.logEndOffset),
    model.abortedIn(middle, log.logEndOffset),
  );
}

test("after SIGKILL, producer state is rebuilt from the latest snapshot plus the tail", {
  timeout: 120_000,
}, async (t) => {
  const dataDir = await tempDir(t, "nagare-producer-crash-");
  const dir = join(dataDir, "txn-0");
  for (let round = 0; round < 3; round++) {
    await runChildAndKill(dataDir, 300 + round * 200);
    const model = await modelFromFiles(dir); // recovery does not cut whole batches: a kill tears none
    const snapshots = (await readdir(dir)).filter((n) => n.endsWith(".snapshot"));
    assert.ok(snapshots.length > 0, "the child rolled segments, so snapshots exist");
    const manager = await LogManager.open({
      logDirs: [dataDir],
      defaultConfig: defaultLogConfig,
      logger: captureLogger(),
    });
    try {
      const log = manager.getLog("txn", 0) as PartitionLog;
      assert.ok(log.producers().length > 0);
      assertMatches(log, model);
    } finally {
      await manager.close();
    }
  }
  // A clean close left a snapshot at the log end; corrupt it: an older one and a longer replay
  // must give the same state.
  const model = await modelFromFiles(dir);
  const latest = (await readdir(dir))
    .filter((n) => n.endsWith(".snapshot"))
    .sort()
    .at(-1) as string;
  const bytes = await readFile(join(dir, latest));
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0xff;
  await writeFile(join(dir, latest), bytes);
  const manager = await LogManager.open({
    logDirs: [dataDir],
    defaultConfig: defaultLogConfig,
    logger: captureLogger(),
  });
  try {
    assertMatches(manager.getLog("txn", 0) as PartitionLog, model);
  } finally {
    await manager.close();
  }
});
