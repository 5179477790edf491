// Model-based test of producer state: random sequences of idempotent and transactional appends
// (in order, duplicates, stale epochs, bumped epochs, sequence gaps, non-transactional writes in a
// transaction), commit and abort markers (some from a stale producer or coordinator epoch), plain
// batches, rolls, truncations, clean restarts and unclean ones (a copy of the open directory,
// sometimes with its latest snapshot corrupted) run against PartitionLog and ProducerModel side by
// side. After every operation the append's answer, producers(), firstUnstableOffset and
// abortedTransactions over random ranges must match the model.
//
// Rerun one seed with NAGARE_PRODUCER_SEED=<seed> node --test packages/storage/test/producer-state.model.test.ts

import assert from "node:assert/strict";
import { randomInt } from "node:crypto";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ControlRecordType, encodeEndTxnMarkerBatch, encodeMessages } from "@nagare/protocol/records";
import { parseLogConfig } from "../src/log-config.ts";
import { PartitionLog } from "../src/partition-log.ts";
import { StorageError } from "../src/storage-error.ts";
import { type ModelAppendOutcome, type ModelProducerBatch, ProducerModel } from "./producer-state.model.ts";
import { seededRandom } from "./support/seeded-random.ts";

const fixedSeeds = [11, 12, 13, 14, 15];
const opsPerSeed = 300;
const producerIds = [7n, 8n, 9n, 1000n];

class Run {
  readonly random: () => number;
  readonly model = new ProducerModel();
  readonly trace: string[] = [];
  now = 1_700_000_000_000;
  log!: PartitionLog;
  dir = "";
  readonly dirs: string[] = [];

  constructor(seed: number) {
    this.random = seededRandom(seed);
  }

  int(low: number, high: number): number {
    return low + Math.floor(this.random() * (high - low + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)] as T;
  }

  async open(dir: string, recover: boolean, recoveryPoint?: bigint): Promise<void> {
    const config = parseLogConfig({ "segment.bytes": "1500", "index.interval.bytes": "200" });
    const { log } = await PartitionLog.open({
      dir,
      config,
      clock: () => this.now,
      recover,
      producerIdExpirationMs: 10 * 365 * 86_400_000,
      ...(recoveryPoint !== undefined ? { recoveryPoint } : {}),
    });
    this.log = log;
    this.dir = dir;
  }

  /** A batch for `producerId` shaped after the model's view of it. */
  nextBatch(producerId: bigint): ModelProducerBatch {
    const p = this.model.producers.get(producerId);
    const epoch = p?.epoch ?? 0;
    const last = p?.sent[p.sent.length - 1]?.lastSeq ?? -1;
    const kind = this.int(0, 19);
    const count = this.int(1, 4);
    const transactional =
      producerId !== 1000n && (p?.txnStart !== undefined ? kind !== 19 : this.int(0, 2) === 0);
    const base = { producerId, count, baseOffset: -1n, maxTimestamp: BigInt(this.now), transactional };
    if (kind <= 1 && p && p.sent.length > 0) {
      const s = this.pick(p.sent); // a retry
      return { ...base, epoch, firstSeq: s.firstSeq, count: s.lastSeq - s.firstSeq + 1 };
    }
    if (kind === 2) return { ...base, epoch: Math.max(0, epoch - 1), firstSeq: last + 1 };
    if (kind === 3) return { ...base, epoch: epoch + 1, firstSeq: this.int(0, 1) === 0 ? 0 : 3 };
    if (kind === 4) return { ...base, epoch, firstSeq: last + this.int(2, 4) };
    if (kind === 5 && last > 100) return { ...base, epoch, firstSeq: 2147483647 - this.int(0, 2) }; // near the wrap
    if (kind === 6) return { ...base, epoch, firstSeq: last === 2147483647 ? 0 : last + 1, count: 1 };
    const firstSeq = last === 2147483647 ? 0 : last + 1;
    return { ...base, epoch, firstSeq };
  }

  encode(batch: ModelProducerBatch): Buffer {
    if (batch.marker)
      return encodeEndTxnMarkerBatch({
        type: batch.marker.abort ? ControlRecordType.ABORT : ControlRecordType.COMMIT,
        producerId: batch.producerId,
        producerEpoch: batch.epoch,
        coordinatorEpoch: batch.marker.coordinatorEpoch,
        timestamp: batch.maxTimestamp,
      });
    return encodeMessages(
      Array.from({ length: batch.count }, (_, i) => ({
        key: `k${i}`,
        value: "v".repeat(this.int(0, 60)),
        timestamp: batch.maxTimestamp,
      })),
      {
        producerId: batch.producerId,
        producerEpoch: batch.epoch,
        baseSequence: batch.firstSeq,
        isTransactional: batch.transactional,
      },
    );
  }

  async append(batch: ModelProducerBatch): Promise<void> {
    const expected: ModelAppendOutcome = this.model.check(batch);
    let actual: ModelAppendOutcome;
    let firstOffset = -1n;
    try {
      const result = await this.log.append(this.encode(batch), batch.marker ? { origin: "coordinator" } : {});
      firstOffset = result.firstOffset;
      actual = result.duplicate
        ? { duplicate: { first: result.firstOffset, last: result.lastOffset } }
        : { ok: true };
    } catch (error) {
      if (!(error instanceof StorageError)) throw error;
      actual = { error: error.code };
    }
    this.trace.push(`append ${describe(batch)} → ${JSON.stringify(actual, bigintJson)}`);
    assert.deepEqual(actual, expected, "append outcome");
    if ("ok" in actual) this.model.apply({ ...batch, baseOffset: firstOffset });
  }

