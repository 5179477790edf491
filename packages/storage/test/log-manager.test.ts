import assert from "node:assert/strict";
import { access, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { readOffsetCheckpoint } from "../src/checkpoint-file.ts";
import { cleanShutdownFileName } from "../src/clean-shutdown-marker.ts";
import { defaultLogConfig, type LogConfig, parseLogConfig } from "../src/log-config.ts";
import { LogManager } from "../src/log-manager.ts";
import type { LogManagerOptions } from "../src/log-manager-options.ts";
import { StorageError } from "../src/storage-error.ts";
import {
  baseTime,
  batch,
  captureLogger,
  onCleanup,
  type TestContextLike,
  tempDir,
  values,
  waitFor,
} from "./support/fixtures.ts";

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

function isStorageError(code: string) {
  return (error: unknown) => error instanceof StorageError && error.code === code;
}

async function openManager(
  t: TestContextLike,
  options: Partial<LogManagerOptions> & { logDirs: readonly string[] },
) {
  const logger = captureLogger();
  const manager = await LogManager.open({
    defaultConfig: defaultLogConfig,
    clock: () => baseTime,
    logger,
    ...options,
  });
  onCleanup(t, () => manager.close());
  return { manager, logger };
}

async function checkpointed(dataDir: string, file: string): Promise<Record<string, string>> {
  const read = await readOffsetCheckpoint(join(dataDir, file));
  assert.equal(read.status, "ok", `${file} is readable`);
  return Object.fromEntries(read.entries.map((e) => [`${e.topic}-${e.partition}`, e.offset.toString()]));
}

test("discovers partition directories (dashes and dots in topics), skips others, finishes deletions", async (t) => {
  const dataDir = await tempDir(t);
  {
    const { manager } = await openManager(t, { logDirs: [dataDir] });
    await (await manager.createLog("my-topic.v2", 0)).append(batch("a", 3));
    await (await manager.createLog("my-topic.v2", 1)).append(batch("b", 2));
    await (await manager.createLog("a-b", 3)).append(batch("c", 1));
    await manager.close();
  }
  await writeFile(join(dataDir, "meta.properties"), "version=1\n");
  await mkdir(join(dataDir, "not_a_partition"));
  await mkdir(join(dataDir, "gone-0.0123456789abcdef0123456789abcdef-delete"));
  await writeFile(
    join(dataDir, "gone-0.0123456789abcdef0123456789abcdef-delete", "00000000000000000000.log"),
    "x",
  );

  const { manager, logger } = await openManager(t, { logDirs: [dataDir] });
  const found = manager
    .allLogs()
    .map(({ topic, partition, log }) => `${topic}/${partition}@${log.logEndOffset}`)
    .sort();
  assert.deepEqual(found, ["a-b/3@1", "my-topic.v2/0@3", "my-topic.v2/1@2"]);
  assert.deepEqual(
    values(
      (await manager.getLog("my-topic.v2", 1)?.read(0n, { maxBytes: 1000 }))?.records ?? Buffer.alloc(0),
    ),
    ["0=b:0", "1=b:1"],
  );
  assert.equal(manager.getLog("my-topic.v2", 2), undefined);
  assert.equal(await exists(join(dataDir, "gone-0.0123456789abcdef0123456789abcdef-delete")), false);
  assert.ok(logger.events.some((e) => e.level === "warn" && e.fields.dir === "not_a_partition"));
  assert.deepEqual(manager.recoveryReports, [], "a clean restart recovers nothing");
});

test("new partitions go to the data directory with the fewest partitions", async (t) => {
  const root = await tempDir(t);
  const dirs = [join(root, "d1"), join(root, "d2"), join(root, "d3")];
  const { manager } = await openManager(t, { logDirs: dirs });
  for (let p = 0; p < 6; p++) await manager.createLog("spread", p);
  const perDir = await Promise.all(
    dirs.map(async (d) => (await readdir(d)).filter((n) => n.startsWith("spread-")).length),
  );
  assert.deepEqual(perDir, [2, 2, 2]);
  const [first, second] = await Promise.all([manager.createLog("same", 0), manager.createLog("same", 0)]);
  assert.equal(first, second, "concurrent creations of one partition open it once");
  assert.equal(await manager.createLog("same", 0), first);
  await assert.rejects(manager.createLog("../escape", 0), isStorageError("INVALID_TOPIC_EXCEPTION"));
  await assert.rejects(manager.createLog("ok", -1), isStorageError("INVALID_TOPIC_EXCEPTION"));
});

test("close fsyncs, writes the checkpoints, then the marker; a clean restart restores offsets without recovery", async (t) => {
  const dataDir = await tempDir(t);
  const config = parseLogConfig({ "segment.bytes": "1000" });
  {
    const { manager } = await openManager(t, { logDirs: [dataDir], configFor: () => config });
    const log = await manager.createLog("t", 0);
    for (let i = 0; i < 20; i++) await log.append(batch(`r${i}`, 2, { size: 50 }));
    assert.ok(log.segments.length > 3);
    await log.deleteRecordsBefore(13n);
    await manager.close();
    assert.equal(await exists(join(dataDir, cleanShutdownFileName)), true);
    assert.match(
      await readFile(join(dataDir, cleanShutdownFileName), "utf8"),
      /^\{"version":0,"brokerEpoch":-1\}$/,
    );
    assert.deepEqual(await checkpointed(dataDir, "recovery-point-offset-checkpoint"), { "t-0": "40" });
    assert.deepEqual(await checkpointed(dataDir, "log-start-offset-checkpoint"), { "t-0": "13" });
    assert.deepEqual(await checkpointed(dataDir, "cleaner-offset-checkpoint"), {});
  }
  const { manager } = await openManager(t, { logDirs: [dataDir], configFor: () => config });
  assert.equal(
    await exists(join(dataDir, cleanShutdownFileName)),
    false,
    "the marker is removed at start-up",
  );
  assert.deepEqual(manager.recoveryReports, []);
  const log = manager.getLog("t", 0);
  assert.equal(log?.logStartOffset, 13n);
  assert.equal(log?.logEndOffset, 40n);
  await assert.rejects(log.read(12n, { maxBytes: 100 }), isStorageError("OFFSET_OUT_OF_RANGE"));
});

test("after an unclean stop only the segments after the checkpointed recovery point are re-scanned", async (t) => {
  const dataDir = await tempDir(t);
  const config = parseLogConfig({ "segment.bytes": "1000" });
  {
    const { manager } = await openManager(t, { logDirs: [dataDir], configFor: () => config });
    const log = await manager.createLog("t", 0);
    for (let i = 0; i < 20; i++) await log.append(batch(`r${i}`, 2, { size: 50 }));
    await manager.close();
  }
  await rm(join(dataDir, cleanShutdownFileName)); // as if the process had died
  const { manager, logger } = await openManager(t, { logDirs: [dataDir], configFor: () => config });
  const log = manager.getLog("t", 0);
  assert.ok(log && log.segments.length > 3);
  assert.equal(manager.recoveryReports.length, 1);
  const [report] = manager.recoveryReports;
  assert.equal(report?.topic, "t");
  assert.deepEqual(
    report?.segments.map((s) => s.baseOffset),
    [log.active.baseOffset],
    "the recovery point covered every closed segment",
  );
  assert.equal(report?.truncatedBytes, 0);
  assert.ok(logger.events.some((e) => e.message === "loaded and recovered logs"));
  // A lost recovery point checkpoint means recovering everything.
  await manager.close();
  await rm(join(dataDir, cleanShutdownFileName));
  await writeFile(join(dataDir, "recovery-point-offset-checkpoint"), "0\n5\nt 0 40\n");
  const again = await openManager(t, { logDirs: [dataDir], configFor: () => config });
  assert.ok(again.logger.events.some((e) => e.message.startsWith("ignoring a corrupt checkpoint")));
  assert.equal(again.manager.recoveryReports[0]?.segments.length, log.segments.length);
  assert.equal(again.manager.getLog("t", 0)?.logEndOffset, 40n);
});

test("deleteLog removes the directory and the partition's checkpoint entries", async (t) => {
  const dataDir = await tempDir(t);
  const { manager } = await openManager(t, { logDirs: [dataDir] });
  await (await manager.createLog("keep", 0)).append(batch("k", 1));
  await (await manager.createLog("drop", 0)).append(batch("d", 1));
  await manager.checkpoint();
  assert.deepEqual(Object.keys(await checkpointed(dataDir, "recovery-point-offset-checkpoint")).sort(), [
    "drop-0",
    "keep-0",
  ]);
  assert.equal(await manager.deleteLog("drop", 0), true);
  assert.equal(await manager.deleteLog("drop", 0), false);
  assert.equal(manager.getLog("drop", 0), undefined);
  assert.deepEqual(
    (await readdir(dataDir)).filter((n) => !n.endsWith("-checkpoint")),
    ["keep-0"],
  );
  assert.deepEqual(Object.keys(await checkpointed(dataDir, "recovery-point-offset-checkpoint")), ["keep-0"]);
  const recreated = await manager.createLog("drop", 0);
  assert.equal(recreated.logEndOffset, 0n);
});

test("updateConfig applies to the topic's open logs at once", async (t) => {
  const dataDir = await tempDir(t);
  const { manager } = await openManager(t, { logDirs: [dataDir] });
  const a0 = await manager.createLog("a", 0);
  const a1 = await manager.createLog("a", 1);
  const b0 = await manager.createLog("b", 0);
  const small: LogConfig = parseLogConfig({ "max.message.bytes": "100" });
  manager.updateConfig("a", small);
  assert.equal(a0.config, small);
  assert.equal(a1.config, small);
  assert.equal(b0.config, defaultLogConfig);
  await assert.rejects(a0.append(batch("big", 1, { size: 200 })), isStorageError("MESSAGE_TOO_LARGE"));
  await b0.append(batch("big", 1, { size: 200 }));
});

test("background jobs: flush.ms flushes, checkpoints are written, retention deletes old segments", async (t) => {
  const dataDir = await tempDir(t);
  let now = baseTime;
  const configs: Record<string, LogConfig> = {
    flushed: parseLogConfig({ "flush.ms": "5" }),
    expiring: parseLogConfig({ "segment.bytes": "600", "retention.ms": "60000" }),
    compacted: parseLogConfig({
      "segment.bytes": "600",
      "retention.ms": "60000",
      "cleanup.policy": "compact",
    }),
  };
  const { manager, logger } = await openManager(t, {
    logDirs: [dataDir],
    clock: () => now,
    configFor: (topic) => configs[topic] ?? defaultLogConfig,
    intervals: { flushCheckMs: 10, checkpointMs: 10, retentionCheckMs: 10, cleanerBackoffMs: 1_000_000 },
  });
  const flushed = await manager.createLog("flushed", 0);
  const expiring = await manager.createLog("expiring", 0);
  const compacted = await manager.createLog("compacted", 0);
  await flushed.append(batch("f", 3));
  assert.equal(flushed.recoveryPoint, 0n, "flush.messages is left to the OS by default");
  now += 10;
  await waitFor(() => flushed.recoveryPoint === 3n, "the flush job to fsync after flush.ms");
  await waitFor(
    async () =>
      (await readOffsetCheckpoint(join(dataDir, "recovery-point-offset-checkpoint"))).entries.some(
        (e) => e.topic === "flushed" && e.offset === 3n,
      ),
    "the checkpoint job to record the new recovery point",
  );
  for (let i = 0; i < 10; i++) {
    await expiring.append(batch(`e${i}`, 2, { size: 100 }));
    await compacted.append(batch(`c${i}`, 2, { size: 100 }));
  }
  assert.ok(expiring.segments.length > 2);
  now += 3_600_000; // every record is now an hour old, beyond retention.ms
  await waitFor(
    () =>
      logger.events.some(
        (e) => e.message === "deleted segments by retention" && e.fields.topic === "expiring",
      ),
    "retention to delete and report the expired segments",
  );
  assert.equal(expiring.segments.length, 1, "every closed segment expired");
  assert.equal(expiring.logStartOffset, expiring.active.baseOffset);
  assert.ok(compacted.segments.length > 2, "retention leaves a compact-only topic alone");
  assert.deepEqual(
    logger.events.filter((e) => e.level === "error"),
    [],
  );
});

test("the cleaner job compacts logs with cleanup.policy=compact and checkpoints their dirty offset", async (t) => {
  const dataDir = await tempDir(t);
  const config = parseLogConfig({
    "segment.bytes": "600",
    "cleanup.policy": "compact",
    "min.cleanable.dirty.ratio": "0.01",
  });
  const { manager } = await openManager(t, {
    logDirs: [dataDir],
    clock: () => baseTime + 3_600_000,
    configFor: () => config,
    intervals: { cleanerBackoffMs: 10 },
  });
  const log = await manager.createLog("compacted", 0);
  // The same two keys over and over: almost everything below the active segment is dirty.
  for (let i = 0; i < 12; i++) await log.append(batch("same", 2, { size: 100 }));
  assert.ok(log.active.baseOffset > 0n);
  await waitFor(async () => {
    await manager.checkpoint();
    const dirty = (await readOffsetCheckpoint(join(dataDir, "cleaner-offset-checkpoint"))).entries[0]?.offset;
    return dirty !== undefined && dirty > 0n;
  }, "the cleaner to advance the first dirty offset");
  const dirty =
    (await readOffsetCheckpoint(join(dataDir, "cleaner-offset-checkpoint"))).entries[0]?.offset ?? 0n;
  assert.ok(dirty <= log.active.baseOffset, "the active segment is never cleaned");
});

test("a partition that cannot be opened is offline; the others work and its dir gets no marker", async (t) => {
  const dataDir = await tempDir(t);
  {
    const { manager } = await openManager(t, { logDirs: [dataDir] });
    await (await manager.createLog("good", 0)).append(batch("g", 2));
    await (await manager.createLog("bad", 0)).append(batch("b", 2));
    await manager.close();
  }
  // A directory where the first segment's .log should be: opening it fails with EISDIR.
  await rm(join(dataDir, "bad-0", "00000000000000000000.log"));
  await mkdir(join(dataDir, "bad-0", "00000000000000000000.log"));
  const { manager, logger } = await openManager(t, { logDirs: [dataDir] });
  assert.throws(() => manager.getLog("bad", 0), isStorageError("KAFKA_STORAGE_ERROR"));
  await assert.rejects(manager.createLog("bad", 0), isStorageError("KAFKA_STORAGE_ERROR"));
  assert.deepEqual(
    manager.offlinePartitions().map((p) => `${p.topic}-${p.partition}`),
    ["bad-0"],
  );
  assert.ok(logger.events.some((e) => e.level === "error" && e.fields.topic === "bad"));
  const good = manager.getLog("good", 0);
  assert.equal((await good?.append(batch("g2", 1)))?.firstOffset, 2n);
  await manager.close();
  assert.equal(
    await exists(join(dataDir, cleanShutdownFileName)),
    false,
    "the next start must recover bad-0",
  );
  assert.deepEqual(await checkpointed(dataDir, "recovery-point-offset-checkpoint"), {
    "bad-0": "2",
    "good-0": "3",
  });
});

test("options are validated once, with the config name in the message", async (t) => {
  const dataDir = await tempDir(t);
  await assert.rejects(LogManager.open({ logDirs: [], defaultConfig: defaultLogConfig }), /log.dirs/);
  await assert.rejects(
    LogManager.open({ logDirs: [dataDir, `${dataDir}/`], defaultConfig: defaultLogConfig }),
    /lists a directory twice/,
  );
  await assert.rejects(
    LogManager.open({ logDirs: [dataDir], defaultConfig: defaultLogConfig, intervals: { checkpointMs: 0 } }),
    /checkpointMs/,
  );
  await assert.rejects(
    LogManager.open({ logDirs: [dataDir], defaultConfig: defaultLogConfig, recoveryThreadsPerDataDir: 0 }),
    /num.recovery.threads.per.data.dir/,
  );
  const blocked = join(dataDir, "file");
  await writeFile(blocked, "");
  await assert.rejects(
    LogManager.open({
      logDirs: [join(blocked, "sub")],
      defaultConfig: defaultLogConfig,
      logger: captureLogger(),
    }),
    isStorageError("KAFKA_STORAGE_ERROR"),
  );
});
