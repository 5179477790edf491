import { LogCleaner } from "../../src/cleaner/log-cleaner.ts";
import { seededRandom } from "../support/seeded-random.ts";
// Shared helpers for the compaction tests: temp logs, keyed appends recorded in a model, reading a
// whole log back, and the model's answer to "what must a clean keep".

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  batchMessages,
  decodeBatches,
  encodeMessages,
  type MessageBatchOptions,
} from "@nagare/protocol/records";
import { parseLogConfig } from "../../src/log-config.ts";
import { PartitionLog } from "../../src/partition-log.ts";

export const baseTime = 1_700_000_000_000;

export interface TestContext {
  after: (fn: () => Promise<void>) => void;
}

export interface ModelRecord {
  readonly offset: bigint;
  readonly key: string;
  /** null: a tombstone. */
  readonly value: string | null;
  readonly timestamp: bigint;
}

export async function tempLogDir(t: TestContext): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "nagare-cleaner-"));
  t.after(() => rm(root, { recursive: true, force: true }));
  return join(root, "topic-0");
}

export interface Clock {
  now: number;
  readonly read: () => number;
}

export function manualClock(start = baseTime): Clock {
  const clock: Clock = {
    now: start,
    read: () => clock.now,
  };
  return clock;
}

/** Small segments and an eager cleaner, for tests. */
export const compactedConfig: Readonly<Record<string, string>> = {
  "cleanup.policy": "compact",
  "segment.bytes": "4096",
  "index.interval.bytes": "256",
  "min.cleanable.dirty.ratio": "0.01",
  "delete.retention.ms": "1000",
};

export async function openCompacted(
  dir: string,
  clock: Clock,
  overrides: Record<string, string> = {},
): Promise<PartitionLog> {
  const config = parseLogConfig({ ...compactedConfig, ...overrides });
  const { log } = await PartitionLog.open({ dir, config, clock: clock.read });
  return log;
}

export interface Entry {
  readonly key: string;
  readonly value: string | null;
}

/** Appends one batch and records it in `model`. */
export async function appendEntries(
  log: PartitionLog,
  model: ModelRecord[],
  entries: readonly Entry[],
  timestamp: number,
  options: MessageBatchOptions = {},
): Promise<void> {
  const batch = encodeMessages(
    entries.map((e) => ({ key: e.key, value: e.value, timestamp: BigInt(timestamp) })),
    options,
  );
  const result = await log.append(batch);
  entries.forEach((e, i) => {
    model.push({
      offset: result.firstOffset + BigInt(i),
      key: e.key,
      value: e.value,
      timestamp: BigInt(timestamp),
    });
  });
}

/** Every record of the log from its start, in order, read through PartitionLog.read. */
export async function readAll(log: PartitionLog): Promise<ModelRecord[]> {
  const out: ModelRecord[] = [];
  let offset = log.logStartOffset;
  for (let reads = 0; offset < log.logEndOffset; reads++) {
    if (reads > 100_000) throw new Error("readAll did not finish");
    const { records } = await log.read(offset, { maxBytes: 64 * 1024 });
    if (records.length === 0) break;
    for (const batch of decodeBatches(records)) {
      for (const m of batchMessages(batch)) {
        if (m.offset < offset) continue;
        out.push({
          offset: m.offset,
          key: m.key?.toString() ?? "",
          value: m.value === null ? null : m.value.toString(),
          timestamp: m.timestamp,
        });
      }
      offset = batch.baseOffset + BigInt(batch.lastOffsetDelta) + 1n;
    }
  }
  return out;
}

/**
 * What a clean that mapped offsets below `mapEnd` keeps: below it, the last record of each key
 * (among records below it), except tombstones whose horizon passed; at or above it, everything.
 */
export function expectedAfterClean(
  records: readonly ModelRecord[],
  mapEnd: bigint,
  dropTombstone: (record: ModelRecord) => boolean = () => false,
): ModelRecord[] {
  const latest = new Map<string, bigint>();
  for (const r of records) if (r.offset < mapEnd) latest.set(r.key, r.offset);
  return records.filter(
    (r) => r.offset >= mapEnd || (latest.get(r.key) === r.offset && !(r.value === null && dropTombstone(r))),
  );
}

export function describeRecords(records: readonly ModelRecord[]): string[] {
  return records.map((r) => `${r.offset}:${r.key}=${r.value ?? "<tombstone>"}`);
}

/** Deterministic randomness so random tests replay from their seed. */
export const random = seededRandom;

/**
 * The usual cleaner test set-up: a compacted log in a temp dir on a manual clock, and a cleaner;
 * both closed when the test ends.
 */
export async function compactedFixture(
  t: TestContext,
  overrides: Record<string, string> = {},
): Promise<{ dir: string; clock: Clock; log: PartitionLog; cleaner: LogCleaner }> {
  const dir = await tempLogDir(t);
  const clock = manualClock();
  const log = await openCompacted(dir, clock, overrides);
  const cleaner = new LogCleaner({});
  t.after(async () => {
    await cleaner.close();
    await log.close();
  });
  return { dir, clock, log, cleaner };
}
