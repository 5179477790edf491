// Keeps a partition's producer state in step with its log (Kafka's ProducerStateManager plus the
// parts of UnifiedLog that drive it):
//
// - append: checked from the batch headers before the write, installed after it; an ABORT marker
//   adds its transaction to the active segment's .txnindex.
// - snapshots (`<offset>.snapshot`, producer-snapshot.ts): taken at each roll (the state as of the
//   new segment's base offset) and at a clean close; deleted with the segments below them
//   (retention), above the log end (truncation), and — at open — when they are strays: not at a
//   segment's base offset and not the latest (the one a clean close left).
// - load: the latest snapshot not above `limit` (the recovery point after an unclean stop, else
//   the log end; a corrupt one is deleted and the next older tried), then every batch header
//   from there to the log end is replayed. Without any usable snapshot the replay starts at the
//   first segment.
// - .txnindex entries are derived from the replay for the offsets recovery re-read
//   (`rebuildFrom`): the entries from there on are cut and written again. Below it they are
//   trusted, as the segments are.
// - truncation: snapshots above the new end go, and the state is loaded again as above, so it is
//   what it would be had the log only ever reached the new end.

import { open } from "node:fs/promises";
import type { AppendOptions } from "./append-validator.ts";
import { readBatches } from "./cleaner/batch-reader.ts";
import { fsyncDirectory } from "./durable-fs.ts";
import {
  analyzeProducerBatches,
  applyProducerAppend,
  hasProducerBatch,
  type ProducerAppend,
} from "./producer-append.ts";
import {
  CorruptSnapshotError,
  deleteSnapshot,
  listSnapshots,
  readSnapshot,
  snapshotPath,
  writeSnapshot,
} from "./producer-snapshot.ts";
import { isExpired, ProducerState } from "./producer-state.ts";
import type { AppendedBatch, LogSegment } from "./segment.ts";
import type { AbortedTxn } from "./txn-index.ts";

/** producer.id.expiration.ms default: one day. */
export const defaultProducerIdExpirationMs = 86_400_000;

export interface ProducerStateManagerOptions {
  readonly dir: string;
  readonly clock: () => number;
  readonly producerIdExpirationMs: number;
}

export interface ProducerStateLoad {
  /** Snapshots above this are not trusted (the recovery point after an unclean stop). */
  readonly limit: bigint;
  /** .txnindex entries from this offset on are rebuilt by the replay. */
  readonly rebuildFrom: bigint;
}

export class ProducerStateManager {
  readonly state = new ProducerState();
  private readonly dir: string;
  private readonly clock: () => number;
  private readonly expirationMs: number;
  /** Offsets of the snapshot files, ascending. */
  private snapshots: bigint[] = [];

  constructor(options: ProducerStateManagerOptions) {
    this.dir = options.dir;
    this.clock = options.clock;
    this.expirationMs = options.producerIdExpirationMs;
  }

  get snapshotOffsets(): readonly bigint[] {
    return this.snapshots;
  }

  /** At open: tidies the snapshots, then loads the state (see the file comment). */
  async open(segments: readonly LogSegment[], load: ProducerStateLoad): Promise<void> {
    this.snapshots = await listSnapshots(this.dir);
    const bases = new Set(segments.map((s) => s.baseOffset));
    const first = (segments[0] as LogSegment).baseOffset;
    const end = (segments[segments.length - 1] as LogSegment).nextOffset;
    const latest = this.snapshots[this.snapshots.length - 1];
    await this.deleteSnapshotsWhere(
      (offset) => offset < first || offset > end || (!bases.has(offset) && offset !== latest),
    );
    await this.reload(segments, load);
  }

  /** Clears the state and loads it from the best snapshot plus a replay of the log after it. */
  async reload(segments: readonly LogSegment[], load: ProducerStateLoad): Promise<void> {
    this.state.clear();
    const end = (segments[segments.length - 1] as LogSegment).nextOffset;
    await this.deleteSnapshotsWhere((offset) => offset > end);
    let from = (segments[0] as LogSegment).baseOffset;
    for (let i = this.snapshots.length - 1; i >= 0; i--) {
      const offset = this.snapshots[i] as bigint;
      if (offset > load.limit) continue;
      try {
        const now = this.clock();
        this.state.load(
          (await readSnapshot(this.dir, offset)).filter((e) => !isExpired(e, now, this.expirationMs)),
        );
        if (offset > from) from = offset;
        break;
      } catch (error) {
        const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
        if (!(error instanceof CorruptSnapshotError) && !missing) throw error;
        await this.deleteSnapshotsWhere((o) => o === offset);
      }
    }
    let rebuildFrom = load.rebuildFrom;
    if (rebuildFrom < from) rebuildFrom = from;
    await replay(this.state, segments, from, rebuildFrom);
  }

  /**
   * Checks an append (offsets assigned); undefined when no batch carries a producer id. `verify`
   * (the deferred CRC checks) runs before a rejection or a duplicate answer, so a corrupt batch is
   * reported as such and never answered as a duplicate.
   */
  prepare(
    records: Buffer,
    batches: readonly AppendedBatch[],
    options: AppendOptions,
    verify: (() => void) | undefined,
  ): ProducerAppend | undefined {
    if (!hasProducerBatch(records, batches)) return undefined;
    const origin = options.origin ?? "client";
    let append: ProducerAppend;
    try {
      append = analyzeProducerBatches(records, batches, this.state, origin);
    } catch (error) {
      verify?.();
      throw error;
    }
    if (append.duplicate) verify?.();
    return append;
  }

