// Walks RecordBatch v2 batches laid end to end in a Buffer (a Produce request's records, a Fetch
// response's records, a segment file or a chunk of one) using only the size prefix and the magic
// byte: no CRC, no record decoding. Each step reports either a whole batch or a truncated tail.
// A tail is not an error: Fetch responses legitimately end in a partial batch, a segment chunk can
// end mid-batch, and crash recovery truncates a torn write at the last whole batch. Garbage (a
// batchLength below the 49-byte minimum or above the caller's maximum, a magic byte other than 2)
// throws CodecError.
//
// Only magic 2 is supported. Legacy v0/v1 message sets (pre-0.11 clients) keep their magic byte
// at the same position (offset 16), so they are recognised and rejected with UNSUPPORTED_MAGIC
// rather than misread.

import { CodecError } from "../codec/codec-error.ts";
import {
  BATCH_LENGTH_OFFSET,
  BATCH_LENGTH_PREFIX,
  CURRENT_MAGIC,
  MAGIC_OFFSET,
  MIN_BATCH_LENGTH,
} from "./batch-layout.ts";

/** A whole batch: `size` bytes starting at `position`. */
export interface BatchSpan {
  readonly kind: "batch";
  readonly position: number;
  readonly size: number;
}

/** The buffer ends inside a batch starting at `position`. */
export interface TruncatedTail {
  readonly kind: "truncated";
  readonly position: number;
  /** Bytes present from `position` to the end of the buffer. */
  readonly available: number;
  /** The batch's full size, or null when even its 12-byte size prefix is cut. */
  readonly size: number | null;
}

export type BatchProbe = BatchSpan | TruncatedTail;

export interface ScanOptions {
  /** A batch declaring more bytes than this is garbage, not a truncated tail. */
  readonly maxBatchSize?: number;
}

/**
 * Looks at the batch starting at `position`: null at the exact end of the buffer, a BatchSpan
 * when the whole batch is present, a TruncatedTail when the buffer ends inside it.
 */
export function probeBatch(buf: Buffer, position: number, options: ScanOptions = {}): BatchProbe | null {
  if (!Number.isInteger(position) || position < 0 || position > buf.length) {
    throw new RangeError(`scan position ${position} is outside the buffer of ${buf.length} bytes`);
  }
  const available = buf.length - position;
  if (available === 0) return null;
  if (available > MAGIC_OFFSET) {
    const magic = buf.readInt8(position + MAGIC_OFFSET);
    if (magic !== CURRENT_MAGIC) {
      throw new CodecError(
        "UNSUPPORTED_MAGIC",
        `record batch at position ${position} has magic ${magic}; only magic 2 (Kafka 0.11+) is supported`,
      );
    }
  }
  if (available < BATCH_LENGTH_PREFIX) return { kind: "truncated", position, available, size: null };
  const batchLength = buf.readInt32BE(position + BATCH_LENGTH_OFFSET);
  if (batchLength < MIN_BATCH_LENGTH) {
    throw new CodecError(
      "MALFORMED",
      `record batch at position ${position} has batchLength ${batchLength}, below the minimum ${MIN_BATCH_LENGTH}`,
    );
  }
  const size = BATCH_LENGTH_PREFIX + batchLength;
  const maxBatchSize = options.maxBatchSize ?? Number.POSITIVE_INFINITY;
  if (size > maxBatchSize) {
    throw new CodecError(
      "MALFORMED",
      `record batch at position ${position} declares ${size} bytes, above the maximum ${maxBatchSize}`,
    );
  }
  if (size > available) return { kind: "truncated", position, available, size };
  return { kind: "batch", position, size };
}

/**
 * Yields every whole batch from `start` on, then a TruncatedTail if the buffer ends inside a
 * batch. Throws CodecError at the first garbage batch (the spans yielded before it stay valid).
 */
export function* scanBatches(buf: Buffer, start = 0, options: ScanOptions = {}): Generator<BatchProbe, void> {
  let position = start;
  for (;;) {
    const probe = probeBatch(buf, position, options);
    if (probe === null) return;
    yield probe;
    if (probe.kind === "truncated") return;
    position += probe.size;
  }
}

export interface BatchSplit {
  readonly batches: BatchSpan[];
  /** End of the last whole batch: where a torn tail would be truncated. */
  readonly validEnd: number;
  readonly truncatedTail: TruncatedTail | null;
}

/** Collects the whole batches of `buf` and reports any truncated tail. */
export function splitBatches(buf: Buffer, start = 0, options: ScanOptions = {}): BatchSplit {
  const batches: BatchSpan[] = [];
  let validEnd = start;
  for (const probe of scanBatches(buf, start, options)) {
    if (probe.kind === "truncated") return { batches, validEnd, truncatedTail: probe };
    batches.push(probe);
    validEnd = probe.position + probe.size;
  }
  return { batches, validEnd, truncatedTail: null };
}
