// One batch of records for one partition, filled by the accumulator and sent by the sender. It
// keeps each record's promise, its producer id/epoch/sequence (idempotence) and its encoded bytes:
// a retry resends exactly the bytes sent before unless the sequence was deliberately rewritten
// (after an epoch bump), so the broker can recognise it as a duplicate.

import {
  type CompressionType,
  encodeBatch,
  type KafkaRecord,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  type RecordHeader,
} from "@nagare/protocol/records";
import type { RecordMetadata } from "../types.ts";

/** Fixed bytes of a v2 batch header: a batch is "full" when header + records reach batchSize. */
export const BATCH_OVERHEAD = 61;

export interface AppendedRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: RecordHeader[];
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
}

interface Waiter {
  readonly resolve: (metadata: RecordMetadata) => void;
  readonly reject: (error: Error) => void;
}

/** Kafka's size estimate of one record in a batch: the data plus worst-case varint overhead. */
export function estimateRecordSize(record: AppendedRecord, headersBytes: number): number {
  return 21 + (record.key?.length ?? 0) + (record.value?.length ?? 0) + headersBytes;
}

export class ProducerBatch {
  readonly topic: string;
  readonly partition: number;
  readonly createdAt: number;
  readonly records: KafkaRecord[] = [];
  private readonly timestamps: number[] = [];
  private readonly waiters: Waiter[] = [];
  private baseTimestamp = 0;
  /** Header plus estimated record bytes (what batchSize is compared with). */
  estimatedBytes = BATCH_OVERHEAD;
  /** Buffer memory held for this batch's records, released when it completes. */
  reservedBytes = 0;
  /** No more records go in (full, or drained for sending). */
  closed = false;
  /** Sends so far. */
  attempts = 0;
  /** Not to be sent before this time (retry backoff). */
  retryAt = 0;
  producerId = NO_PRODUCER_ID;
  producerEpoch = NO_PRODUCER_EPOCH;
  baseSequence = NO_SEQUENCE;
  isTransactional = false;
  /** The sequence was rewritten after an epoch bump (Java's sequenceHasBeenReset). */
  sequenceReset = false;
  private encoded: Buffer | undefined;
  private settled = false;
  readonly done: Promise<void>;
  private markDone!: () => void;

  constructor(topic: string, partition: number, createdAt: number) {
    this.topic = topic;
    this.partition = partition;
    this.createdAt = createdAt;
    this.done = new Promise((resolve) => {
      this.markDone = resolve;
    });
  }

  get recordCount(): number {
    return this.records.length;
  }

  get hasSequence(): boolean {
    return this.baseSequence !== NO_SEQUENCE;
  }

  get lastSequence(): number {
    return (this.baseSequence + this.records.length - 1) | 0;
  }

  get isDone(): boolean {
    return this.settled;
  }

  /** Whether a record of `size` estimated bytes fits (the first record always does). */
  fits(size: number, batchSize: number): boolean {
    return this.records.length === 0 || this.estimatedBytes + size <= batchSize;
  }

  append(record: AppendedRecord, size: number, reserved: number): Promise<RecordMetadata> {
    if (this.records.length === 0) this.baseTimestamp = record.timestamp;
    this.records.push({
      attributes: 0,
      timestampDelta: BigInt(record.timestamp - this.baseTimestamp),
      offsetDelta: this.records.length,
      key: record.key,
      value: record.value,
      headers: record.headers,
    });
    this.timestamps.push(record.timestamp);
    this.estimatedBytes += size;
    this.reservedBytes += reserved;
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Sets the idempotence fields (drops cached bytes when they change). */
  setProducerState(producerId: bigint, epoch: number, baseSequence: number, isTransactional: boolean): void {
    if (
      this.producerId === producerId &&
      this.producerEpoch === epoch &&
      this.baseSequence === baseSequence &&
      this.isTransactional === isTransactional
    )
      return;
    this.producerId = producerId;
    this.producerEpoch = epoch;
    this.baseSequence = baseSequence;
    this.isTransactional = isTransactional;
    this.encoded = undefined;
  }

  /** The wire bytes (encoded once, reused by retries). */
  encode(compression: CompressionType, snappyFormat: "raw" | "xerial"): Buffer {
    this.encoded ??= encodeBatch({
      baseTimestamp: BigInt(this.baseTimestamp),
      compression,
      compressOptions: { snappyFormat },
      producerId: this.producerId,
      producerEpoch: this.producerEpoch,
      baseSequence: this.baseSequence,
      isTransactional: this.isTransactional,
      records: this.records,
    });
    return this.encoded;
  }

  /** The broker accepted the batch at `baseOffset` (-1 when unknown, as with acks=0). */
  complete(baseOffset: bigint, logAppendTimeMs: bigint): void {
    if (this.settled) return;
    this.settled = true;
    const appendTime = logAppendTimeMs >= 0n ? Number(logAppendTimeMs) : undefined;
    this.waiters.forEach((waiter, i) => {
      waiter.resolve({
        topic: this.topic,
        partition: this.partition,
        offset: baseOffset < 0n ? -1n : baseOffset + BigInt(i),
        timestamp: appendTime ?? (this.timestamps[i] as number),
      });
    });
    this.markDone();
  }

  fail(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    for (const waiter of this.waiters) waiter.reject(error);
    this.markDone();
  }
}
