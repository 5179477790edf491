import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { batchMessages, decodeBatches, encodeMessages } from "@nagare/protocol/records";
import { parseLogConfig } from "../src/log-config.ts";
import { PartitionLog } from "../src/partition-log.ts";
import { StorageError } from "../src/storage-error.ts";

const now = 1_700_000_000_000;
const clock = () => now;

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "nagare-log-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return join(dir, "topic-0");
}

function batch(
  from: number,
  count: number,
  options: { key?: boolean; size?: number; ts?: number } = {},
): Buffer {
  return encodeMessages(
    Array.from({ length: count }, (_, i) => ({
      key: options.key === false ? null : `k${from + i}`,
      value: `v${from + i}`.padEnd(options.size ?? 0, "."),
      timestamp: BigInt((options.ts ?? now) + from + i),
    })),
  );
}

function values(records: Buffer): string[] {
  return decodeBatches(records).flatMap((b) =>
    batchMessages(b).map((m) => `${m.offset}:${m.value?.toString().replace(/\.+$/, "")}`),
  );
}

function isStorageError(code: string) {
  return (error: unknown) => error instanceof StorageError && error.code === code;
}

test("append assigns contiguous offsets and read returns whole batches from the one containing the offset", async (t) => {
  const dir = await tempDir(t);
  const { log } = await PartitionLog.open({ dir, config: parseLogConfig({}), clock });
  t.after(() => log.close());
  const first = await log.append(batch(0, 3));
  const second = await log.append(batch(3, 2));
  assert.equal(first.firstOffset, 0n);
  assert.equal(first.lastOffset, 2n);
  assert.equal(second.firstOffset, 3n);
  assert.equal(log.logEndOffset, 5n);
  const fromMiddle = await log.read(1n, { maxBytes: 1 << 20 });
  assert.equal(fromMiddle.firstBatchOffset, 0n);
  assert.deepEqual(values(fromMiddle.records), ["0:v0", "1:v1", "2:v2", "3:v3", "4:v4"]);
  const bounded = await log.read(0n, { maxBytes: 1 << 20, upperBound: 3n });
  assert.deepEqual(values(bounded.records), ["0:v0", "1:v1", "2:v2"]);
  const atEnd = await log.read(5n, { maxBytes: 1 << 20 });
  assert.equal(atEnd.records.length, 0);
  await assert.rejects(log.read(6n, { maxBytes: 100 }), isStorageError("OFFSET_OUT_OF_RANGE"));
});

test("maxBytes keeps whole batches but always returns the first one", async (t) => {
  const dir = await tempDir(t);
  const { log } = await PartitionLog.open({ dir, config: parseLogConfig({}), clock });
  t.after(() => log.close());
  await log.append(batch(0, 1, { size: 500 }));
  await log.append(batch(1, 1, { size: 500 }));
  const small = await log.read(0n, { maxBytes: 10 });
  assert.deepEqual(values(small.records), ["0:v0"]);
  const one = await log.read(0n, { maxBytes: 700 });
  assert.equal(values(one.records).length, 1);
});

test("segments roll at segment.bytes and reads cross into later segments", async (t) => {
  const dir = await tempDir(t);
  const { log } = await PartitionLog.open({
    dir,
    config: parseLogConfig({ "segment.bytes": "2000", "index.interval.bytes": "100" }),
    clock,
  });
  for (let i = 0; i < 40; i++) await log.append(batch(i * 2, 2, { size: 60 }));
  assert.ok(log.segments.length > 3, `expected several segments, got ${log.segments.length}`);
  for (let offset = 0n; offset < 80n; offset += 7n) {
    const { records } = await log.read(offset, { maxBytes: 300 });
    const got = values(records);
    assert.ok(
      got.some((v) => v.startsWith(`${offset}:`)),
      `offset ${offset} readable`,
    );
  }
  await log.close();
  const files = await readdir(dir);
  assert.ok(files.includes("00000000000000000000.log"));
  assert.ok(files.some((f) => f.endsWith(".index")) && files.some((f) => f.endsWith(".timeindex")));
});

test("reopening after a clean close and after a torn tail", async (t) => {
  const dir = await tempDir(t);
  const config = parseLogConfig({ "segment.bytes": "4000", "index.interval.bytes": "200" });
  {
    const { log } = await PartitionLog.open({ dir, config, clock });
    for (let i = 0; i < 30; i++) await log.append(batch(i * 3, 3, { size: 40 }));
    await log.close();
  }
  {
    const { log, recovery } = await PartitionLog.open({ dir, config, clock });
    assert.equal(log.logEndOffset, 90n);
    assert.equal(recovery.truncatedBytes, 0);
    assert.deepEqual(values((await log.read(88n, { maxBytes: 1000 })).records), [
      "87:v87",
      "88:v88",
      "89:v89",
    ]);
    await log.close();
  }
  const segments = (await readdir(dir)).filter((f) => f.endsWith(".log")).sort();
  const lastLog = join(dir, segments[segments.length - 1] as string);
  const { size } = await stat(lastLog);
  await truncate(lastLog, size - 10); // tear the last batch
  {
    const { log, recovery } = await PartitionLog.open({
      dir,
      config,
      clock,
      recover: true,
      recoveryPoint: 0n,
    });
    assert.ok(recovery.truncatedBytes > 0);
    assert.equal(log.logEndOffset, 87n);
    const appended = await log.append(batch(87, 1));
    assert.equal(appended.firstOffset, 87n);
    await log.close();
  }
});

