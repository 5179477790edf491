import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { test } from "node:test";
import { batchMessages, decodeBatches } from "@nagare/protocol/records";
import { LogCleaner } from "../../src/cleaner/log-cleaner.ts";
import { parseLogConfig } from "../../src/log-config.ts";
import { PartitionLog } from "../../src/partition-log.ts";
import { applyRetention } from "../../src/retention.ts";
import {
  appendEntries,
  compactedConfig,
  compactedFixture,
  describeRecords,
  expectedAfterClean,
  type ModelRecord,
  manualClock,
  openCompacted,
  random,
  readAll,
  tempLogDir,
} from "./cleaner-test-kit.ts";

/** Random keyed appends (about 10% tombstones) over many segments. */
async function appendRandom(
  log: PartitionLog,
  model: ModelRecord[],
  next: () => number,
  batches: number,
  timestamp: () => number,
): Promise<void> {
  for (let b = 0; b < batches; b++) {
    const count = 1 + Math.floor(next() * 4);
    const entries = Array.from({ length: count }, () => ({
      key: `key-${Math.floor(next() * 25)}`,
      value:
        next() < 0.1 ? null : `value-${Math.floor(next() * 1e9)}`.padEnd(20 + Math.floor(next() * 60), "."),
    }));
    await appendEntries(log, model, entries, timestamp());
  }
}

function assertStrictlyIncreasing(records: readonly ModelRecord[]): void {
  for (let i = 1; i < records.length; i++)
    assert.ok(
      (records[i] as ModelRecord).offset > (records[i - 1] as ModelRecord).offset,
      `offsets go backwards at ${i}`,
    );
}

test("compaction keeps the latest record per key at its offset, in order, and never touches the active segment", async (t) => {
  const { dir, clock, log, cleaner } = await compactedFixture(t);
  const model: ModelRecord[] = [];
  const next = random(42);
  await appendRandom(log, model, next, 300, () => clock.now - 5000);
  assert.ok(log.segments.length >= 6, `expected many segments, got ${log.segments.length}`);
  const active = log.active;
  const activeBytes = await readFile(active.logPath);

  assert.equal(cleaner.needsCleaning(log, 0n, clock.now), true);
  const result = await cleaner.clean(log, 0n, clock.now);
  assert.ok(result && result.aborted === undefined);
  assert.equal(result.cleanedUpTo, active.baseOffset, "everything below the active segment is clean");
  const after = await readAll(log);
  assert.deepEqual(describeRecords(after), describeRecords(expectedAfterClean(model, result.cleanedUpTo)));
  assertStrictlyIncreasing(after);
  for (const [key, offset] of latestByKey(model)) {
    assert.ok(
      after.some((r) => r.key === key && r.offset === offset),
      `latest ${key}@${offset} survives`,
    );
  }
  assert.equal(log.active, active, "the active segment object is the same");
  assert.deepEqual(await readFile(active.logPath), activeBytes, "the active segment's bytes are the same");
  assert.ok(log.size < model.length * 40, "the log shrank");
  assert.deepEqual(
    (await readdir(dir)).filter(
      (n) => n.endsWith(".cleaned") || n.endsWith(".swap") || n.endsWith(".deleted"),
    ),
    [],
  );

  // Reads by offset land on the next surviving record, wherever the offset falls (a consumer
  // skips empty batches by their last offset, as here).
  for (let i = 0; i < 40; i++) {
    const offset =
      log.logStartOffset + BigInt(Math.floor(next() * Number(log.logEndOffset - log.logStartOffset)));
    const expected = after.find((r) => r.offset >= offset);
    assert.equal(await firstOffsetFrom(log, offset), expected?.offset, `read(${offset})`);
  }

  // More data, a second clean from where the first stopped: the model still holds.
  await appendRandom(log, model, next, 200, () => clock.now - 4000);
  const second = await cleaner.clean(log, result.cleanedUpTo, clock.now);
  assert.ok(second && second.aborted === undefined);
  const afterSecond = await readAll(log);
  assert.deepEqual(
    describeRecords(afterSecond),
    describeRecords(expectedAfterClean(model, second.cleanedUpTo)),
  );

  // A restart reads the same log.
  await log.close();
  const reopened = await openCompacted(dir, clock);
  t.after(() => reopened.close());
  assert.deepEqual(describeRecords(await readAll(reopened)), describeRecords(afterSecond));
});

