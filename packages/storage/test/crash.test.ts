import { seededRandom } from "./support/seeded-random.ts";
// Crash tests.
//
// 1. Real processes: support/append-child.ts appends in durable mode (flush.messages=1) from four
//    concurrent writers and prints each acknowledged batch; we SIGKILL it at a random moment, then
//    check the partition directory with our own independent reader (the protocol's batch decoder,
//    CRC included — not the storage code under test): offsets contiguous from 0 across segments,
//    only the last segment may end in invalid bytes (a torn tail), and every acknowledged batch is
//    there with its exact records. The next round's child recovers the directory through the
//    LogManager and reports its log end offset and what it truncated, which must match what our
//    reader found. Note what SIGKILL does and does not test: data already written to the OS
//    survives a process kill (the page cache belongs to the kernel), so this proves the
//    acknowledgement protocol and restart path, while power-loss-like damage (torn and corrupt
//    tails, lost indexes) is produced directly on the files in the tests after it.
// 2. File damage without a process: a truncated .log tail, deleted .index/.timeindex files, a
//    corrupted byte in the last batch, and a clean restart that must not re-scan anything.

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { readdir, readFile, rm, stat, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { batchMessages, decodeBatch } from "@nagare/protocol/records";
import { cleanShutdownFileName } from "../src/clean-shutdown-marker.ts";
import { defaultLogConfig, parseLogConfig } from "../src/log-config.ts";
import { LogManager } from "../src/log-manager.ts";
import type { PartitionLog } from "../src/partition-log.ts";
import { segmentFileName } from "../src/segment.ts";
import {
  baseTime,
  batch,
  captureLogger,
  onCleanup,
  readAll,
  type TestContextLike,
  tempDir,
  values,
  waitFor,
} from "./support/fixtures.ts";

const childScript = join(import.meta.dirname, "support", "append-child.ts");
const rounds = 5;

interface Ack {
  readonly first: bigint;
  readonly last: bigint;
  readonly round: number;
  readonly writer: number;
  readonly seq: number;
  readonly count: number;
}

class ChildOutput {
  readonly lines: Record<string, unknown>[] = [];
  stderr = "";
  private partial = "";

  constructor(child: ChildProcess) {
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      const text = this.partial + chunk;
      const complete = text.split("\n");
      this.partial = complete.pop() ?? "";
      for (const line of complete) this.lines.push(JSON.parse(line) as Record<string, unknown>);
    });
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
  }

  acks(): Ack[] {
    return this.lines
      .filter((l) => l.type === "ack")
      .map((l) => ({
        first: BigInt(l.first as string),
        last: BigInt(l.last as string),
        round: l.round as number,
        writer: l.writer as number,
        seq: l.seq as number,
        count: l.count as number,
      }));
  }
}

interface ScannedPartition {
  /** Record values by offset, from whole batches that pass the CRC. */
  readonly records: Map<bigint, string>;
  readonly batchRanges: Map<bigint, bigint>;
  readonly endOffset: bigint;
  readonly tornBytes: number;
}

/** Reads a partition directory with the protocol decoder only: independent of the storage code. */
async function scanPartition(dir: string): Promise<ScannedPartition> {
  const logs = (await readdir(dir)).filter((n) => /^\d{20}\.log$/.test(n)).sort();
  const records = new Map<bigint, string>();
  const batchRanges = new Map<bigint, bigint>();
  let expected = 0n;
  let tornBytes = 0;
  for (const [index, name] of logs.entries()) {
    const file = await readFile(join(dir, name));
    assert.equal(BigInt(name.slice(0, 20)), expected, `segment ${name} starts where the previous one ended`);
    let position = 0;
    while (position + 61 <= file.length) {
      const size = file.readInt32BE(position + 8) + 12;
      if (size < 61 || position + size > file.length) break;
      let decoded: ReturnType<typeof decodeBatch>;
      try {
        decoded = decodeBatch(file.subarray(position, position + size));
      } catch {
        break;
      }
      assert.equal(decoded.baseOffset, expected, `contiguous offsets in ${name} at position ${position}`);
      for (const message of batchMessages(decoded))
        records.set(message.offset, message.value?.toString("utf8").replace(/\.+$/, "") ?? "");
      batchRanges.set(decoded.baseOffset, decoded.baseOffset + BigInt(decoded.lastOffsetDelta));
      expected = decoded.baseOffset + BigInt(decoded.lastOffsetDelta) + 1n;
      position += size;
    }
    const invalid = file.length - position;
    if (index < logs.length - 1)
      assert.equal(invalid, 0, `only the last segment may have a torn tail (${name})`);
    tornBytes = invalid;
  }
  return { records, batchRanges, endOffset: expected, tornBytes };
}

