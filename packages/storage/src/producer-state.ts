// The producer state of one partition (Kafka's ProducerStateManager, in memory): for every producer
// id that wrote here, its epoch, its last five batches (for duplicate detection and the sequence
// check), the coordinator epoch of its last transaction marker, when it last wrote, and the first
// offset of its ongoing transaction. Ongoing transactions are also kept by first offset: the
// smallest is the first unstable offset, which bounds what read_committed consumers may see.
//
// Transactions only ever start at the log end, so they enter `ongoing` in first-offset order and
// its first key is the smallest (a Map keeps insertion order). Loading a snapshot inserts them
// sorted; a truncation reloads everything. That keeps every update O(1).

/** Kafka's ProducerStateEntry.NUM_BATCHES_TO_RETAIN: a producer has at most 5 requests in flight. */
export const batchesRetained = 5;

export const noProducerEpoch = -1;
export const noSequence = -1;

/** One appended batch of a producer, as duplicate detection and the sequence check need it. */
export interface ProducerBatch {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly firstOffset: bigint;
  readonly lastOffset: bigint;
  readonly maxTimestamp: bigint;
}

export interface ProducerEntry {
  readonly producerId: bigint;
  /** noProducerEpoch (-1) until the producer's first batch or marker. */
  readonly epoch: number;
  /** Oldest first, at most `batchesRetained`, all of the current epoch. */
  readonly batches: readonly ProducerBatch[];
  /** Of the last transaction marker, -1 before any. */
  readonly coordinatorEpoch: number;
  /** Max timestamp of the last batch (or the marker's timestamp): what expiry measures. */
  readonly lastTimestamp: bigint;
  /** First offset of the producer's ongoing transaction. */
  readonly currentTxnFirstOffset: bigint | undefined;
}

/** What DescribeProducers answers for a producer. */
export interface ProducerView {
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly lastSequence: number;
  readonly lastTimestamp: bigint;
  readonly coordinatorEpoch: number;
  /** -1 when the producer has no ongoing transaction. */
  readonly currentTxnStartOffset: bigint;
}

export function emptyEntry(producerId: bigint): ProducerEntry {
  return {
    producerId,
    epoch: noProducerEpoch,
    batches: [],
    coordinatorEpoch: -1,
    lastTimestamp: -1n,
    currentTxnFirstOffset: undefined,
  };
}

export function lastSequenceOf(entry: ProducerEntry): number {
  return entry.batches[entry.batches.length - 1]?.lastSeq ?? noSequence;
}

export class ProducerState {
  private readonly entries = new Map<bigint, ProducerEntry>();
  /** Ongoing transactions: first offset → producer id, in first-offset order. */
  private readonly ongoing = new Map<bigint, bigint>();

  get size(): number {
    return this.entries.size;
  }

  get(producerId: bigint): ProducerEntry | undefined {
    return this.entries.get(producerId);
  }

  all(): IterableIterator<ProducerEntry> {
    return this.entries.values();
  }

  /** The smallest first offset of an ongoing transaction. */
  get firstUnstableOffset(): bigint | undefined {
    for (const offset of this.ongoing.keys()) return offset;
    return undefined;
  }

  /**
   * The last stable offset once `producerId`'s transaction ends at `markerOffset` (Kafka's
   * ProducerStateManager.lastStableOffset): the first ongoing transaction of another producer, or
   * the offset after the marker.
   */
  lastStableOffsetAfter(producerId: bigint, markerOffset: bigint): bigint {
    for (const [offset, owner] of this.ongoing) if (owner !== producerId) return offset;
    return markerOffset + 1n;
  }

  /**
   * Installs `entry` as the producer's state. A transaction it no longer has leaves `ongoing`; one
   * it started is added, so callers install entries in the order their transactions started.
   */
  put(entry: ProducerEntry): void {
    const previous = this.entries.get(entry.producerId)?.currentTxnFirstOffset;
    if (previous !== undefined && previous !== entry.currentTxnFirstOffset) this.ongoing.delete(previous);
    if (entry.currentTxnFirstOffset !== undefined && previous !== entry.currentTxnFirstOffset)
      this.ongoing.set(entry.currentTxnFirstOffset, entry.producerId);
    this.entries.set(entry.producerId, entry);
  }

  /** Replaces everything with `entries` (a snapshot): ongoing transactions sorted by first offset. */
  load(entries: readonly ProducerEntry[]): void {
    this.clear();
    for (const entry of entries) this.entries.set(entry.producerId, entry);
    const started = entries
      .filter((e) => e.currentTxnFirstOffset !== undefined)
      .sort((a, b) => compare(a.currentTxnFirstOffset as bigint, b.currentTxnFirstOffset as bigint));
    for (const entry of started) this.ongoing.set(entry.currentTxnFirstOffset as bigint, entry.producerId);
  }

  clear(): void {
    this.entries.clear();
    this.ongoing.clear();
  }

  /**
   * Removes producers idle for `expirationMs` or more that have no ongoing transaction (Kafka's
   * isProducerExpired, producer.id.expiration.ms). Returns how many went.
   */
  removeExpired(nowMs: number, expirationMs: number): number {
    let removed = 0;
    for (const [id, entry] of this.entries) {
      if (isExpired(entry, nowMs, expirationMs)) {
        this.entries.delete(id);
        removed++;
      }
    }
    return removed;
  }

  view(): ProducerView[] {
    return [...this.entries.values()].map((entry) => ({
      producerId: entry.producerId,
      producerEpoch: entry.epoch,
      lastSequence: lastSequenceOf(entry),
      lastTimestamp: entry.lastTimestamp,
      coordinatorEpoch: entry.coordinatorEpoch,
      currentTxnStartOffset: entry.currentTxnFirstOffset ?? -1n,
    }));
  }
}

export function isExpired(entry: ProducerEntry, nowMs: number, expirationMs: number): boolean {
  if (entry.currentTxnFirstOffset !== undefined || !Number.isFinite(expirationMs)) return false;
  return BigInt(Math.floor(nowMs)) - entry.lastTimestamp >= BigInt(Math.floor(expirationMs));
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
