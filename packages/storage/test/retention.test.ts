import assert from "node:assert/strict";
import { mkdtemp, rm, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { encodeMessages } from "@nagare/protocol/records";
import { parseLogConfig } from "../src/log-config.ts";
import { PartitionLog } from "../src/partition-log.ts";
import { applyRetention } from "../src/retention.ts";
import { StorageError } from "../src/storage-error.ts";

const day = 86_400_000;
const start = 1_700_000_000_000;

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "nagare-retention-"));
  t.after(() => rm(root, { recursive: true, force: true }));
  return join(root, "topic-0");
}

/**
 * A log with one closed segment per entry of `timestamps` (each holding one batch of 3 records
 * stamped with that time) plus an active segment stamped `activeTimestamp`.
 */
async function logWithSegments(
  dir: string,
  config: Record<string, string>,
  clock: { now: number },
  timestamps: readonly number[],
  activeTimestamp: number,
  valueBytes = 100,
): Promise<PartitionLog> {
  const { log } = await PartitionLog.open({
    dir,
    config: parseLogConfig({ "message.timestamp.before.max.ms": String(100 * day), ...config }),
    clock: () => clock.now,
  });
  const append = (ts: number) =>
    log.append(
      encodeMessages(
        [0, 1, 2].map((i) => ({ key: `k${i}`, value: "v".repeat(valueBytes), timestamp: BigInt(ts) })),
      ),
    );
  for (const ts of timestamps) {
    await append(ts);
    await log.roll();
  }
  await append(activeTimestamp);
  return log;
}

function bases(log: PartitionLog): bigint[] {
  return log.segments.map((s) => s.baseOffset);
}

test("retention.ms deletes closed segments whose largest timestamp is older, and advances the log start", async (t) => {
  const dir = await tempDir(t);
  const clock = { now: start };
  // Segments stamped 10, 8, 3 and 1 days ago; the active one 10 days ago too.
  const log = await logWithSegments(
    dir,
    { "retention.ms": String(7 * day) },
    clock,
    [start - 10 * day, start - 8 * day, start - 3 * day, start - day],
    start - 10 * day,
  );
  t.after(() => log.close());
  assert.deepEqual(bases(log), [0n, 3n, 6n, 9n, 12n]);
  const result = await applyRetention(log, clock.now);
  assert.equal(result.reason, "time");
  assert.deepEqual(result.deletedSegments, [0n, 3n]);
  assert.deepEqual(result.timeBreach, [0n, 3n]);
  assert.deepEqual(bases(log), [6n, 9n, 12n]);
  assert.equal(log.logStartOffset, 6n);
  await assert.rejects(
    log.read(5n, { maxBytes: 1000 }),
    (e: unknown) => e instanceof StorageError && e.code === "OFFSET_OUT_OF_RANGE",
  );

  // Exactly retention.ms old is not "older than" (Kafka: now - largestTimestamp > retention.ms).
  clock.now = start - 3 * day + 7 * day;
  assert.deepEqual((await applyRetention(log, clock.now)).deletedSegments, []);
  clock.now += 1;
  assert.deepEqual((await applyRetention(log, clock.now)).deletedSegments, [6n]);

  // The active segment stays, however old: only closed segments are deleted.
  clock.now = start + 100 * day;
  assert.deepEqual((await applyRetention(log, clock.now)).deletedSegments, [9n]);
  assert.deepEqual(bases(log), [12n]);
  assert.deepEqual((await applyRetention(log, clock.now)).deletedSegments, []);
});

test("retention.ms stops at the first segment it keeps, like Kafka", async (t) => {
  const dir = await tempDir(t);
  const clock = { now: start };
  const log = await logWithSegments(
    dir,
    { "retention.ms": String(7 * day) },
    clock,
    [start - 10 * day, start - day, start - 10 * day],
    start,
  );
  t.after(() => log.close());
  assert.deepEqual((await applyRetention(log, clock.now)).deletedSegments, [0n]);
  assert.deepEqual(bases(log), [3n, 6n, 9n]);
});

test("a segment without timestamps is aged by its file's last-modified time", async (t) => {
  const dir = await tempDir(t);
  const clock = { now: start };
  const log = await logWithSegments(dir, { "retention.ms": String(7 * day) }, clock, [-1, -1], start);
  t.after(() => log.close());
  const [first] = log.segments;
  assert.ok(first);
  assert.equal(first.maxTimestamp, -1n);
  const old = new Date(start - 8 * day);
  await utimes(first.logPath, old, old);
  const result = await applyRetention(log, clock.now);
  assert.deepEqual(result.deletedSegments, [0n], "the first segment's file is 8 days old; the second is new");
});