/** The first record offset at or after `offset`, reading one batch at a time. */
async function firstOffsetFrom(log: PartitionLog, offset: bigint): Promise<bigint | undefined> {
  let position = offset;
  for (let reads = 0; reads < 10_000 && position < log.logEndOffset; reads++) {
    const { records } = await log.read(position, { maxBytes: 1 });
    const [batch] = decodeBatches(records);
    if (!batch) return undefined;
    const found = batchMessages(batch).find((m) => m.offset >= offset);
    if (found) return found.offset;
    position = batch.baseOffset + BigInt(batch.lastOffsetDelta) + 1n;
  }
  return undefined;
}

function latestByKey(model: readonly ModelRecord[]): Map<string, bigint> {
  const latest = new Map<string, bigint>();
  for (const r of model) latest.set(r.key, r.offset);
  return latest;
}

test("tombstones survive the first clean and disappear once delete.retention.ms has passed", async (t) => {
  const { clock, log, cleaner } = await compactedFixture(t, { "delete.retention.ms": "60000" });
  const model: ModelRecord[] = [];
  for (let i = 0; i < 60; i++) {
    const key = `k${i % 6}`;
    await appendEntries(
      log,
      model,
      [{ key, value: i >= 54 && i % 2 === 0 ? null : `v${i}` }],
      clock.now - 1000,
    );
    if (i % 10 === 9) await log.roll();
  }
  await appendEntries(log, model, [{ key: "tail", value: "x" }], clock.now);
  const first = await cleaner.clean(log, 0n, clock.now);
  assert.ok(first);
  const tombstones = (await readAll(log)).filter((r) => r.value === null);
  assert.deepEqual(
    tombstones.map((r) => r.key),
    ["k0", "k2", "k4"],
    "the latest records of k0, k2, k4 are tombstones and stay for now",
  );

  clock.now += 30_000;
  assert.equal(cleaner.needsCleaning(log, first.cleanedUpTo, clock.now), false, "horizon not reached");
  clock.now += 30_000;
  assert.equal(cleaner.needsCleaning(log, first.cleanedUpTo, clock.now), true, "horizon reached");
  const second = await cleaner.clean(log, first.cleanedUpTo, clock.now);
  assert.ok(second);
  const after = await readAll(log);
  assert.deepEqual(
    describeRecords(after),
    describeRecords(expectedAfterClean(model, first.cleanedUpTo, () => true)),
  );
  assert.equal(
    after.some((r) => r.value === null),
    false,
  );
  assert.equal(cleaner.needsCleaning(log, second.cleanedUpTo, clock.now + 1e9), false, "nothing pending");
});

test("min.compaction.lag.ms keeps young segments out of the clean", async (t) => {
  const { clock, log, cleaner } = await compactedFixture(t, { "min.compaction.lag.ms": "10000" });
  const model: ModelRecord[] = [];
  for (let segment = 0; segment < 6; segment++) {
    // Segments 0-2 are 20 s old, 3-5 are 5 s old.
    const timestamp = clock.now - (segment < 3 ? 20_000 : 5_000);
    for (let i = 0; i < 5; i++)
      await appendEntries(log, model, [{ key: `k${i}`, value: `s${segment}-${i}` }], timestamp);
    await log.roll();
  }
  const firstYoung = log.segments[3]?.baseOffset as bigint;
  const result = await cleaner.clean(log, 0n, clock.now);
  assert.ok(result);
  assert.equal(result.cleanedUpTo, firstYoung);
  const after = await readAll(log);
  assert.deepEqual(describeRecords(after), describeRecords(expectedAfterClean(model, firstYoung)));
  assert.equal(after.filter((r) => r.offset >= firstYoung).length, 15, "young records all stay");

  clock.now += 10_000;
  const later = await cleaner.clean(log, result.cleanedUpTo, clock.now);
  assert.ok(later);
  assert.equal(later.cleanedUpTo, log.active.baseOffset);
  assert.deepEqual(
    describeRecords(await readAll(log)),
    describeRecords(expectedAfterClean(model, later.cleanedUpTo)),
  );
});

