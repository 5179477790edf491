// Checks the batches of one append against the producer state and works out what the append does
// to it (Kafka's ProducerAppendInfo + UnifiedLog.analyzeAndValidateProducerState), from the batch
// headers only; a control batch's single marker record is decoded (it is a few dozen bytes).
// Nothing is installed until the bytes are written: `applyProducerAppend` does that afterwards, so
// a rejected or failed append leaves the state as it was.
//
// Rules, by origin (Kafka's AppendOrigin):
// - client: a batch equal (epoch, first and last sequence) to one of the producer's last five is a
//   duplicate (a retry whose response was lost); a lower epoch is INVALID_PRODUCER_EPOCH; a higher
//   epoch must start at sequence 0; the same epoch must continue the last sequence (int32 wraps to
//   0) — else OUT_OF_ORDER_SEQUENCE_NUMBER. A producer this partition does not know (never wrote,
//   or expired) may start at any sequence: Kafka ≥ 2.5 (KIP-360) accepts it so that a producer
//   whose state expired can go on; earlier versions answered UNKNOWN_PRODUCER_ID.
// - coordinator (transactional offset commits, transaction markers): the epoch is checked, the
//   sequence is not (these batches carry none).
// - replication (a follower copying the leader, and replay at start-up): nothing is checked.
// From clients and coordinators, a non-transactional batch from a producer with an ongoing
// transaction is INVALID_TXN_STATE, as in Kafka. A transaction marker below the producer's epoch is
// INVALID_PRODUCER_EPOCH, one below its coordinator epoch TRANSACTION_COORDINATOR_FENCED; a marker
// for a producer with no ongoing transaction is written and ends nothing.

import {
  BatchHeader,
  CodecError,
  ControlRecordType,
  decodeBatch,
  readEndTxnMarker,
} from "@nagare/protocol/records";
import {
  batchesRetained,
  emptyEntry,
  lastSequenceOf,
  noProducerEpoch,
  type ProducerBatch,
  type ProducerEntry,
  type ProducerState,
} from "./producer-state.ts";
import type { AppendedBatch } from "./segment.ts";
import { StorageError } from "./storage-error.ts";

export type AppendOrigin = "client" | "coordinator" | "replication";

/** Byte 43 of a batch is the high byte of its producerId: -1 (no producer) is negative. */
const producerIdPosition = 43;
const int32Max = 2147483647;

/** A transaction a marker in this append ends. */
export interface CompletedTxn {
  readonly producerId: bigint;
  readonly firstOffset: bigint;
  /** The marker's offset. */
  readonly lastOffset: bigint;
  readonly aborted: boolean;
}

export interface ProducerAppend {
  /** Each producer's entry after the append, in the order the batches changed them. */
  readonly steps: readonly { readonly entry: ProducerEntry; readonly completed?: CompletedTxn }[];
  /** Set when every batch of the append was appended before: nothing is written. */
  readonly duplicate: { readonly first: ProducerBatch; readonly last: ProducerBatch } | undefined;
}

/** True when a batch of the append carries a producer id (one byte read per batch). */
export function hasProducerBatch(records: Buffer, batches: readonly AppendedBatch[]): boolean {
  for (const batch of batches)
    if ((records[batch.position + producerIdPosition] as number) < 0x80) return true;
  return false;
}

/** Checks the append's batches (offsets already assigned in `records`); throws StorageError. */
export function analyzeProducerBatches(
  records: Buffer,
  batches: readonly AppendedBatch[],
  state: ProducerState,
  origin: AppendOrigin,
): ProducerAppend {
  const current = new Map<bigint, ProducerEntry>();
  const steps: { entry: ProducerEntry; completed?: CompletedTxn }[] = [];
  const duplicates: ProducerBatch[] = [];
  let fresh = 0;
  for (const batch of batches) {
    const header = new BatchHeader(records, batch.position);
    const producerId = header.producerId;
    if (producerId < 0n) {
      fresh++;
      continue;
    }
    const entry = current.get(producerId) ?? state.get(producerId) ?? emptyEntry(producerId);
    let step: { entry: ProducerEntry; completed?: CompletedTxn };
    if (header.isControl) {
      step = appendMarker(
        entry,
        header,
        records.subarray(batch.position, batch.position + batch.size),
        origin,
      );
    } else {
      const duplicate = origin === "client" ? findDuplicate(entry, header) : undefined;
      if (duplicate) {
        duplicates.push(duplicate);
        continue;
      }
      step = { entry: appendData(entry, header, batch, origin) };
    }
    fresh++;
    current.set(producerId, step.entry);
    steps.push(step);
  }
  if (duplicates.length > 0 && fresh > 0)
    throw new StorageError(
      "DUPLICATE_SEQUENCE_NUMBER",
      "an append mixes batches written before with new ones: retry only what was not acknowledged",
    );
  const first = duplicates[0];
  const last = duplicates[duplicates.length - 1];
  return { steps, duplicate: first && last ? { first, last } : undefined };
}

/**
 * Installs the append's effects once written. `onCompleted` runs for each transaction a marker
 * ended, with the last stable offset after it (before it leaves the ongoing set, as Kafka computes
 * it for the transaction index).
 */
export async function applyProducerAppend(
  append: ProducerAppend,
  state: ProducerState,
  onCompleted: (txn: CompletedTxn, lastStableOffset: bigint) => Promise<void>,
): Promise<void> {
  for (const { entry, completed } of append.steps) {
    if (completed)
      await onCompleted(completed, state.lastStableOffsetAfter(completed.producerId, completed.lastOffset));
    state.put(entry);
  }
}