test("retention.bytes deletes the oldest segments while the rest still holds retention.bytes", async (t) => {
  const dir = await tempDir(t);
  const clock = { now: start };
  const log = await logWithSegments(
    dir,
    { "retention.ms": "-1", "retention.bytes": "0" },
    clock,
    [start, start, start, start, start],
    start,
  );
  t.after(() => log.close());
  const segmentSize = (log.segments[0] as { size: number }).size;
  assert.ok(log.segments.every((s) => s.size === segmentSize));
  // Six segments; keep at least 2.5 segments' worth: three segments go (6 - 3 = 3 ≥ 2.5, a fourth
  // would leave 2 < 2.5).
  log.updateConfig(
    parseLogConfig({
      "message.timestamp.before.max.ms": String(100 * day),
      "retention.ms": "-1",
      "retention.bytes": String(Math.floor(2.5 * segmentSize)),
    }),
  );
  const result = await applyRetention(log, clock.now);
  assert.equal(result.reason, "size");
  assert.deepEqual(result.sizeBreach, [0n, 3n, 6n]);
  assert.ok(log.size >= 2.5 * segmentSize);
  assert.ok(log.size - segmentSize < 2.5 * segmentSize);
  assert.equal(log.logStartOffset, 9n);

  // Exactly retention.bytes left after a deletion still deletes (size - segment ≥ retention.bytes).
  log.updateConfig(
    parseLogConfig({
      "message.timestamp.before.max.ms": String(100 * day),
      "retention.ms": "-1",
      "retention.bytes": String(2 * segmentSize),
    }),
  );
  assert.deepEqual((await applyRetention(log, clock.now)).deletedSegments, [9n]);
  assert.equal(log.size, 2 * segmentSize);
});

test("-1 keeps everything forever, and retention needs cleanup.policy delete", async (t) => {
  const dir = await tempDir(t);
  const clock = { now: start };
  const log = await logWithSegments(
    dir,
    { "retention.ms": "-1", "retention.bytes": "-1" },
    clock,
    [start - 90 * day, start - 80 * day],
    start - 70 * day,
  );
  t.after(() => log.close());
  clock.now = start + 1000 * day;
  const kept = await applyRetention(log, clock.now);
  assert.deepEqual(kept.deletedSegments, []);
  assert.equal(kept.reason, "none");

  log.updateConfig(
    parseLogConfig({
      "message.timestamp.before.max.ms": String(100 * day),
      "cleanup.policy": "compact",
      "retention.ms": "1",
      "retention.bytes": "1",
    }),
  );
  assert.deepEqual((await applyRetention(log, clock.now)).deletedSegments, [], "compact only: no retention");
});

test("segments wholly below the log start offset are deleted whatever the cleanup policy", async (t) => {
  const dir = await tempDir(t);
  const clock = { now: start };
  const config = { "cleanup.policy": "compact", "retention.ms": "-1" };
  const built = await logWithSegments(dir, config, clock, [start, start, start, start], start);
  await built.close();
  // The log start offset moved to 7 (inside the third segment, [6, 9)) while the segments stayed,
  // as after DeleteRecords followed by a restart.
  const { log } = await PartitionLog.open({
    dir,
    config: parseLogConfig(config),
    clock: () => clock.now,
    logStartOffset: 7n,
  });
  t.after(() => log.close());
  assert.deepEqual(bases(log), [0n, 3n, 6n, 9n, 12n]);
  const result = await applyRetention(log, clock.now);
  assert.deepEqual(result.logStartBreach, [0n, 3n]);
  assert.deepEqual(result.deletedSegments, [0n, 3n]);
  assert.equal(result.reason, "none");
  assert.deepEqual(bases(log), [6n, 9n, 12n], "the segment holding the log start stays");
  assert.equal(log.logStartOffset, 7n);
});

test("with a high watermark, only segments wholly below it are deleted", async (t) => {
  const dir = await tempDir(t);
  const clock = { now: start };
  const log = await logWithSegments(
    dir,
    { "retention.ms": String(day) },
    clock,
    [start - 10 * day, start - 10 * day, start - 10 * day],
    start,
  );
  t.after(() => log.close());
  const result = await applyRetention(log, clock.now, { highWatermark: 4n });
  assert.deepEqual(result.deletedSegments, [0n], "[3, 6) is not wholly below 4");
  assert.deepEqual((await applyRetention(log, clock.now, { highWatermark: 6n })).deletedSegments, [3n]);
});
