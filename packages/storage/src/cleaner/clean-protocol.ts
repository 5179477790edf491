// The messages between the LogCleaner (main thread) and its worker thread. The worker gets plain
// data — paths, sizes, offsets, config values — reads the closed (immutable) segment files itself
// and writes `.cleaned` segments; the main thread swaps them in. Nothing else crosses the boundary.

/** A closed segment as the main thread saw it when the clean started. */
export interface SegmentSource {
  readonly baseOffset: bigint;
  /** Bytes of whole batches (a closed segment does not grow). */
  readonly size: number;
  /** The next segment's base offset: every offset of this segment is below it. */
  readonly endOffset: bigint;
  readonly offsetIndexBytes: number;
  readonly timeIndexBytes: number;
}

export interface CleanJob {
  readonly dir: string;
  /** The cleanable segments, consecutive, from the log's first. */
  readonly segments: readonly SegmentSource[];
  /** Offsets from here on are dirty (not cleaned yet): the offset map is built from them. */
  readonly firstDirtyOffset: bigint;
  readonly nowMs: number;
  /** Rewrite the cleaned section even when nothing is dirty (tombstones whose horizon passed). */
  readonly rewriteClean: boolean;
  readonly deleteRetentionMs: number;
  readonly segmentBytes: number;
  readonly segmentIndexBytes: number;
  readonly indexIntervalBytes: number;
  /** Upper bound on a batch's decompressed records. */
  readonly maxDecompressedBytes: number;
  readonly producerIdExpirationMs: number;
  /** Memory for the offset map (log.cleaner.dedupe.buffer.size). */
  readonly offsetMapBytes: number;
  /**
   * Test hook: the worker sets [1] to 1 after building the offset map, then waits until [0] is
   * non-zero (bounded), so a test can act while the worker is busy.
   */
  readonly gate?: Int32Array;
}

/** One `.cleaned` segment written by the worker, and the segments it replaces. */
export interface CleanedOutput {
  readonly baseOffset: bigint;
  readonly replaced: readonly bigint[];
}

export interface CleanStats {
  bytesRead: number;
  bytesWritten: number;
  batchesRead: number;
  batchesWritten: number;
  recordsRead: number;
  recordsKept: number;
  /** Keys in the offset map. */
  mapKeys: number;
}

export interface CleanJobResult {
  readonly outputs: readonly CleanedOutput[];
  /** Offsets below this are clean now: the next clean's first dirty offset. */
  readonly cleanedUpTo: bigint;
  /** The earliest delete horizon of a tombstone kept in the output (undefined when none). */
  readonly nextDeleteHorizonMs: number | undefined;
  readonly stats: CleanStats;
}

export interface WorkerRequest {
  readonly id: number;
  readonly job: CleanJob;
}

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly result: CleanJobResult }
  | { readonly id: number; readonly ok: false; readonly error: string };
