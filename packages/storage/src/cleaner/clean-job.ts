// One clean of one log, run in the worker thread (it is plain async code, so tests may also run it
// directly): scan transactions, build the offset map over the dirty section, then rewrite every
// segment below the map's end, grouped into new `.cleaned` segments. Returns what to swap in; the
// main thread does the swap. On failure, every `.cleaned` file it wrote is removed.

import { type FileHandle, open, stat } from "node:fs/promises";
import { join } from "node:path";
import { segmentFileName } from "../segment.ts";
import { filterBatch } from "./batch-filter.ts";
import { readBatches } from "./batch-reader.ts";
import { buildOffsetMap } from "./build-offset-map.ts";
import type { CleanedOutput, CleanJob, CleanJobResult, CleanStats, SegmentSource } from "./clean-protocol.ts";
import { CleanedSegmentWriter } from "./cleaned-segment-writer.ts";
import { OffsetMap, offsetMapLoadFactor } from "./offset-map.ts";
import { groupSegmentsBySize } from "./segment-groups.ts";
import { TransactionScan } from "./transaction-scan.ts";

const gateTimeoutMs = 30_000;

interface OpenSegment {
  readonly source: SegmentSource;
  readonly handle: FileHandle;
  readonly path: string;
  readonly size: number;
}

export async function runCleanJob(job: CleanJob): Promise<CleanJobResult> {
  const stats: CleanStats = {
    bytesRead: 0,
    bytesWritten: 0,
    batchesRead: 0,
    batchesWritten: 0,
    recordsRead: 0,
    recordsKept: 0,
    mapKeys: 0,
  };
  const opened: OpenSegment[] = [];
  const writers: CleanedSegmentWriter[] = [];
  try {
    for (const source of job.segments) {
      const path = join(job.dir, segmentFileName(source.baseOffset, ".log"));
      opened.push({ source, path, size: source.size, handle: await open(path, "r") });
    }
    const transactions = await TransactionScan.scan(opened, job.firstDirtyOffset);
    // Nothing at or after an undecided transaction is cleanable (Kafka's last-stable-offset bound).
    const undecided = transactions.firstUndecidedOffset;
    const cleanable = opened.filter((s) => undecided === undefined || s.source.endOffset <= undecided);
    const dirty = cleanable.filter((s) => s.source.endOffset > job.firstDirtyOffset);
    const last = cleanable.at(-1);
    const nothingToDo: CleanJobResult = {
      outputs: [],
      cleanedUpTo: job.firstDirtyOffset,
      nextDeleteHorizonMs: undefined,
      stats,
    };
    if (last === undefined || (dirty.length === 0 && !job.rewriteClean)) return nothingToDo;

    const wanted = Math.ceil((transactions.dirtyRecords + 1) / offsetMapLoadFactor) + 1;
    const map = new OffsetMap(Math.min(OffsetMap.slotsFor(job.offsetMapBytes), Math.max(2, wanted)));
    const rangeEnd = last.source.endOffset;
    const mapEnd = await buildOffsetMap(
      dirty,
      job.firstDirtyOffset,
      rangeEnd,
      map,
      transactions,
      job.maxDecompressedBytes,
    );
    stats.mapKeys = map.size;
    if (job.gate) {
      Atomics.store(job.gate, 1, 1);
      Atomics.notify(job.gate, 1);
      Atomics.wait(job.gate, 0, 0, gateTimeoutMs);
    }

    const context = {
      map,
      mapEnd,
      nowMs: job.nowMs,
      deleteRetentionMs: job.deleteRetentionMs,
      producerIdExpirationMs: job.producerIdExpirationMs,
      transactions,
      maxDecompressedBytes: job.maxDecompressedBytes,
    };
    const bySource = new Map(cleanable.map((s) => [s.source, s]));
    const groups = groupSegmentsBySize(
      cleanable.filter((s) => s.source.baseOffset < mapEnd).map((s) => s.source),
      job,
    );
    const outputs: CleanedOutput[] = [];
    let horizon: bigint | undefined;
    for (const group of groups) {
      const first = group[0] as SegmentSource;
      const writer = await CleanedSegmentWriter.create(job.dir, first.baseOffset, job);
      writers.push(writer);
      // The last batch of the group stays (at least empty) so the new segment ends where the group
      // did: a restart completing an interrupted swap relies on that range (segment-swap.ts).
      const lastNonEmpty = group.findLast((s) => s.size > 0);
      for (const source of group) {
        const segment = bySource.get(source) as OpenSegment;
        for await (const { position, header, bytes } of readBatches(
          segment.handle,
          segment.path,
          0,
          segment.size,
        )) {
          const lastOfSegment = source === lastNonEmpty && position + header.size === source.size;
          const filtered = filterBatch(bytes, header, lastOfSegment, context);
          stats.bytesRead += bytes.length;
          stats.batchesRead++;
          stats.recordsRead += filtered.recordsRead;
          stats.recordsKept += filtered.recordsKept;
          if (filtered.bytes) await writer.add(filtered.bytes);
          const tombstones = filtered.tombstoneHorizonMs;
          if (tombstones !== undefined && (horizon === undefined || tombstones < horizon))
            horizon = tombstones;
        }
      }
      const lastSource = group.at(-1) as SegmentSource;
      await writer.finish((await stat(bySource.get(lastSource)?.path ?? "")).mtime);
      stats.bytesWritten += writer.bytesWritten;
      stats.batchesWritten += writer.batchesWritten;
      outputs.push({ baseOffset: first.baseOffset, replaced: group.map((s) => s.baseOffset) });
    }
    return {
      outputs,
      cleanedUpTo: later(mapEnd, job.firstDirtyOffset),
      nextDeleteHorizonMs: horizon === undefined ? undefined : Number(horizon),
      stats,
    };
  } catch (error) {
    for (const writer of writers) await writer.abandon();
    throw error;
  } finally {
    for (const segment of opened) await segment.handle.close().catch(() => undefined);
  }
}

/** The larger of two offsets (Math.max does not take bigints). */
function later(a: bigint, b: bigint): bigint {
  if (a > b) return a;
  return b;
}
