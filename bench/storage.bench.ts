// Storage benchmarks: PartitionLog append (16 KiB and 1 MiB batches), durable mode (flush.messages=1)
// with one and eight appenders in flight, sequential read, and recovery of a ~1 GiB partition after
// an unclean stop — each next to the raw limit measured in the same run on the same disk:
//
// - raw write: FileHandle.write of the same sizes, positional, appending to one file;
// - raw write+fsync: the same writes, serialised as a log must be, with fsyncs at the cadence the
//   durable log uses: after each write with one writer; with several writers, group commit — an
//   fsync starts when none is running and covers every write completed before it (the algorithm
//   of PartitionLog.flushUpTo, minus the log);
// - raw read: FileHandle.read of 1 MiB chunks of the segment the log wrote.
//
// Appends take batches from a pool of pre-built valid batches (encodeMessages, built once, then
// copied into the pool before timing): append patches offsets in place, and a broker gets a fresh
// buffer per request from the socket, so no copy is timed on either side. Each measurement is
// bounded by bytes (≤ 768 MiB) and time (1 s) and repeated in alternating rounds after a warm-up; the
// table shows medians and every round. Temp files live in os.tmpdir() and are removed after each
// measurement; at most ~1.05 GiB is on disk at once. The whole run takes about a minute.
//
//   npm run bench:storage        (node bench/storage.bench.ts)

import { execFile } from "node:child_process";
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeMessages } from "../packages/protocol/src/records/index.ts";
import { parseLogConfig } from "../packages/storage/src/log-config.ts";
import { PartitionLog } from "../packages/storage/src/partition-log.ts";

const KiB = 1024;
const MiB = 1024 * KiB;
const rounds = 5;
const appendBudget = { bytes: 768 * MiB, ms: 1000 };
const durableBudget = { bytes: 256 * MiB, ms: 1000 };
const recoveryBudget = { bytes: 1024 * MiB, ms: 30_000 };
const poolSize = 16;
const now = Date.now();

interface Sample {
  readonly bytes: number;
  readonly ops: number;
  readonly seconds: number;
}

const mibPerSec = (s: Sample) => s.bytes / MiB / s.seconds;

function median(samples: readonly Sample[]): Sample {
  return [...samples].sort((a, b) => mibPerSec(a) - mibPerSec(b))[Math.floor(samples.length / 2)] as Sample;
}

/** One valid batch of about `size` bytes: records with 1000-byte incompressible values. */
function batchOfSize(size: number): Buffer {
  const valueBytes = 1000;
  const count = Math.max(1, Math.floor((size - 61) / (valueBytes + 20)));
  const value = Buffer.alloc(valueBytes);
  for (let i = 0; i < valueBytes; i++) value[i] = (i * 2654435761) >>> 24;
  return encodeMessages(
    Array.from({ length: count }, (_, i) => ({ key: `key-${i}`, value, timestamp: BigInt(now + i) })),
  );
}

function pool(template: Buffer): Buffer[] {
  return Array.from({ length: poolSize }, () => Buffer.from(template));
}

/** Runs `step` until the byte or time budget is spent; `step` returns the bytes it wrote. */
async function timed(budget: { bytes: number; ms: number }, step: () => Promise<number>): Promise<Sample> {
  const start = performance.now();
  let bytes = 0;
  let ops = 0;
  while (bytes < budget.bytes && performance.now() - start < budget.ms) {
    bytes += await step();
    ops++;
  }
  return { bytes, ops, seconds: (performance.now() - start) / 1000 };
}

/** `writers` loops sharing the budget; each resolves its step before starting the next. */
async function timedConcurrent(
  budget: { bytes: number; ms: number },
  writers: number,
  step: (writer: number) => Promise<number>,
): Promise<Sample> {
  const start = performance.now();
  let bytes = 0;
  let ops = 0;
  const loop = async (writer: number) => {
    while (bytes < budget.bytes && performance.now() - start < budget.ms) {
      const written = await step(writer); // not `bytes += await …`: that reads `bytes` before awaiting
      bytes += written;
      ops++;
    }
  };
  await Promise.all(Array.from({ length: writers }, (_, i) => loop(i)));
  return { bytes, ops, seconds: (performance.now() - start) / 1000 };
}

