// A plain model of what idempotent and transactional producers do to a partition, written from
// the rules (Kafka's ProducerAppendInfo as issue 6 states them), not from the implementation. The
// state is a function of the batches in the log: truncation drops batches and replays the rest.
// Used by producer-state.model.test.ts and the producer crash test.

export interface ModelProducerBatch {
  readonly producerId: bigint;
  readonly epoch: number;
  readonly firstSeq: number;
  readonly count: number;
  readonly baseOffset: bigint;
  readonly maxTimestamp: bigint;
  readonly transactional: boolean;
  /** Set for a transaction marker. */
  readonly marker?: { readonly abort: boolean; readonly coordinatorEpoch: number };
}

interface Sent {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly first: bigint;
  readonly last: bigint;
}

export interface ModelProducer {
  epoch: number;
  sent: Sent[];
  coordinatorEpoch: number;
  lastTimestamp: bigint;
  txnStart: bigint | undefined;
}

export type ModelAppendOutcome =
  | { readonly ok: true }
  | { readonly duplicate: { readonly first: bigint; readonly last: bigint } }
  | { readonly error: string };

const int32Max = 2147483647;

export function lastSeqOf(firstSeq: number, count: number): number {
  const last = firstSeq + count - 1;
  return last > int32Max ? last - int32Max - 1 : last;
}

export class ProducerModel {
  producers = new Map<bigint, ModelProducer>();
  aborted: { producerId: bigint; first: bigint; last: bigint }[] = [];
  /** Every batch with a producer id in the log, in offset order. */
  log: ModelProducerBatch[] = [];

  /** What an append of `batch` from a client (or, for markers, the coordinator) must answer. */
  check(batch: ModelProducerBatch): ModelAppendOutcome {
    const p = this.producers.get(batch.producerId);
    if (batch.marker) {
      if (p && batch.epoch < p.epoch) return { error: "INVALID_PRODUCER_EPOCH" };
      if (p && batch.marker.coordinatorEpoch < p.coordinatorEpoch)
        return { error: "TRANSACTION_COORDINATOR_FENCED" };
      return { ok: true };
    }
    const lastSeq = lastSeqOf(batch.firstSeq, batch.count);
    const dup =
      p?.epoch === batch.epoch
        ? p.sent.find((s) => s.firstSeq === batch.firstSeq && s.lastSeq === lastSeq)
        : undefined;
    if (dup) return { duplicate: { first: dup.first, last: dup.last } };
    if (p === undefined || p.epoch === -1) return this.txnCheck(p, batch);
    if (batch.epoch < p.epoch) return { error: "INVALID_PRODUCER_EPOCH" };
    if (batch.epoch > p.epoch)
      return batch.firstSeq === 0 ? this.txnCheck(p, batch) : { error: "OUT_OF_ORDER_SEQUENCE_NUMBER" };
    const last = p.sent[p.sent.length - 1]?.lastSeq ?? -1;
    const next = last === int32Max ? 0 : last + 1;
    return batch.firstSeq === next ? this.txnCheck(p, batch) : { error: "OUT_OF_ORDER_SEQUENCE_NUMBER" };
  }

  private txnCheck(p: ModelProducer | undefined, batch: ModelProducerBatch): ModelAppendOutcome {
    return p?.txnStart !== undefined && !batch.transactional ? { error: "INVALID_TXN_STATE" } : { ok: true };
  }

  /** Applies a batch that was written. */
  apply(batch: ModelProducerBatch): void {
    this.log.push(batch);
    const p = this.producers.get(batch.producerId) ?? {
      epoch: -1,
      sent: [],
      coordinatorEpoch: -1,
      lastTimestamp: -1n,
      txnStart: undefined,
    };
    this.producers.set(batch.producerId, p);
    if (batch.epoch !== p.epoch) {
      p.epoch = batch.epoch;
      p.sent = [];
    }
    p.lastTimestamp = batch.maxTimestamp;
    if (batch.marker) {
      if (p.txnStart !== undefined && batch.marker.abort)
        this.aborted.push({ producerId: batch.producerId, first: p.txnStart, last: batch.baseOffset });
      p.txnStart = undefined;
      p.coordinatorEpoch = batch.marker.coordinatorEpoch;
      return;
    }
    p.sent.push({
      firstSeq: batch.firstSeq,
      lastSeq: lastSeqOf(batch.firstSeq, batch.count),
      first: batch.baseOffset,
      last: batch.baseOffset + BigInt(batch.count - 1),
    });
    if (p.sent.length > 5) p.sent.shift();
    if (batch.transactional && p.txnStart === undefined) p.txnStart = batch.baseOffset;
  }

  /** The log loses every batch ending at or after `logEnd` (the new log end offset). */
  truncate(logEnd: bigint): void {
    const kept = this.log.filter((b) => b.baseOffset + BigInt(b.marker ? 0 : b.count - 1) < logEnd);
    this.producers = new Map();
    this.aborted = [];
    this.log = [];
    for (const batch of kept) this.apply(batch);
  }

  get firstUnstableOffset(): bigint | undefined {
    let first: bigint | undefined;
    for (const p of this.producers.values())
      if (p.txnStart !== undefined && (first === undefined || p.txnStart < first)) first = p.txnStart;
    return first;
  }

  abortedIn(fetchOffset: bigint, upperBound: bigint): { producerId: bigint; firstOffset: bigint }[] {
    return this.aborted
      .filter((t) => t.last >= fetchOffset && t.first < upperBound)
      .map((t) => ({ producerId: t.producerId, firstOffset: t.first }));
  }

  view(): {
    producerId: bigint;
    producerEpoch: number;
    lastSequence: number;
    lastTimestamp: bigint;
    coordinatorEpoch: number;
    currentTxnStartOffset: bigint;
  }[] {
    return [...this.producers.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([producerId, p]) => ({
        producerId,
        producerEpoch: p.epoch,
        lastSequence: p.sent[p.sent.length - 1]?.lastSeq ?? -1,
        lastTimestamp: p.lastTimestamp,
        coordinatorEpoch: p.coordinatorEpoch,
        currentTxnStartOffset: p.txnStart ?? -1n,
      }));
  }
}