  async step(): Promise<void> {
    this.now += this.int(0, 50);
    const op = this.int(0, 99);
    if (op < 55) return this.append(this.nextBatch(this.pick(producerIds)));
    if (op < 70) {
      const producerId = this.pick(producerIds.slice(0, 3));
      const p = this.model.producers.get(producerId);
      const staleEpoch = this.int(0, 9) === 0;
      const staleCoordinator = this.int(0, 9) === 0;
      const coordinatorEpoch = Math.max(
        0,
        (p?.coordinatorEpoch ?? 0) + (staleCoordinator ? -1 : this.int(0, 1)),
      );
      return this.append({
        producerId,
        epoch: Math.max(0, (p?.epoch ?? 0) + (staleEpoch ? -1 : 0)),
        firstSeq: -1,
        count: 1,
        baseOffset: -1n,
        maxTimestamp: BigInt(this.now),
        transactional: true,
        marker: { abort: this.int(0, 1) === 0, coordinatorEpoch },
      });
    }
    if (op < 78) {
      this.trace.push("plain batch");
      await this.log.append(encodeMessages([{ key: "p", value: "plain", timestamp: BigInt(this.now) }]));
      return;
    }
    if (op < 83) {
      this.trace.push("roll");
      return this.log.roll();
    }
    if (op < 87) {
      const end = this.log.logEndOffset;
      const offset = end - BigInt(this.int(0, Math.min(15, Number(end))));
      await this.log.truncateTo(offset);
      this.trace.push(`truncateTo ${offset} → end ${this.log.logEndOffset}`);
      this.model.truncate(this.log.logEndOffset);
      return;
    }
    if (op < 93) {
      this.trace.push("restart clean");
      await this.log.close();
      return this.open(this.dir, false);
    }
    const copy = await mkdtemp(join(tmpdir(), "nagare-producer-model-"));
    this.dirs.push(copy);
    await cp(this.dir, copy, { recursive: true });
    const corrupt = this.int(0, 2) === 0;
    if (corrupt) await corruptLatestSnapshot(copy);
    const recoveryPoint = this.log.recoveryPoint;
    this.trace.push(`restart unclean (rp ${recoveryPoint}, corrupt snapshot ${corrupt})`);
    await this.log.close();
    await this.open(copy, true, recoveryPoint);
  }

  check(): void {
    const byId = (a: { producerId: bigint }, b: { producerId: bigint }) =>
      a.producerId < b.producerId ? -1 : a.producerId > b.producerId ? 1 : 0;
    assert.deepEqual([...this.log.producers()].sort(byId), this.model.view(), "producers()");
    assert.equal(this.log.firstUnstableOffset, this.model.firstUnstableOffset, "firstUnstableOffset");
    const end = this.log.logEndOffset;
    for (let i = 0; i < 3; i++) {
      const fetch = BigInt(this.int(0, Number(end)));
      const upper = fetch + BigInt(this.int(0, Number(end - fetch) + 1));
      assert.deepEqual(
        this.log.abortedTransactions(fetch, upper),
        this.model.abortedIn(fetch, upper),
        `aborted [${fetch}, ${upper})`,
      );
    }
  }
}

async function corruptLatestSnapshot(dir: string): Promise<void> {
  const snapshots = (await readdir(dir)).filter((n) => n.endsWith(".snapshot")).sort();
  const latest = snapshots[snapshots.length - 1];
  if (latest === undefined) return;
  const bytes = await readFile(join(dir, latest));
  if (bytes.length > 0) bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0xff;
  await writeFile(join(dir, latest), bytes);
}

function describe(b: ModelProducerBatch): string {
  const what = b.marker
    ? `${b.marker.abort ? "ABORT" : "COMMIT"} ce${b.marker.coordinatorEpoch}`
    : `seq ${b.firstSeq}+${b.count}${b.transactional ? " txn" : ""}`;
  return `p${b.producerId} e${b.epoch} ${what}`;
}

function bigintJson(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

async function runSeed(seed: number): Promise<void> {
  const run = new Run(seed);
  const dir = await mkdtemp(join(tmpdir(), "nagare-producer-model-"));
  run.dirs.push(dir);
  try {
    await run.open(dir, false);
    for (let i = 0; i < opsPerSeed; i++) {
      try {
        await run.step();
        run.check();
      } catch (error) {
        const last = run.trace
          .slice(-12)
          .map((line) => `    ${line}`)
          .join("\n");
        throw new Error(`seed ${seed}, operation #${i}: ${String(error)}\n  last operations:\n${last}`, {
          cause: error,
        });
      }
    }
    await run.log.close();
  } finally {
    await run.log?.close().catch(() => undefined);
    for (const d of run.dirs) await rm(d, { recursive: true, force: true });
  }
}

const envSeed = process.env.NAGARE_PRODUCER_SEED;
const seeds = envSeed ? [Number(envSeed)] : [...fixedSeeds, randomInt(1, 2 ** 31)];
for (const seed of seeds) {
  test(`producer state matches the model (seed ${seed})`, () => runSeed(seed));
}
