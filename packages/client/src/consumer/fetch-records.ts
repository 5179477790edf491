// Turns one partition's Fetch records into the records the application may see (Kafka's
// CompletedFetch): whole batches arrive, including the one holding the fetch offset, so records
// below it are skipped; control batches (transaction markers) are never records; and under
// read_committed the records of aborted transactions are dropped. An aborted transaction is known
// from the response's abortedTransactions list (producer id + first offset): from its first
// offset on, that producer's transactional batches are dropped until its ABORT marker.
//
// The next fetch offset moves past every batch read, records or not, so a fetch that holds only
// markers or aborted data still makes progress.

import {
  ControlRecordType,
  type RecordBatch,
  readEndTxnMarker,
  TimestampType,
} from "@nagare/protocol/records";
import type { RecordHeader } from "../types.ts";
import type { IsolationLevel } from "./options.ts";

/** A record before deserialization. */
export interface RawRecord {
  readonly offset: bigint;
  readonly timestamp: number;
  readonly timestampType: "CreateTime" | "LogAppendTime";
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
  readonly leaderEpoch: number;
}

export interface AbortedTransaction {
  readonly producerId: bigint;
  readonly firstOffset: bigint;
}

export interface PartitionRecords {
  readonly records: RawRecord[];
  /** Where the next fetch starts: past the last batch read (at least `fetchOffset`). */
  readonly nextOffset: bigint;
  /** Leader epoch of the last batch read (-1 when none). */
  readonly lastEpoch: number;
}

export function recordsFromBatches(
  batches: readonly RecordBatch[],
  fetchOffset: bigint,
  isolation: IsolationLevel,
  abortedTransactions: readonly AbortedTransaction[] | null,
): PartitionRecords {
  const records: RawRecord[] = [];
  let nextOffset = fetchOffset;
  let lastEpoch = -1;
  const pendingAborts = [...(abortedTransactions ?? [])].sort((a, b) =>
    a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0,
  );
  const abortedProducers = new Set<bigint>();

  for (const batch of batches) {
    const lastOffset = batch.baseOffset + BigInt(batch.lastOffsetDelta);
    if (lastOffset < nextOffset) continue; // wholly before the position
    const batchNext = lastOffset + 1n;

    if (isolation === "read_committed" && batch.producerId >= 0n) {
      // Transactions that started at or before this batch's end are in effect for it.
      while (pendingAborts.length > 0 && (pendingAborts[0] as AbortedTransaction).firstOffset <= lastOffset)
        abortedProducers.add((pendingAborts.shift() as AbortedTransaction).producerId);
      const marker = batch.isControl ? readEndTxnMarker(batch) : null;
      if (marker?.type === ControlRecordType.ABORT) abortedProducers.delete(batch.producerId);
      else if (batch.isTransactional && !batch.isControl && abortedProducers.has(batch.producerId)) {
        nextOffset = batchNext;
        continue;
      }
    }
    if (batch.isControl) {
      nextOffset = batchNext;
      continue;
    }

    const logAppend = batch.timestampType === TimestampType.LOG_APPEND_TIME;
    for (const record of batch.records) {
      const offset = batch.baseOffset + BigInt(record.offsetDelta);
      if (offset < nextOffset) continue;
      records.push({
        offset,
        timestamp: Number(logAppend ? batch.maxTimestamp : batch.baseTimestamp + record.timestampDelta),
        timestampType: logAppend ? "LogAppendTime" : "CreateTime",
        key: record.key,
        value: record.value,
        headers: record.headers,
        leaderEpoch: batch.partitionLeaderEpoch,
      });
    }
    nextOffset = batchNext;
    lastEpoch = batch.partitionLeaderEpoch;
  }
  return { records, nextOffset, lastEpoch };
}