test("min.cleanable.dirty.ratio gates cleaning; max.compaction.lag.ms forces it", async (t) => {
  const dir = await tempLogDir(t);
  const clock = manualClock();
  const gated = { ...compactedConfig, "min.cleanable.dirty.ratio": "0.5" };
  const log = await openCompacted(dir, clock, gated);
  const cleaner = new LogCleaner({});
  t.after(async () => {
    await cleaner.close();
    await log.close();
  });
  const model: ModelRecord[] = [];
  // 40 distinct keys: compaction removes nothing, so the clean part stays large.
  for (let i = 0; i < 40; i++)
    await appendEntries(log, model, [{ key: `k${i}`, value: "v".repeat(80) }], clock.now);
  await log.roll();
  const first = await cleaner.clean(log, 0n, clock.now);
  assert.ok(first);
  const cleanBytes = log.size - log.active.size;

  // A dirty segment of about a quarter of the clean bytes: ratio 0.2, below 0.5.
  for (let i = 0; i < 10; i++)
    await appendEntries(log, model, [{ key: `k${i}`, value: "w".repeat(80) }], clock.now);
  await log.roll();
  assert.equal(cleaner.needsCleaning(log, first.cleanedUpTo, clock.now), false);

  // max.compaction.lag.ms: the dirty records are older than the lag allows.
  log.updateConfig(parseLogConfig({ ...gated, "max.compaction.lag.ms": "1000" }));
  assert.equal(cleaner.needsCleaning(log, first.cleanedUpTo, clock.now + 500), false);
  assert.equal(cleaner.needsCleaning(log, first.cleanedUpTo, clock.now + 1001), true);
  log.updateConfig(parseLogConfig(gated));

  // More dirty bytes than clean ones: ratio above 0.5.
  for (let i = 10; i < 40; i++)
    await appendEntries(log, model, [{ key: `k${i}`, value: "w".repeat(80) }], clock.now);
  for (let i = 0; i < 20; i++)
    await appendEntries(log, model, [{ key: `x${i}`, value: "w".repeat(80) }], clock.now);
  await log.roll();
  assert.ok(log.size - log.active.size - cleanBytes > cleanBytes);
  assert.equal(cleaner.needsCleaning(log, first.cleanedUpTo, clock.now), true);

  // A log that is not compacted never needs cleaning.
  log.updateConfig(parseLogConfig({ ...gated, "cleanup.policy": "delete" }));
  assert.equal(cleaner.needsCleaning(log, 0n, clock.now), false);
  assert.equal(await cleaner.clean(log, 0n, clock.now), undefined);
});

test("appends and reads complete while the worker is busy cleaning", async (t) => {
  const { clock, log, cleaner } = await compactedFixture(t);
  const model: ModelRecord[] = [];
  await appendRandom(log, model, random(7), 150, () => clock.now);
  const gate = new Int32Array(new SharedArrayBuffer(8));
  let settled = false;
  const cleaning = cleaner.clean(log, 0n, clock.now, { workerGate: gate }).finally(() => {
    settled = true;
  });
  await waitFor(() => Atomics.load(gate, 1) === 1, "the worker to reach its gate");

  // The worker thread is blocked in the middle of the clean; the partition is not.
  await appendEntries(log, model, [{ key: "during", value: "the clean" }], clock.now);
  const tail = await readAll(log);
  assert.equal(tail.at(-1)?.key, "during");
  assert.equal(settled, false, "the clean is still running");

  Atomics.store(gate, 0, 1);
  Atomics.notify(gate, 0);
  const result = await cleaning;
  assert.ok(result && result.aborted === undefined);
  assert.deepEqual(
    describeRecords(await readAll(log)),
    describeRecords(expectedAfterClean(model, result.cleanedUpTo)),
  );
});

