// One transactional id's state, as Kafka's TransactionMetadata keeps it: the producer id and
// epoch handed out, the transaction's partitions, its state and timestamps. The status numbers are
// those of Kafka's transaction log, so __transaction_state stays readable by Kafka's tools.

export type TxnState =
  | "Empty"
  | "Ongoing"
  | "PrepareCommit"
  | "PrepareAbort"
  | "CompleteCommit"
  | "CompleteAbort"
  | "Dead"
  | "PrepareEpochFence";

/** TransactionState ids in Kafka's transaction log. */
export const txnStateIds: Readonly<Record<TxnState, number>> = {
  Empty: 0,
  Ongoing: 1,
  PrepareCommit: 2,
  PrepareAbort: 3,
  CompleteCommit: 4,
  CompleteAbort: 5,
  Dead: 6,
  PrepareEpochFence: 7,
};

export function txnStateFromId(id: number): TxnState | undefined {
  return (Object.keys(txnStateIds) as TxnState[]).find((s) => txnStateIds[s] === id);
}

/** Kafka: an epoch this high is never handed out again; the producer gets a new id instead. */
export const maxProducerEpoch = 32766;

export const noProducerId = -1n;
export const noProducerEpoch = -1;

export interface TxnSnapshot {
  readonly producerId: bigint;
  readonly previousProducerId: bigint;
  readonly producerEpoch: number;
  readonly lastProducerEpoch: number;
  readonly timeoutMs: number;
  readonly state: TxnState;
  /** topic → partitions in the transaction. */
  readonly partitions: ReadonlyMap<string, ReadonlySet<number>>;
  readonly startTimestamp: number;
  readonly lastUpdateTimestamp: number;
}

export class TransactionMetadata implements TxnSnapshot {
  readonly transactionalId: string;
  producerId: bigint;
  previousProducerId: bigint = noProducerId;
  producerEpoch: number = noProducerEpoch;
  /** The epoch before the last bump: a retried InitProducerId whose answer was lost names it. */
  lastProducerEpoch: number = noProducerEpoch;
  timeoutMs: number;
  state: TxnState = "Empty";
  partitions = new Map<string, Set<number>>();
  startTimestamp = -1;
  lastUpdateTimestamp: number;
  /** A state change is being written: requests that would change it again must retry. */
  pending = false;

  constructor(transactionalId: string, producerId: bigint, timeoutMs: number, now: number) {
    this.transactionalId = transactionalId;
    this.producerId = producerId;
    this.timeoutMs = timeoutMs;
    this.lastUpdateTimestamp = now;
  }

  /** A copy to modify and persist before it replaces this state (Kafka's TxnTransitMetadata). */
  snapshot(): TxnSnapshot {
    return {
      producerId: this.producerId,
      previousProducerId: this.previousProducerId,
      producerEpoch: this.producerEpoch,
      lastProducerEpoch: this.lastProducerEpoch,
      timeoutMs: this.timeoutMs,
      state: this.state,
      partitions: new Map([...this.partitions].map(([t, ps]) => [t, new Set(ps)])),
      startTimestamp: this.startTimestamp,
      lastUpdateTimestamp: this.lastUpdateTimestamp,
    };
  }

  apply(next: TxnSnapshot): void {
    this.producerId = next.producerId;
    this.previousProducerId = next.previousProducerId;
    this.producerEpoch = next.producerEpoch;
    this.lastProducerEpoch = next.lastProducerEpoch;
    this.timeoutMs = next.timeoutMs;
    this.state = next.state;
    this.partitions = new Map([...next.partitions].map(([t, ps]) => [t, new Set(ps)]));
    this.startTimestamp = next.startTimestamp;
    this.lastUpdateTimestamp = next.lastUpdateTimestamp;
  }

  hasPartition(topic: string, partition: number): boolean {
    return this.partitions.get(topic)?.has(partition) === true;
  }
}