function checkAcknowledged(scan: ScannedPartition, acks: readonly Ack[], context: string): void {
  for (const ack of acks) {
    assert.equal(
      scan.batchRanges.get(ack.first),
      ack.last,
      `${context}: acknowledged batch at ${ack.first} is whole`,
    );
    for (let i = 0; i < ack.count; i++) {
      assert.equal(
        scan.records.get(ack.first + BigInt(i)),
        `${ack.round}:${ack.writer}:${ack.seq}:${i}`,
        `${context}: record ${ack.first + BigInt(i)} has the acknowledged content`,
      );
    }
  }
}

async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(child.pid as number, "SIGKILL");
  await exited;
}

test("SIGKILL during durable appends: every acknowledged batch survives and recovery keeps exactly the valid prefix", async (t) => {
  const seed = Number(process.env.CRASH_TEST_SEED ?? Date.now() % 1_000_000);
  const random = seededRandom(seed);
  const dataDir = await tempDir(t, "nagare-crash-");
  const partitionDir = join(dataDir, "crash-0");
  const allAcks: Ack[] = [];
  let expectedEnd = 0n;
  let expectedTruncation = 0;
  for (let round = 0; round < rounds; round++) {
    const context = `seed ${seed}, round ${round}`;
    const child = spawn(process.execPath, [childScript, dataDir, String(round)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    onCleanup(t, () => killAndWait(child));
    const output = new ChildOutput(child);
    const exitedEarly = () => child.exitCode !== null;
    await waitFor(
      () => output.lines.some((l) => l.type === "ready") || exitedEarly(),
      `${context}: child ready`,
      20_000,
    );
    assert.equal(exitedEarly(), false, `${context}: child exited: ${output.stderr}`);
    const ready = output.lines.find((l) => l.type === "ready") as Record<string, unknown>;
    assert.equal(
      BigInt(ready.logEndOffset as string),
      expectedEnd,
      `${context}: recovery kept the valid prefix`,
    );
    assert.equal(ready.truncatedBytes, expectedTruncation, `${context}: recovery cut exactly the torn tail`);
    if (round > 0)
      assert.ok((ready.recoveredSegments as number) >= 1, `${context}: an unclean start recovers`);
    await waitFor(
      () => output.acks().length > 0 || exitedEarly(),
      `${context}: a first acknowledgement`,
      10_000,
    );
    const delayMs = 50 + Math.floor(random() * 350);
    await new Promise((resolve) => setTimeout(resolve, delayMs)); // the random moment of the crash
    assert.equal(exitedEarly(), false, `${context}: child died by itself: ${output.stderr}`);
    await killAndWait(child);
    const acks = output.acks();
    allAcks.push(...acks);
    const scan = await scanPartition(partitionDir);
    checkAcknowledged(scan, allAcks, context);
    let lastAcked = -1n;
    for (const ack of acks) if (ack.last > lastAcked) lastAcked = ack.last;
    assert.ok(scan.endOffset > lastAcked, `${context}: the log reaches past the last acknowledged offset`);
    expectedEnd = scan.endOffset;
    expectedTruncation = scan.tornBytes;
  }
  // Finally recover in this process and read everything back through the log itself.
  const manager = await LogManager.open({
    logDirs: [dataDir],
    defaultConfig: defaultLogConfig,
    logger: captureLogger(),
  });
  onCleanup(t, () => manager.close());
  const log = manager.getLog("crash", 0) as PartitionLog;
  assert.equal(log.logEndOffset, expectedEnd);
  assert.equal(manager.recoveryReports.length, 1, "the last stop was a kill: recovery ran");
  const readBack = new Map<bigint, string>();
  for (const entry of await readAll(log)) {
    const [at, value] = entry.split("=") as [string, string];
    readBack.set(BigInt(at), value);
  }
  assert.equal(BigInt(readBack.size), expectedEnd, `seed ${seed}: every offset read back once`);
  for (const ack of allAcks)
    for (let i = 0; i < ack.count; i++)
      assert.equal(readBack.get(ack.first + BigInt(i)), `${ack.round}:${ack.writer}:${ack.seq}:${i}`);
  assert.ok(allAcks.length >= rounds, `seed ${seed}: each round acknowledged something (${allAcks.length})`);
});

const smallSegments = parseLogConfig({ "segment.bytes": "1000", "index.interval.bytes": "100" });

/** A partition with 20 batches of 2 records (offsets 0..39) over several segments, closed cleanly. */
async function writeClosedPartition(t: TestContextLike) {
  const dataDir = await tempDir(t, "nagare-damage-");
  const manager = await LogManager.open({
    logDirs: [dataDir],
    defaultConfig: smallSegments,
    clock: () => baseTime,
    logger: captureLogger(),
  });
  const log = await manager.createLog("t", 0);
  for (let i = 0; i < 20; i++) await log.append(batch(`b${i}`, 2, { size: 40 }));
  const segments = log.segments.map((s) => s.baseOffset);
  const lastBatchSize = (await log.read(38n, { maxBytes: 10_000 })).records.length;
  await manager.close();
  const dir = join(dataDir, "t-0");
  const lastLog = join(dir, segmentFileName(segments[segments.length - 1] as bigint, ".log"));
  return { dataDir, dir, segments, lastLog, lastBatchSize };
}

async function reopen(t: TestContextLike, dataDir: string) {
  const logger = captureLogger();
  const manager = await LogManager.open({
    logDirs: [dataDir],
    defaultConfig: smallSegments,
    clock: () => baseTime,
    logger,
  });
  onCleanup(t, () => manager.close());
  return { manager, logger, log: manager.getLog("t", 0) as PartitionLog };
}

async function assertUsable(log: PartitionLog, end: bigint): Promise<void> {
  assert.equal(log.logEndOffset, end);
  const all = await readAll(log);
  assert.equal(all.length, Number(end));
  assert.equal(all[all.length - 1], `${end - 1n}=b${(end - 1n) / 2n}:${(end - 1n) % 2n}`);
  assert.equal((await log.append(batch("next", 1))).firstOffset, end, "appends continue at the log end");
  assert.deepEqual(values((await log.read(end, { maxBytes: 1000 })).records), [`${end}=next:0`]);
}

test("a truncated .log tail after an unclean stop is cut at the last whole batch and reported", async (t) => {
  const { dataDir, lastLog, segments, lastBatchSize } = await writeClosedPartition(t);
  await rm(join(dataDir, cleanShutdownFileName)); // the process died instead of closing
  const { size } = await stat(lastLog);
  await truncate(lastLog, size - 7);
  const { manager, logger, log } = await reopen(t, dataDir);
  const [report] = manager.recoveryReports;
  const last = report?.segments.find((s) => s.baseOffset === segments[segments.length - 1]);
  assert.equal(last?.truncatedBytes, lastBatchSize - 7);
  assert.match(last?.reason ?? "", /torn batch/);
  assert.equal(report?.truncatedBytes, lastBatchSize - 7);
  const warning = logger.events.find((e) => e.message === "truncated a torn or corrupt segment tail");
  assert.equal(warning?.fields.topic, "t");
  assert.equal(warning?.fields.segment, String(segments[segments.length - 1]));
  assert.equal(warning?.fields.truncatedBytes, lastBatchSize - 7);
  await assertUsable(log, 38n);
});

test("deleted .index and .timeindex files are rebuilt, even after a clean shutdown", async (t) => {
  const { dataDir, dir, segments } = await writeClosedPartition(t);
  const before = await reopen(t, dataDir);
  const entries = before.log.segments.map((s) => [s.offsetIndex.index.entries, s.timeIndex.index.entries]);
  await before.manager.close();
  const older = segments[1] as bigint;
  const active = segments[segments.length - 1] as bigint;
  for (const base of [older, active]) {
    await rm(join(dir, segmentFileName(base, ".index")));
    await rm(join(dir, segmentFileName(base, ".timeindex")));
  }
  const { manager, log, logger } = await reopen(t, dataDir);
  const [report] = manager.recoveryReports;
  assert.deepEqual(report?.missingIndexes, [older, active]);
  assert.deepEqual(
    report?.segments.map((s) => s.baseOffset),
    segments.slice(1),
    "recovery ran from the first segment that lost an index",
  );
  assert.equal(report?.truncatedBytes, 0);
  assert.ok(
    logger.events.some(
      (e) => e.message === "rebuilt missing index files" && e.fields.segment === String(older),
    ),
  );
  assert.deepEqual(
    log.segments.map((s) => [s.offsetIndex.index.entries, s.timeIndex.index.entries]),
    entries,
    "the rebuilt indexes have the entries the lost ones had",
  );
  assert.ok((entries[1]?.[0] ?? 0) > 0, "the older segment's index had entries to lose");
  assert.deepEqual(await log.offsetForTimestamp(BigInt(baseTime)), {
    offset: 0n,
    timestamp: BigInt(baseTime),
  });
  await assertUsable(log, 40n);
});

test("a corrupted byte in the last batch fails its CRC: the batch is cut, the log stays usable", async (t) => {
  const { dataDir, lastLog, lastBatchSize } = await writeClosedPartition(t);
  await rm(join(dataDir, cleanShutdownFileName));
  const bytes = await readFile(lastLog);
  const at = bytes.length - 5; // inside the last batch's records, covered by its CRC-32C
  bytes.writeUInt8((bytes[at] as number) ^ 0x5a, at);
  await writeFile(lastLog, bytes);
  const { manager, log } = await reopen(t, dataDir);
  const damaged = manager.recoveryReports[0]?.segments.find((s) => s.truncatedBytes > 0);
  assert.match(damaged?.reason ?? "", /CRC-32C mismatch in the batch at offset 38/);
  assert.equal(damaged?.truncatedBytes, lastBatchSize);
  await assertUsable(log, 38n);
});

test("a clean restart skips recovery: nothing is re-scanned, the report is empty", async (t) => {
  const { dataDir, lastLog } = await writeClosedPartition(t);
  // Damage that recovery would cut. With the clean-shutdown marker present the files are trusted
  // as they are, so the damage surviving the open proves no segment was re-scanned.
  const bytes = await readFile(lastLog);
  bytes.writeUInt8((bytes[bytes.length - 5] as number) ^ 0x5a, bytes.length - 5);
  await writeFile(lastLog, bytes);
  const { manager, log, logger } = await reopen(t, dataDir);
  assert.deepEqual(manager.recoveryReports, []);
  assert.equal(log.logEndOffset, 40n);
  assert.ok(logger.events.some((e) => e.message === "loaded logs after a clean shutdown"));
  assert.ok(!logger.events.some((e) => e.level === "warn"));
});
