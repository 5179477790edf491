// Kafka's RecordAccumulator: one queue of batches per partition. Records go into the partition's
// open batch; a batch becomes sendable when it is full (batchSize), when lingerMs has passed since
// its first record, while a flush is waiting, or when a newer batch queues behind it. Retried
// batches go back to the front of their queue in sequence order. The buffer memory the records
// hold is released when their batch completes.

import type { RecordMetadata } from "../types.ts";
import { type AppendedRecord, ProducerBatch, type RejectRecord, type ResolveRecord } from "./batch.ts";
import type { MemoryLimit } from "./memory-limit.ts";

export interface AccumulatorOptions {
  readonly batchSize: number;
  readonly lingerMs: number;
  readonly memory: MemoryLimit;
  readonly now?: () => number;
  /** A batch stopped taking records (full or drained): the sticky partitioner moves on. */
  readonly onBatchClosed?: (topic: string, partition: number) => void;
  /** A batch became sendable or a new one started lingering: the sender should look again. */
  readonly wake?: () => void;
}

export interface ReadyBatches {
  /** Each partition's head batch that may be sent now. */
  readonly batches: ProducerBatch[];
  /** When the next lingering or backing-off head becomes sendable (Infinity when none). */
  readonly nextReadyAt: number;
}

function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

export class RecordAccumulator {
  private readonly options: AccumulatorOptions;
  private readonly queues = new Map<string, ProducerBatch[]>();
  /** Every batch created and not yet completed (queued or in flight). */
  private readonly incomplete = new Set<ProducerBatch>();
  private flushes = 0;
  readonly now: () => number;

  constructor(options: AccumulatorOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
  }

  get incompleteCount(): number {
    return this.incomplete.size;
  }

  /** Whether a record of `size` bytes goes into the partition's open batch (no new batch needed). */
  fitsOpenBatch(topic: string, partition: number, size: number): boolean {
    const last = this.queues.get(partitionKey(topic, partition))?.at(-1);
    return last !== undefined && !last.closed && last.fits(size, this.options.batchSize);
  }

  /** Whether the partition has batches waiting (open or closed). */
  hasQueue(topic: string, partition: number): boolean {
    return (this.queues.get(partitionKey(topic, partition))?.length ?? 0) > 0;
  }

  /** Appends a record whose `reserved` bytes of buffer memory the caller already holds. */
  append(
    topic: string,
    partition: number,
    record: AppendedRecord,
    size: number,
    reserved: number,
  ): Promise<RecordMetadata> {
    return new Promise((resolve, reject) =>
      this.add(topic, partition, record, size, reserved, resolve, reject),
    );
  }

  /** append() settling a promise the caller made (one promise per record, not two). */
  add(
    topic: string,
    partition: number,
    record: AppendedRecord,
    size: number,
    reserved: number,
    resolve: ResolveRecord,
    reject: RejectRecord,
  ): void {
    const key = partitionKey(topic, partition);
    let queue = this.queues.get(key);
    if (!queue) {
      queue = [];
      this.queues.set(key, queue);
    }
    let batch = queue.at(-1);
    if (batch && !batch.closed && !batch.fits(size, this.options.batchSize)) this.close(batch);
    let created = false;
    if (!batch || batch.closed) {
      batch = new ProducerBatch(topic, partition, this.now(), this.options.batchSize);
      queue.push(batch);
      this.incomplete.add(batch);
      created = true;
    }
    batch.add(record, size, reserved, resolve, reject);
    if (batch.estimatedBytes >= this.options.batchSize) this.close(batch);
    if (created || batch.closed) this.options.wake?.();
  }

  private close(batch: ProducerBatch): void {
    if (batch.closed) return;
    batch.closed = true;
    this.options.onBatchClosed?.(batch.topic, batch.partition);
    this.options.wake?.();
  }

  /** Head batches that may go now, and when the next one will. */
  ready(now = this.now()): ReadyBatches {
    const batches: ProducerBatch[] = [];
    let nextReadyAt = Number.POSITIVE_INFINITY;
    for (const queue of this.queues.values()) {
      const head = queue[0];
      if (!head) continue;
      const readyAt =
        head.retryAt > 0
          ? head.retryAt
          : head.closed || queue.length > 1 || this.flushes > 0
            ? 0
            : head.createdAt + this.options.lingerMs;
      if (readyAt <= now) batches.push(head);
      else nextReadyAt = Math.min(nextReadyAt, readyAt);
    }
    return { batches, nextReadyAt };
  }

  /** Every queued batch, oldest first per partition. */
  *queued(): Generator<ProducerBatch> {
    for (const queue of this.queues.values()) yield* queue;
  }

  /**
   * The queues themselves, oldest batch first (creation times only grow along a queue: retried
   * batches go back to the front), so a scan for expired batches can stop at the first young one.
   */
  partitionQueues(): Iterable<readonly ProducerBatch[]> {
    return this.queues.values();
  }

  /** Takes a head batch out of its queue for sending (closing it if it was still open). */
  drain(batch: ProducerBatch): void {
    const key = partitionKey(batch.topic, batch.partition);
    const queue = this.queues.get(key);
    const at = queue?.indexOf(batch) ?? -1;
    if (!queue || at < 0) return;
    queue.splice(at, 1);
    if (queue.length === 0) this.queues.delete(key);
    this.close(batch);
  }

  /** Puts a batch to retry back at the front of its queue, before any with a higher sequence. */
  reenqueue(batch: ProducerBatch): void {
    const key = partitionKey(batch.topic, batch.partition);
    let queue = this.queues.get(key);
    if (!queue) {
      queue = [];
      this.queues.set(key, queue);
    }
    let at = 0;
    if (batch.hasSequence)
      while (at < queue.length) {
        const other = queue[at] as ProducerBatch;
        if (!other.hasSequence || other.baseSequence > batch.baseSequence) break;
        at++;
      }
    queue.splice(at, 0, batch);
    this.options.wake?.();
  }

  /** Settles a batch: its promises, its memory, and flush() waiting for it. */
  complete(batch: ProducerBatch, outcome: { baseOffset: bigint; logAppendTimeMs: bigint } | Error): void {
    if (outcome instanceof Error) batch.fail(outcome);
    else batch.complete(outcome.baseOffset, outcome.logAppendTimeMs);
    if (!this.incomplete.delete(batch)) return;
    this.options.memory.release(batch.reservedBytes);
  }

  /** Fails every batch still queued (not in flight), e.g. when a transaction aborts. */
  failQueued(error: Error): void {
    for (const queue of this.queues.values()) for (const batch of queue) this.complete(batch, error);
    this.queues.clear();
  }

  /** Makes every batch sendable until every batch existing now has completed. */
  async flush(): Promise<void> {
    this.flushes++;
    this.options.wake?.();
    try {
      await Promise.all([...this.incomplete].map((batch) => batch.done));
    } finally {
      this.flushes--;
    }
  }
}
