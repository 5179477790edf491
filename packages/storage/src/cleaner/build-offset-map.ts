// Fills the offset map with key → latest offset over the dirty section (Kafka's buildOffsetMap).
// Control batches and batches of aborted transactions add nothing: an aborted record must never
// hide the committed value before it. When the map fills up, it stops before the batch that does
// not fit, and only offsets below that point are cleaned this time; the rest waits for the next
// clean.

import type { FileHandle } from "node:fs/promises";
import { decodeBatch } from "@nagare/protocol/records";
import { readBatches } from "./batch-reader.ts";
import type { OffsetMap } from "./offset-map.ts";
import type { TransactionScan } from "./transaction-scan.ts";

export interface DirtySegment {
  readonly handle: FileHandle;
  readonly path: string;
  readonly size: number;
}

/**
 * Maps the dirty records of `segments` (from `firstDirtyOffset`) and returns the map's end: the
 * offset before which every dirty record is mapped (`rangeEnd` when all fit).
 */
export async function buildOffsetMap(
  segments: readonly DirtySegment[],
  firstDirtyOffset: bigint,
  rangeEnd: bigint,
  map: OffsetMap,
  transactions: TransactionScan,
  maxDecompressedBytes: number,
): Promise<bigint> {
  for (const segment of segments) {
    for await (const { header, bytes } of readBatches(segment.handle, segment.path, 0, segment.size)) {
      if (header.lastOffset < firstDirtyOffset || header.isControl) continue;
      if (header.isTransactional && transactions.isAborted(header.producerId, header.baseOffset)) continue;
      if (map.size + header.recordCount > map.capacity) {
        if (header.baseOffset <= firstDirtyOffset)
          throw new Error(
            `the offset map (${map.capacity} keys) cannot hold one batch of ${header.recordCount} records: raise log.cleaner.dedupe.buffer.size`,
          );
        return header.baseOffset;
      }
      const batch = decodeBatch(bytes, { maxDecompressedBytes });
      for (const record of batch.records) {
        const offset = batch.baseOffset + BigInt(record.offsetDelta);
        if (record.key !== null && offset >= firstDirtyOffset) map.put(record.key, offset);
      }
    }
    // These records are about to make older ones disappear: they must be on disk first (a closed
    // segment is normally fsynced already; this is cheap then).
    await segment.handle.sync();
  }
  return rangeEnd;
}
