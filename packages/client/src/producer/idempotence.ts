// Idempotence bookkeeping (KIP-98, KIP-360), as Java's TransactionManager/TxnPartitionMap keep it:
// the producer id and epoch, and per partition the next sequence, the last acknowledged sequence
// and the batches sent but not yet acknowledged. A partition switches to a new id/epoch only
// when none of its batches are outstanding, so a retry never changes the (id, epoch, sequence)
// the broker may already have written — except for partitions whose sequences are deliberately
// rewritten after an epoch bump that their own gap caused.

import type { ProducerBatch } from "./batch.ts";

export interface ProducerIdAndEpoch {
  readonly producerId: bigint;
  readonly epoch: number;
}

export const NO_PRODUCER: ProducerIdAndEpoch = { producerId: -1n, epoch: -1 };

/** The broker remembers a producer's last five batches per partition (Kafka's limit too). */
export const MAX_IN_FLIGHT_PER_PARTITION = 5;

interface PartitionSequence {
  identity: ProducerIdAndEpoch;
  nextSequence: number;
  lastAcked: number;
  /** Sent and not yet acknowledged or failed, in sequence order. */
  readonly outstanding: ProducerBatch[];
}

function key(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/** Sequences are int32 and wrap to 0 after 2^31 - 1 (Java's DefaultRecordBatch.incrementSequence). */
export function incrementSequence(sequence: number, increment: number): number {
  const next = sequence + increment;
  return next > 0x7fffffff ? next - 0x80000000 : next;
}

function sameIdentity(a: ProducerIdAndEpoch, b: ProducerIdAndEpoch): boolean {
  return a.producerId === b.producerId && a.epoch === b.epoch;
}

export class SequenceBook {
  private identity: ProducerIdAndEpoch = NO_PRODUCER;
  private readonly partitions = new Map<string, PartitionSequence>();
  /** Partitions whose gap needs an epoch bump; their outstanding sequences restart from 0. */
  private readonly toRewrite = new Set<string>();

  get current(): ProducerIdAndEpoch {
    return this.identity;
  }

  get hasProducerId(): boolean {
    return this.identity.producerId >= 0n;
  }

  get bumpRequired(): boolean {
    return this.toRewrite.size > 0;
  }

  private entry(topic: string, partition: number): PartitionSequence {
    const k = key(topic, partition);
    let entry = this.partitions.get(k);
    if (!entry) {
      entry = { identity: this.identity, nextSequence: 0, lastAcked: -1, outstanding: [] };
      this.partitions.set(k, entry);
    }
    return entry;
  }

  /** Whether a batch that never had a sequence may be sent to the partition now. */
  canSendNew(topic: string, partition: number): boolean {
    if (!this.hasProducerId || this.bumpRequired) return false;
    const entry = this.entry(topic, partition);
    if (!sameIdentity(entry.identity, this.identity)) {
      if (entry.outstanding.length > 0) return false; // old-epoch batches must finish first
      entry.identity = this.identity;
      entry.nextSequence = 0;
      entry.lastAcked = -1;
    }
    return entry.outstanding.length < MAX_IN_FLIGHT_PER_PARTITION;
  }

  /** Gives a new batch the partition's next sequence and tracks it until it completes. */
  assign(batch: ProducerBatch, isTransactional: boolean): void {
    const entry = this.entry(batch.topic, batch.partition);
    batch.setProducerState(
      entry.identity.producerId,
      entry.identity.epoch,
      entry.nextSequence,
      isTransactional,
    );
    entry.nextSequence = incrementSequence(entry.nextSequence, batch.recordCount);
    entry.outstanding.push(batch);
  }

  /** The batch directly follows the last acknowledged one. */
  isNextSequence(batch: ProducerBatch): boolean {
    const entry = this.entry(batch.topic, batch.partition);
    return batch.baseSequence === incrementSequence(entry.lastAcked, 1);
  }

  acknowledged(batch: ProducerBatch): void {
    const entry = this.entry(batch.topic, batch.partition);
    if (batch.producerId === entry.identity.producerId && batch.producerEpoch === entry.identity.epoch)
      entry.lastAcked = batch.lastSequence;
    this.forget(entry, batch);
  }

  /** The batch failed for good: it no longer holds its sequence. */
  failed(batch: ProducerBatch): void {
    this.forget(this.entry(batch.topic, batch.partition), batch);
  }

  private forget(entry: PartitionSequence, batch: ProducerBatch): void {
    const at = entry.outstanding.indexOf(batch);
    if (at >= 0) entry.outstanding.splice(at, 1);
  }

  /** A gap on this partition (OUT_OF_ORDER_SEQUENCE_NUMBER, UNKNOWN_PRODUCER_ID, a lost batch). */
  requestEpochBump(topic: string, partition: number): void {
    this.toRewrite.add(key(topic, partition));
  }

  /**
   * Takes a new id/epoch. Partitions that asked for the bump restart at sequence 0 with their
   * outstanding batches renumbered in order; the others switch once their batches are done.
   */
  setIdentity(identity: ProducerIdAndEpoch): void {
    this.identity = identity;
    for (const k of this.toRewrite) {
      const entry = this.partitions.get(k);
      if (!entry) continue;
      entry.identity = identity;
      entry.lastAcked = -1;
      let sequence = 0;
      for (const batch of entry.outstanding) {
        batch.setProducerState(identity.producerId, identity.epoch, sequence, batch.isTransactional);
        batch.sequenceReset = true;
        sequence = incrementSequence(sequence, batch.recordCount);
      }
      entry.nextSequence = sequence;
    }
    this.toRewrite.clear();
  }

  /** Forgets every partition (a transactional producer after InitProducerId). */
  reset(identity: ProducerIdAndEpoch): void {
    this.identity = identity;
    this.partitions.clear();
    this.toRewrite.clear();
  }
}