  /** Installs a written append; aborted transactions go into `segment`'s (the active) .txnindex. */
  apply(append: ProducerAppend, segment: LogSegment): Promise<void> {
    return applyProducerAppend(append, this.state, async (txn, lastStableOffset) => {
      if (txn.aborted) await segment.txnIndex.append({ ...txn, lastStableOffset });
    });
  }

  /**
   * Writes the state as of `offset` (the log end) unless a snapshot is there already. Without
   * `sync` it is fsynced in the background (a lost one only means a longer replay).
   */
  async takeSnapshot(offset: bigint, sync: boolean): Promise<void> {
    if (this.snapshots.includes(offset)) return;
    try {
      await writeSnapshot(this.dir, offset, this.state.all(), sync);
      if (sync) await fsyncDirectory(this.dir);
    } catch (error) {
      // The partition directory was removed underneath (deleted partition): nothing to keep.
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    this.snapshots = [
      ...this.snapshots.filter((o) => o < offset),
      offset,
      ...this.snapshots.filter((o) => o > offset),
    ];
    if (!sync) syncQuietly(snapshotPath(this.dir, offset));
  }

  async deleteSnapshotsWhere(doomed: (offset: bigint) => boolean): Promise<void> {
    const remove = this.snapshots.filter(doomed);
    if (remove.length === 0) return;
    this.snapshots = this.snapshots.filter((o) => !doomed(o));
    for (const offset of remove) await deleteSnapshot(this.dir, offset);
  }

  removeExpired(nowMs: number): number {
    return this.state.removeExpired(nowMs, this.expirationMs);
  }
}

/** Aborted transactions overlapping [fetchOffset, upperBound) (Kafka's collectAbortedTransactions). */
export function collectAbortedTransactions(
  segments: readonly LogSegment[],
  fetchOffset: bigint,
  upperBound: bigint,
): AbortedTxn[] {
  const found: AbortedTxn[] = [];
  // Markers of transactions reaching fetchOffset sit at or after it: start at its segment.
  let i = segments.length - 1;
  while (i > 0 && (segments[i] as LogSegment).baseOffset > fetchOffset) i--;
  for (; i < segments.length; i++) {
    if ((segments[i] as LogSegment).txnIndex.collect(fetchOffset, upperBound, found)) break;
  }
  return found;
}

/**
 * Applies every batch from `from` to the log end to `state` (as a follower would: nothing is
 * rejected) and rewrites the .txnindex entries of aborts at or after `rebuildFrom`.
 */
async function replay(
  state: ProducerState,
  segments: readonly LogSegment[],
  from: bigint,
  rebuildFrom: bigint,
): Promise<void> {
  for (const segment of segments)
    if (segment.nextOffset > rebuildFrom || segment.baseOffset >= rebuildFrom)
      await segment.txnIndex.truncateTo(rebuildFrom);
  for (const segment of segments) {
    if (segment.nextOffset <= from || segment.size === 0) continue;
    const start = segment.baseOffset < from ? segment.offsetIndex.lookup(from).position : 0;
    const batches = readBatches(segment.file, segment.logPath, start, segment.size, {
      wholeBatch: (header) => header.isControl && header.producerId >= 0n,
    });
    for await (const { header, bytes } of batches) {
      if (header.baseOffset < from || header.producerId < 0n) continue;
      const batch: AppendedBatch = {
        position: 0,
        size: bytes.length,
        baseOffset: header.baseOffset,
        lastOffset: header.lastOffset,
        maxTimestamp: header.maxTimestamp,
      };
      await applyProducerAppend(
        analyzeProducerBatches(bytes, [batch], state, "replication"),
        state,
        async (txn, lastStableOffset) => {
          if (txn.aborted && txn.lastOffset >= rebuildFrom)
            await segment.txnIndex.append({ ...txn, lastStableOffset });
        },
      );
    }
  }
}

function syncQuietly(path: string): void {
  open(path, "r")
    .then(async (handle) => {
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    })
    .catch(() => undefined);
}

/**
 * Where loading may trust snapshots and .txnindex entries: after an unclean stop, up to the
 * recovery point and below the first segment recovery re-read; after a clean one, everything.
 */
export function loadBounds(
  segments: readonly LogSegment[],
  recover: boolean,
  recoveryPoint: bigint,
): ProducerStateLoad {
  const end = (segments[segments.length - 1] as LogSegment).nextOffset;
  if (!recover) return { limit: end, rebuildFrom: end };
  let recovered = segments[0] as LogSegment;
  for (const segment of segments) if (segment.baseOffset <= recoveryPoint) recovered = segment;
  return { limit: recoveryPoint < end ? recoveryPoint : end, rebuildFrom: recovered.baseOffset };
}

/**
 * Gives compacted segments (still under their `.cleaned` name) the .txnindex entries of the
 * segments they replace, fsynced, so the swap moves them into place with the .log.
 */
export async function copyAbortedTxns(
  replaced: readonly LogSegment[],
  replacement: readonly LogSegment[],
): Promise<void> {
  const entries = replaced.flatMap((s) => s.txnIndex.entries());
  for (let i = 0; i < replacement.length; i++) {
    const segment = replacement[i] as LogSegment;
    if (segment.suffix === "" || replaced.includes(segment)) continue;
    const next = replacement[i + 1]?.baseOffset;
    for (const txn of entries)
      if (txn.lastOffset >= segment.baseOffset && (next === undefined || txn.lastOffset < next))
        await segment.txnIndex.append(txn);
    await segment.txnIndex.flush(true);
  }
}
