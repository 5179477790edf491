// A first pass over the cleanable segments that learns what compaction must know about producers
// and transactions before it may drop anything (KIP-98). Kafka reads aborted transactions from the
// .txnindex; there is none yet (issue 6), so they are derived here from the log itself, which is
// exact for the cleaned range because a clean always starts at the log's first segment:
//
// - a producer's transactional batches open a transaction that its next control batch ends; an
//   ABORT marker makes [first offset, marker offset] an aborted range for that producer;
// - a transaction with no marker in the scanned segments is undecided (it may still commit or
//   abort, or its marker sits in the active segment): nothing from its first offset on may be
//   cleaned, as Kafka stops cleaning at the last stable offset;
// - the last batch of each producer is remembered: it carries the producer's epoch and last
//   sequence, which a restart rebuilds producer state from.
//
// Only batch headers are read, plus the tiny control batches whole.

import type { FileHandle } from "node:fs/promises";
import { ControlRecordType, decodeBatch, readEndTxnMarker } from "@nagare/protocol/records";
import { readBatches } from "./batch-reader.ts";

export interface ScannedSegment {
  readonly handle: FileHandle;
  readonly path: string;
  readonly size: number;
}

export class TransactionScan {
  /** Per producer id, aborted [first, last] offset ranges in offset order. */
  private readonly aborted = new Map<bigint, bigint[][]>();
  private readonly lastBatch = new Map<bigint, bigint>();
  private readonly open = new Map<bigint, bigint>();
  /** Records in batches ending at or after the first dirty offset (bounds the offset map's keys). */
  dirtyRecords = 0;

  /** First offset of a transaction whose marker was not seen, or undefined. */
  get firstUndecidedOffset(): bigint | undefined {
    let first: bigint | undefined;
    for (const offset of this.open.values()) if (first === undefined || offset < first) first = offset;
    return first;
  }

  isAborted(producerId: bigint, offset: bigint): boolean {
    const ranges = this.aborted.get(producerId);
    if (!ranges) return false;
    let low = 0;
    let high = ranges.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const [first, last] = ranges[mid] as [bigint, bigint];
      if (offset < first) high = mid - 1;
      else if (offset > last) low = mid + 1;
      else return true;
    }
    return false;
  }

  /** True for the producer's last batch (data or control) in the scanned segments. */
  isLastBatchOfProducer(producerId: bigint, baseOffset: bigint): boolean {
    return this.lastBatch.get(producerId) === baseOffset;
  }

  static async scan(segments: readonly ScannedSegment[], firstDirtyOffset: bigint): Promise<TransactionScan> {
    const scan = new TransactionScan();
    for (const segment of segments) {
      const batches = readBatches(segment.handle, segment.path, 0, segment.size, {
        wholeBatch: (header) => header.isControl,
      });
      for await (const { header, bytes } of batches) {
        if (header.lastOffset >= firstDirtyOffset) scan.dirtyRecords += Math.max(0, header.recordCount);
        const producerId = header.producerId;
        if (producerId < 0n) continue;
        scan.lastBatch.set(producerId, header.baseOffset);
        if (header.isControl) scan.onControl(producerId, header.baseOffset, bytes);
        else if (header.isTransactional && !scan.open.has(producerId))
          scan.open.set(producerId, header.baseOffset);
      }
    }
    return scan;
  }

  private onControl(producerId: bigint, offset: bigint, bytes: Buffer): void {
    const marker = readEndTxnMarker(decodeBatch(bytes));
    if (marker === null) return; // another control type, or a control batch emptied earlier
    const first = this.open.get(producerId);
    this.open.delete(producerId);
    if (marker.type !== ControlRecordType.ABORT || first === undefined) return;
    const ranges = this.aborted.get(producerId) ?? [];
    ranges.push([first, offset]);
    this.aborted.set(producerId, ranges);
  }
}
