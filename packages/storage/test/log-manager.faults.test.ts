// Fault isolation with real I/O errors (the "Faults"): one partition's storage fails, that
// partition answers KAFKA_STORAGE_ERROR from then on (offline until restart), the other partitions
// keep working, nothing acknowledged is lost, and no exception escapes to the process.
//
// How the faults are injected (we run as root, so permissions cannot make a write fail):
// - ENOSPC on append: while the broker is stopped, the file the partition's next segment will live
//   in (`<log end offset>.log`) is made a symlink to /dev/full, a character device on which every
//   write(2) fails with ENOSPC. The log opens it like any segment, and the append's positional
//   write gets the kernel's real ENOSPC through Node's real write path.
// - EBADF on read and on fsync: the test closes a segment's FileHandle underneath the log (what a
//   descriptor lost to a failing device looks like to the process); the next read(2) or fsync(2)
//   fails with EBADF ("file closed").
// After each fault the "disk is repaired" (symlink removed) and a restart recovers the partition.

import assert from "node:assert/strict";
import { access, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { cleanShutdownFileName } from "../src/clean-shutdown-marker.ts";
import { defaultLogConfig, type LogConfig, parseLogConfig } from "../src/log-config.ts";
import { LogManager } from "../src/log-manager.ts";
import type { PartitionLog } from "../src/partition-log.ts";
import { segmentFileName } from "../src/segment.ts";
import { StorageError } from "../src/storage-error.ts";
import { baseTime, batch, captureLogger, onCleanup, readAll, tempDir, waitFor } from "./support/fixtures.ts";

function isStorageError(code: string, message?: RegExp) {
  return (error: unknown) =>
    error instanceof StorageError &&
    error.code === code &&
    (message === undefined || message.test(error.message));
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

function watchUnhandledRejections(t: { after: (fn: () => void) => void }): unknown[] {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on("unhandledRejection", listener);
  t.after(() => process.off("unhandledRejection", listener));
  return seen;
}

const durable = parseLogConfig({ "flush.messages": "1" });

test("ENOSPC on one partition's append: it goes offline, the others keep working, acknowledged data survives", async (t) => {
  const unhandled = watchUnhandledRejections(t);
  const dataDir = await tempDir(t);
  const open = (logger = captureLogger()) =>
    LogManager.open({ logDirs: [dataDir], defaultConfig: durable, clock: () => baseTime, logger });
  {
    const manager = await open();
    for (const topic of ["victim", "healthy"]) {
      const log = await manager.createLog(topic, 0);
      for (let i = 0; i < 5; i++) await log.append(batch(`${topic}${i}`, 2));
    }
    await manager.close();
  }
  const fullDevice = join(dataDir, "victim-0", segmentFileName(10n, ".log"));
  await symlink("/dev/full", fullDevice);
  // Its (empty) indexes exist, as after a roll, so the start-up does not try to rebuild them.
  for (const suffix of [".index", ".timeindex"])
    await writeFile(join(dataDir, "victim-0", segmentFileName(10n, suffix)), "");
  {
    const logger = captureLogger();
    const manager = await open(logger);
    const victim = manager.getLog("victim", 0) as PartitionLog;
    const healthy = manager.getLog("healthy", 0) as PartitionLog;
    assert.equal(victim.active.baseOffset, 10n, "the next writes go to the full device");
    await assert.rejects(victim.append(batch("lost", 1)), isStorageError("KAFKA_STORAGE_ERROR", /ENOSPC/));
    assert.equal(victim.offline, true);
    // Offline means offline: no half-working partition, even for operations that would succeed.
    await assert.rejects(victim.append(batch("lost", 1)), isStorageError("KAFKA_STORAGE_ERROR", /offline/));
    await assert.rejects(
      victim.read(0n, { maxBytes: 1000 }),
      isStorageError("KAFKA_STORAGE_ERROR", /offline/),
    );
    assert.deepEqual(
      manager.offlinePartitions().map((p) => p.topic),
      ["victim"],
    );
    assert.equal((await healthy.append(batch("after", 1))).firstOffset, 10n);
    assert.equal((await readAll(healthy)).length, 11);
    await manager.close(); // resolves: the failure stays inside the partition
    assert.equal(await exists(join(dataDir, cleanShutdownFileName)), false, "the next start must recover");
    assert.ok(logger.events.some((e) => e.level === "warn" && /no clean-shutdown marker/.test(e.message)));
  }
  await rm(fullDevice); // the disk is repaired
  {
    const manager = await open();
    onCleanup(t, () => manager.close());
    assert.ok(
      manager.recoveryReports.some((r) => r.topic === "victim"),
      "the victim was recovered",
    );
    const victim = manager.getLog("victim", 0) as PartitionLog;
    assert.equal(victim.logEndOffset, 10n);
    const expected = Array.from({ length: 5 }, (_, i) => [`victim${i}:0`, `victim${i}:1`]).flat();
    assert.deepEqual(
      (await readAll(victim)).map((v) => v.split("=")[1]),
      expected,
      "every acknowledged record is intact",
    );
    assert.equal((await victim.append(batch("again", 1))).firstOffset, 10n);
    assert.equal(manager.getLog("healthy", 0)?.logEndOffset, 11n);
  }
  assert.deepEqual(unhandled, []);
});

test("EBADF under a read and under the flush job: offline partition, logged error, nothing escapes", async (t) => {
  const unhandled = watchUnhandledRejections(t);
  const dataDir = await tempDir(t);
  let now = baseTime;
  const logger = captureLogger();
  const configs: Record<string, LogConfig> = { flushed: parseLogConfig({ "flush.ms": "1" }) };
  const manager = await LogManager.open({
    logDirs: [dataDir],
    defaultConfig: defaultLogConfig,
    configFor: (topic) => configs[topic] ?? defaultLogConfig,
    clock: () => now,
    logger,
    intervals: { flushCheckMs: 5 },
  });
  onCleanup(t, () => manager.close());
  const reader = await manager.createLog("reader", 0);
  const flushed = await manager.createLog("flushed", 0);
  const bystander = await manager.createLog("bystander", 0);
  for (const log of [reader, flushed, bystander]) await log.append(batch("x", 2));

  await reader.active.file.close();
  await assert.rejects(
    reader.read(0n, { maxBytes: 1000 }),
    isStorageError("KAFKA_STORAGE_ERROR", /EBADF|closed/),
  );
  assert.equal(reader.offline, true);
  await assert.rejects(reader.append(batch("y", 1)), isStorageError("KAFKA_STORAGE_ERROR", /offline/));

  await flushed.active.file.close();
  now += 10; // flush.ms has passed: the flush job fsyncs, and the fsync fails
  await waitFor(() => flushed.offline, "the flush job to hit the closed descriptor");
  await waitFor(
    () => logger.events.some((e) => e.level === "error" && e.message === "scheduled flush failed"),
    "the failure to be logged",
  );
  const failure = logger.events.find((e) => e.message === "scheduled flush failed");
  assert.equal(failure?.fields.topic, "flushed");
  assert.equal(failure?.fields.offline, true);

  assert.equal((await bystander.append(batch("z", 1))).firstOffset, 2n);
  assert.deepEqual(await readAll(bystander), ["0=x:0", "1=x:1", "2=z:0"]);
  assert.deepEqual(
    manager
      .offlinePartitions()
      .map((p) => p.topic)
      .sort(),
    ["flushed", "reader"],
  );
  await manager.close();
  assert.equal(await exists(join(dataDir, cleanShutdownFileName)), false);
  assert.deepEqual(unhandled, []);
});