async function withDir<T>(task: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "nagare-bench-"));
  try {
    return await task(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Plain sequential positional writes of the same pooled buffers, no fsync. */
function rawWrite(size: number): Promise<Sample> {
  return withDir(async (dir) => {
    const file = await open(join(dir, "raw.log"), "w+");
    const buffers = pool(batchOfSize(size));
    let position = 0;
    let i = 0;
    try {
      return await timed(appendBudget, async () => {
        const buf = buffers[i++ % poolSize] as Buffer;
        await file.write(buf, 0, buf.length, position);
        position += buf.length;
        return buf.length;
      });
    } finally {
      await file.sync(); // untimed, as the log's close is: both runs leave the disk equally busy
      await file.close();
    }
  });
}

/** Writes serialised in order, each writer waiting for an fsync that covers its write (group commit). */
function rawWriteFsync(size: number, writers: number): Promise<Sample & { fsyncs: number }> {
  return withDir(async (dir) => {
    const file = await open(join(dir, "raw.log"), "w+");
    const buffers = pool(batchOfSize(size));
    let i = 0;
    let tail: Promise<unknown> = Promise.resolve();
    let written = 0;
    let synced = 0;
    let syncing: Promise<void> | undefined;
    let fsyncs = 0;
    const syncOnce = async () => {
      const target = written;
      fsyncs++;
      await file.sync();
      if (target > synced) synced = target;
    };
    const step = async () => {
      const buf = buffers[i++ % poolSize] as Buffer;
      const write = tail.then(async () => {
        await file.write(buf, 0, buf.length, written);
        written += buf.length;
        return written;
      });
      tail = write;
      const end = await write;
      while (synced < end) {
        syncing ??= syncOnce().finally(() => {
          syncing = undefined;
        });
        await syncing;
      }
      return buf.length;
    };
    try {
      const sample = await timedConcurrent(durableBudget, writers, step);
      return { ...sample, fsyncs };
    } finally {
      await file.close();
    }
  });
}

async function openLog(dir: string, values: Record<string, string> = {}): Promise<PartitionLog> {
  return (await PartitionLog.open({ dir: join(dir, "bench-0"), config: parseLogConfig(values) })).log;
}

/** Appends `size` batches, then reads the log back (and the segment file raw) for the read figures. */
function logAppendAndRead(size: number): Promise<{ append: Sample; read: Sample; rawRead: Sample }> {
  return withDir(async (dir) => {
    const log = await openLog(dir);
    try {
      const batches = pool(batchOfSize(size));
      let i = 0;
      const append = await timed(appendBudget, async () => {
        const batch = batches[i++ % poolSize] as Buffer;
        await log.append(batch);
        return batch.length;
      });
      let offset = log.logStartOffset;
      const read = await timed({ bytes: Number.POSITIVE_INFINITY, ms: 60_000 }, async () => {
        if (offset >= log.logEndOffset) return Number.POSITIVE_INFINITY; // done: ends the loop
        const { records } = await log.read(offset, { maxBytes: MiB });
        offset = records.readBigInt64BE(records.length - lastBatchSize(records)) + lastBatchCount(records);
        return records.length;
      });
      const rawRead = await readFileRaw(log.active.logPath, log.active.size);
      return { append, read: { ...read, bytes: log.size, ops: read.ops - 1 }, rawRead };
    } finally {
      await log.close();
    }
  });
}

/** Size of the last whole batch in `records` (read returns whole batches). */
function lastBatchSize(records: Buffer): number {
  let position = 0;
  let size = 0;
  while (position < records.length) {
    size = 12 + records.readInt32BE(position + 8);
    position += size;
  }
  return size;
}

function lastBatchCount(records: Buffer): bigint {
  const last = records.length - lastBatchSize(records);
  return BigInt(records.readInt32BE(last + 23)) + 1n;
}

/** Sequential 1 MiB reads, each into a fresh buffer (a reader hands its buffer on, as the log does). */
async function readFileRaw(path: string, size: number): Promise<Sample> {
  const file = await open(path, "r");
  try {
    let position = 0;
    return await timed({ bytes: size, ms: 60_000 }, async () => {
      const buf = Buffer.allocUnsafe(MiB);
      const { bytesRead } = await file.read(buf, 0, MiB, position);
      position += bytesRead;
      return bytesRead === 0 ? Number.POSITIVE_INFINITY : bytesRead;
    }).then((s) => ({ ...s, bytes: size }));
  } finally {
    await file.close();
  }
}

/** Durable mode: every append resolves after an fsync that covers it. */
function durableAppend(size: number, writers: number): Promise<Sample> {
  return withDir(async (dir) => {
    const log = await openLog(dir, { "flush.messages": "1" });
    try {
      const batches = pool(batchOfSize(size));
      let i = 0;
      return await timedConcurrent(durableBudget, writers, async () => {
        const batch = batches[i++ % poolSize] as Buffer;
        await log.append(batch);
        return batch.length;
      });
    } finally {
      await log.close();
    }
  });
}

/** Drops a file's pages from the page cache (posix_fadvise DONTNEED via python3), if possible. */
function evictFromPageCache(paths: readonly string[]): Promise<boolean> {
  const script = [
    "import os, sys",
    "for p in sys.argv[1:]:",
    "    fd = os.open(p, os.O_RDONLY)",
    "    os.fsync(fd)",
    "    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)",
    "    os.close(fd)",
  ].join("\n");
  return new Promise((resolve) => {
    execFile("python3", ["-c", script, ...paths], { timeout: 60_000 }, (error) => resolve(error === null));
  });
}

interface RecoveryFigures {
  readonly written: Sample;
  readonly warm: Sample;
  readonly cold: Sample | undefined;
  readonly batches: number;
}

/** Writes ~1 GiB of 1 MiB batches, then times `open({ recover: true, recoveryPoint: 0 })`. */
function recovery(): Promise<RecoveryFigures> {
  return withDir(async (dir) => {
    const crashed = await openLog(dir);
    const opened: PartitionLog[] = [crashed];
    try {
      const batches = pool(batchOfSize(MiB));
      let i = 0;
      const written = await timed(recoveryBudget, async () => {
        const batch = batches[i++ % poolSize] as Buffer;
        await crashed.append(batch);
        return batch.length;
      });
      // The OS kept what was written (a process crash); the log is never closed: its active
      // segment's indexes are still preallocated and nothing marks the stop clean.
      await crashed.flush();
      const recoverOnce = async (): Promise<{ sample: Sample; batches: number }> => {
        const start = performance.now();
        const { log, recovery } = await PartitionLog.open({
          dir: join(dir, "bench-0"),
          config: parseLogConfig({}),
          recover: true,
          recoveryPoint: 0n,
        });
        const seconds = (performance.now() - start) / 1000;
        opened.push(log);
        if (recovery.truncatedBytes !== 0)
          throw new Error(`recovery truncated ${recovery.truncatedBytes} bytes`);
        const batches = recovery.segments.reduce((n, s) => n + s.batches, 0);
        return { sample: { bytes: log.size, ops: batches, seconds }, batches };
      };
      const warm = await recoverOnce();
      const paths = crashed.segments.map((s) => s.logPath);
      const cold = (await evictFromPageCache(paths)) ? (await recoverOnce()).sample : undefined;
      return { written, warm: warm.sample, cold, batches: warm.batches };
    } finally {
      for (const log of opened.reverse()) await log.close().catch(() => undefined);
    }
  });
}

interface Row {
  readonly name: string;
  readonly sample: Sample;
  readonly note?: string;
}

function spread(samples: readonly Sample[]): string {
  return `rounds: ${samples.map((s) => mibPerSec(s).toFixed(0)).join(" ")}`;
}

function printTable(rows: readonly Row[]): void {
  const width = Math.max(...rows.map((r) => r.name.length));
  console.log(`${"benchmark".padEnd(width)}  ${"MiB/s".padStart(8)}  ${"ops/s".padStart(8)}  note`);
  for (const { name, sample, note } of rows) {
    const ops = sample.ops / sample.seconds;
    console.log(
      `${name.padEnd(width)}  ${mibPerSec(sample).toFixed(0).padStart(8)}  ${ops.toFixed(0).padStart(8)}  ${note ?? ""}`,
    );
  }
}

async function main(): Promise<void> {
  console.log(`Node ${process.version}, ${process.arch}; temp dir ${tmpdir()}; medians of ${rounds} rounds`);
  const rows: Row[] = [];
  const comparisons: string[] = [];
  const compare = (label: string, ours: Sample, raw: Sample, target: number) => {
    const ratio = mibPerSec(ours) / mibPerSec(raw);
    comparisons.push(
      `${label}: ${(ratio * 100).toFixed(0)}% of raw (target ≥ ${target * 100}%) ${ratio >= target ? "met" : "MISSED"}`,
    );
  };

  // Warm-up, not counted: the JIT, the thread pool, the file system's metadata, and the page cache
  // (in a VM, memory the guest has not touched yet costs extra the first time a write lands in it).
  await rawWrite(MiB);
  await logAppendAndRead(MiB);
  await rawWrite(16 * KiB);
  await logAppendAndRead(16 * KiB);

  for (const size of [16 * KiB, MiB]) {
    const label = size === MiB ? "1 MiB" : "16 KiB";
    const raw: Sample[] = [];
    const ours: { append: Sample; read: Sample; rawRead: Sample }[] = [];
    for (let round = 0; round < rounds; round++) {
      raw.push(await rawWrite(size));
      ours.push(await logAppendAndRead(size));
    }
    const rawMedian = median(raw);
    const append = median(ours.map((o) => o.append));
    rows.push({ name: `raw write, ${label}`, sample: rawMedian, note: spread(raw) });
    rows.push({
      name: `PartitionLog.append, ${label} batches`,
      sample: append,
      note: spread(ours.map((o) => o.append)),
    });
    rows.push({
      name: `raw read 1 MiB chunks (${label}-batch log)`,
      sample: median(ours.map((o) => o.rawRead)),
    });
    rows.push({
      name: `PartitionLog.read maxBytes 1 MiB (${label}-batch log)`,
      sample: median(ours.map((o) => o.read)),
    });
    compare(`append ${label}`, append, rawMedian, 0.8);
    const read = median(ours.map((o) => o.read));
    comparisons.push(
      `read (${label}-batch log): ${((mibPerSec(read) / mibPerSec(median(ours.map((o) => o.rawRead)))) * 100).toFixed(0)}% of raw (no target)`,
    );
  }

  for (const size of [16 * KiB, MiB]) {
    const label = size === MiB ? "1 MiB" : "16 KiB";
    for (const writers of [1, 8]) {
      const raw: (Sample & { fsyncs: number })[] = [];
      const ours: Sample[] = [];
      for (let round = 0; round < rounds; round++) {
        raw.push(await rawWriteFsync(size, writers));
        ours.push(await durableAppend(size, writers));
      }
      const rawMedian = median(raw) as Sample & { fsyncs: number };
      const durable = median(ours);
      const cadence = `${(rawMedian.ops / rawMedian.fsyncs).toFixed(1)} writes per fsync`;
      rows.push({
        name: `raw write+fsync, ${label}, ${writers} in flight`,
        sample: rawMedian,
        note: `${cadence}; ${spread(raw)}`,
      });
      rows.push({
        name: `durable append (flush.messages=1), ${label}, ${writers} in flight`,
        sample: durable,
        note: spread(ours),
      });
      compare(`durable ${label}, ${writers} in flight`, durable, rawMedian, 0.5);
    }
  }

  const rec = await recovery();
  rows.push({
    name: `write ${(rec.written.bytes / MiB).toFixed(0)} MiB for recovery (1 MiB batches)`,
    sample: rec.written,
  });
  rows.push({
    name: "recovery, page cache warm (open recover:true, recoveryPoint 0)",
    sample: rec.warm,
    note: `${rec.warm.seconds.toFixed(2)} s for ${(rec.warm.bytes / MiB).toFixed(0)} MiB, ${rec.batches} batches`,
  });
  if (rec.cold)
    rows.push({
      name: "recovery, page cache dropped for the .log files",
      sample: rec.cold,
      note: `${rec.cold.seconds.toFixed(2)} s`,
    });
  else comparisons.push("recovery with a cold page cache: skipped (python3 posix_fadvise unavailable)");

  console.log();
  printTable(rows);
  console.log("\ncomparisons (ops/s columns: appends, reads, or batches recovered per second):");
  for (const line of comparisons) console.log(`  ${line}`);
}

await main();