function findDuplicate(entry: ProducerEntry, header: BatchHeader): ProducerBatch | undefined {
  if (header.producerEpoch !== entry.epoch) return undefined;
  const firstSeq = header.baseSequence;
  const lastSeq = incrementSequence(firstSeq, header.lastOffsetDelta);
  return entry.batches.find((b) => b.firstSeq === firstSeq && b.lastSeq === lastSeq);
}

function appendData(
  entry: ProducerEntry,
  header: BatchHeader,
  batch: AppendedBatch,
  origin: AppendOrigin,
): ProducerEntry {
  const epoch = header.producerEpoch;
  const firstSeq = header.baseSequence;
  const where = () => `producer ${entry.producerId} at offset ${batch.baseOffset}`;
  if (origin === "client" && firstSeq < 0)
    throw new StorageError("INVALID_RECORD", `invalid sequence number ${firstSeq} from ${where()}`);
  if (origin !== "replication") {
    checkEpoch(entry, epoch, where);
    if (origin === "client") checkSequence(entry, epoch, firstSeq, where);
  }
  const isTransactional = header.isTransactional;
  // A follower (and replay) takes the leader's log as it is.
  if (entry.currentTxnFirstOffset !== undefined && !isTransactional && origin !== "replication")
    throw new StorageError(
      "INVALID_TXN_STATE",
      `non-transactional batch from ${where()} while its transaction from ${entry.currentTxnFirstOffset} is ongoing`,
    );
  const added: ProducerBatch = {
    firstSeq,
    lastSeq: firstSeq < 0 ? firstSeq : incrementSequence(firstSeq, header.lastOffsetDelta),
    firstOffset: batch.baseOffset,
    lastOffset: batch.lastOffset,
    maxTimestamp: batch.maxTimestamp,
  };
  const kept = epoch === entry.epoch ? entry.batches.slice(-(batchesRetained - 1)) : [];
  kept.push(added);
  return {
    producerId: entry.producerId,
    epoch,
    batches: kept,
    coordinatorEpoch: entry.coordinatorEpoch,
    lastTimestamp: batch.maxTimestamp,
    currentTxnFirstOffset: entry.currentTxnFirstOffset ?? (isTransactional ? batch.baseOffset : undefined),
  };
}

function appendMarker(
  entry: ProducerEntry,
  header: BatchHeader,
  bytes: Buffer,
  origin: AppendOrigin,
): { entry: ProducerEntry; completed?: CompletedTxn } {
  let marker: ReturnType<typeof readEndTxnMarker>;
  try {
    marker = readEndTxnMarker(decodeBatch(bytes, { verifyCrc: false }));
  } catch (error) {
    if (error instanceof CodecError)
      throw new StorageError("INVALID_RECORD", `malformed control batch: ${error.message}`, { cause: error });
    throw error;
  }
  // Another control type, or a control batch compaction emptied: nothing to end (as Kafka).
  if (marker === null) return { entry };
  const offset = header.baseOffset;
  const where = () => `producer ${entry.producerId} at offset ${offset}`;
  if (origin !== "replication") {
    checkEpoch(entry, header.producerEpoch, where);
    if (marker.coordinatorEpoch < entry.coordinatorEpoch)
      throw new StorageError(
        "TRANSACTION_COORDINATOR_FENCED",
        `transaction marker from coordinator epoch ${marker.coordinatorEpoch} for ${where()}: the current one is ${entry.coordinatorEpoch}`,
      );
  }
  const first = entry.currentTxnFirstOffset;
  const next: ProducerEntry = {
    producerId: entry.producerId,
    epoch: header.producerEpoch,
    batches: header.producerEpoch === entry.epoch ? entry.batches : [],
    coordinatorEpoch: marker.coordinatorEpoch,
    lastTimestamp: header.maxTimestamp,
    currentTxnFirstOffset: undefined,
  };
  if (first === undefined) return { entry: next };
  return {
    entry: next,
    completed: {
      producerId: entry.producerId,
      firstOffset: first,
      lastOffset: offset,
      aborted: marker.type === ControlRecordType.ABORT,
    },
  };
}

function checkEpoch(entry: ProducerEntry, epoch: number, where: () => string): void {
  if (epoch < entry.epoch)
    throw new StorageError(
      "INVALID_PRODUCER_EPOCH",
      `epoch ${epoch} of ${where()} is below the producer's current epoch ${entry.epoch}`,
    );
}

function checkSequence(entry: ProducerEntry, epoch: number, firstSeq: number, where: () => string): void {
  // A producer this partition does not know may start anywhere (KIP-360, see above).
  if (entry.epoch === noProducerEpoch) return;
  if (epoch !== entry.epoch) {
    if (firstSeq !== 0)
      throw new StorageError(
        "OUT_OF_ORDER_SEQUENCE_NUMBER",
        `new epoch ${epoch} of ${where()} starts at sequence ${firstSeq}, not 0`,
      );
    return;
  }
  const lastSeq = lastSequenceOf(entry);
  if (!inSequence(lastSeq, firstSeq))
    throw new StorageError(
      "OUT_OF_ORDER_SEQUENCE_NUMBER",
      `sequence ${firstSeq} of ${where()} does not follow the last sequence ${lastSeq}`,
    );
}

function inSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === int32Max);
}

/** Sequences wrap from 2^31-1 to 0 (Kafka's DefaultRecordBatch.incrementSequence). */
export function incrementSequence(sequence: number, increment: number): number {
  return sequence > int32Max - increment ? increment - (int32Max - sequence) - 1 : sequence + increment;
}