test("a segment deleted by retention during a clean aborts it and discards the cleaned files", async (t) => {
  const { dir, clock, log, cleaner } = await compactedFixture(t);
  const model: ModelRecord[] = [];
  await appendRandom(log, model, random(3), 150, () => clock.now - 100_000);
  await appendEntries(log, model, [{ key: "young", value: "y" }], clock.now);
  const gate = new Int32Array(new SharedArrayBuffer(8));
  const cleaning = cleaner.clean(log, 0n, clock.now, { workerGate: gate });
  await waitFor(() => Atomics.load(gate, 1) === 1, "the worker to reach its gate");

  const firstSegment = log.segments[0]?.baseOffset;
  log.updateConfig(
    parseLogConfig({ ...compactedConfig, "cleanup.policy": "compact,delete", "retention.ms": "50000" }),
  );
  const retention = await applyRetention(log, clock.now);
  assert.ok(retention.deletedSegments.includes(firstSegment as bigint));
  const before = await readAll(log);

  Atomics.store(gate, 0, 1);
  Atomics.notify(gate, 0);
  const result = await cleaning;
  assert.ok(result?.aborted, "the clean reports it gave up");
  assert.equal(result.cleanedUpTo, 0n);
  assert.deepEqual(result.replacedSegments, []);
  assert.deepEqual(
    (await readdir(dir)).filter((n) => n.includes(".cleaned") || n.includes(".swap")),
    [],
  );
  assert.deepEqual(
    describeRecords(await readAll(log)),
    describeRecords(before),
    "the log is as retention left it",
  );
});

test("close aborts a clean waiting in the worker", async (t) => {
  const dir = await tempLogDir(t);
  const clock = manualClock();
  const log = await openCompacted(dir, clock);
  t.after(() => log.close());
  const model: ModelRecord[] = [];
  await appendRandom(log, model, random(5), 100, () => clock.now);
  const before = await readAll(log);
  const cleaner = new LogCleaner({});
  const gate = new Int32Array(new SharedArrayBuffer(8));
  const cleaning = cleaner.clean(log, 0n, clock.now, { workerGate: gate });
  await waitFor(() => Atomics.load(gate, 1) === 1, "the worker to reach its gate");
  await cleaner.close();
  const result = await cleaning;
  assert.ok(result?.aborted);
  assert.deepEqual(describeRecords(await readAll(log)), describeRecords(before));
  assert.deepEqual(
    (await readdir(dir)).filter((n) => n.includes(".cleaned")),
    [],
  );
  assert.equal(await cleaner.clean(log, 0n, clock.now), undefined, "a closed cleaner cleans nothing");
});

test("a small offset map cleans in several rounds and reaches the same result", async (t) => {
  const dir = await tempLogDir(t);
  const clock = manualClock();
  const log = await openCompacted(dir, clock);
  // 1 KiB of map: 42 slots, 37 keys per round.
  const cleaner = new LogCleaner({ maxBufferBytes: 1024 });
  t.after(async () => {
    await cleaner.close();
    await log.close();
  });
  const model: ModelRecord[] = [];
  for (let i = 0; i < 300; i++)
    await appendEntries(log, model, [{ key: `k${i % 100}`, value: `v${i}` }], clock.now);
  await log.roll();
  let firstDirty = 0n;
  let rounds = 0;
  while (firstDirty < log.active.baseOffset) {
    rounds++;
    assert.ok(rounds <= 20, "cleaning converges");
    const result = await cleaner.clean(log, firstDirty, clock.now);
    assert.ok(result && result.cleanedUpTo > firstDirty, "each round makes progress");
    firstDirty = result.cleanedUpTo;
  }
  assert.ok(rounds > 1, `expected several rounds, got ${rounds}`);
  // A record superseded at offset o is removed by the round whose map covers o, so the rounds
  // together leave exactly what one big clean would.
  assert.deepEqual(
    describeRecords(await readAll(log)),
    describeRecords(expectedAfterClean(model, firstDirty)),
  );
});

test("a log reopened with PartitionLog.open after cleaning recovers cleanly (gaps are valid)", async (t) => {
  const dir = await tempLogDir(t);
  const clock = manualClock();
  const log = await openCompacted(dir, clock);
  const cleaner = new LogCleaner({});
  t.after(() => cleaner.close());
  const model: ModelRecord[] = [];
  await appendRandom(log, model, random(11), 120, () => clock.now);
  const result = await cleaner.clean(log, 0n, clock.now);
  assert.ok(result);
  const after = await readAll(log);
  await log.close();
  const { log: recovered, recovery } = await PartitionLog.open({
    dir,
    config: log.config,
    clock: clock.read,
    recover: true,
  });
  t.after(() => recovered.close());
  assert.equal(recovery.truncatedBytes, 0);
  assert.deepEqual(describeRecords(await readAll(recovered)), describeRecords(after));
});

async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