test("validation: MESSAGE_TOO_LARGE, CORRUPT_MESSAGE, keyless records on compacted topics", async (t) => {
  const dir = await tempDir(t);
  const { log } = await PartitionLog.open({
    dir,
    config: parseLogConfig({ "max.message.bytes": "300", "cleanup.policy": "compact" }),
    clock,
  });
  t.after(() => log.close());
  await assert.rejects(log.append(batch(0, 1, { size: 400 })), isStorageError("MESSAGE_TOO_LARGE"));
  const corrupt = batch(0, 2);
  corrupt.writeUInt8((corrupt.at(-1) as number) ^ 0xff, corrupt.length - 1);
  await assert.rejects(log.append(corrupt), isStorageError("CORRUPT_MESSAGE"));
  await assert.rejects(log.append(batch(0, 2, { key: false })), isStorageError("INVALID_RECORD"));
  await assert.rejects(
    log.append(Buffer.from("garbage that is not a batch at all, really not")),
    isStorageError("CORRUPT_MESSAGE"),
  );
  assert.equal(log.logEndOffset, 0n);
  await log.append(batch(0, 2));
  assert.equal(log.logEndOffset, 2n);
});

test("LogAppendTime stamps the broker time; CreateTime outside the allowed window is rejected", async (t) => {
  const dir = await tempDir(t);
  const { log } = await PartitionLog.open({
    dir,
    config: parseLogConfig({ "message.timestamp.type": "LogAppendTime" }),
    clock,
  });
  const result = await log.append(batch(0, 2, { ts: 5 }));
  assert.equal(result.logAppendTime, BigInt(now));
  const read = decodeBatches((await log.read(0n, { maxBytes: 1000 })).records);
  assert.equal(batchMessages(read[0] as never)[0]?.timestamp, BigInt(now));
  await log.close();
  const strict = await PartitionLog.open({
    dir: `${dir}-strict`,
    config: parseLogConfig({ "message.timestamp.after.max.ms": "1000" }),
    clock,
  });
  t.after(() => strict.log.delete());
  await assert.rejects(
    strict.log.append(batch(0, 1, { ts: now + 10_000 })),
    isStorageError("INVALID_TIMESTAMP"),
  );
});

test("offsetForTimestamp finds the first record at or after a time; truncateTo and deleteRecordsBefore", async (t) => {
  const dir = await tempDir(t);
  const { log } = await PartitionLog.open({
    dir,
    config: parseLogConfig({ "segment.bytes": "600", "index.interval.bytes": "100" }),
    clock,
  });
  t.after(() => log.close());
  for (let i = 0; i < 20; i++) await log.append(batch(i * 5, 5, { ts: 1000 }));
  // record with offset n has timestamp 1000 + n
  assert.deepEqual(await log.offsetForTimestamp(1042n), { offset: 42n, timestamp: 1042n });
  assert.deepEqual(await log.offsetForTimestamp(0n), { offset: 0n, timestamp: 1000n });
  assert.equal(await log.offsetForTimestamp(5000n), undefined);
  assert.deepEqual(log.maxTimestampOffset(), { offset: 99n, timestamp: 1099n });

  await log.truncateTo(52n); // the batch 50..54 contains 52 and goes too
  assert.equal(log.logEndOffset, 50n);
  assert.equal((await log.append(batch(50, 1))).firstOffset, 50n);

  const before = log.segments.length;
  const start = await log.deleteRecordsBefore(33n);
  assert.equal(start, 33n);
  assert.ok(log.segments.length < before);
  await assert.rejects(log.read(10n, { maxBytes: 100 }), isStorageError("OFFSET_OUT_OF_RANGE"));
  assert.ok(values((await log.read(33n, { maxBytes: 1000 })).records).some((v) => v.startsWith("33:")));
});

test("durable mode (flush.messages=1) advances the recovery point with every acknowledged append", async (t) => {
  const dir = await tempDir(t);
  const { log } = await PartitionLog.open({ dir, config: parseLogConfig({ "flush.messages": "1" }), clock });
  t.after(() => log.close());
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => log.append(batch(i, 1))));
  assert.equal(log.recoveryPoint, 20n);
  assert.deepEqual(
    results.map((r) => r.firstOffset),
    Array.from({ length: 20 }, (_, i) => BigInt(i)),
  );
});

test("recovery rejects a batch whose base offset (outside the CRC) cannot belong to its segment", async (t) => {
  const dir = await tempDir(t);
  const config = parseLogConfig({});
  {
    const { log } = await PartitionLog.open({ dir, config, clock });
    for (let i = 0; i < 5; i++) await log.append(batch(i * 2, 2));
    await log.close();
  }
  const logFile = join(dir, "00000000000000000000.log");
  const bytes = await readFile(logFile);
  const batches = decodeBatches(bytes);
  assert.equal(batches.length, 5);
  // the last batch starts where the first four end; point its baseOffset below the segment
  const lastPosition = bytes.length - encodeBatchSize(bytes, 4);
  bytes.writeBigInt64BE(-7n, lastPosition);
  await writeFile(logFile, bytes);
  const { log, recovery } = await PartitionLog.open({ dir, config, clock, recover: true, recoveryPoint: 0n });
  t.after(() => log.close());
  assert.equal(log.logEndOffset, 8n);
  assert.match(recovery.segments[0]?.reason ?? "", /does not belong in the segment/);
});

/** Size of the batch with index `n` in a buffer of whole batches. */
function encodeBatchSize(bytes: Buffer, n: number): number {
  let position = 0;
  for (let i = 0; i < n; i++) position += 12 + bytes.readInt32BE(position + 8);
  return bytes.length - position === 0 ? 0 : 12 + bytes.readInt32BE(position + 8);
}
