// One batch of records for one partition, filled by the accumulator and sent by the sender. It
// keeps each record's promise, its producer id/epoch/sequence (idempotence) and its encoded bytes:
// a retry resends exactly the bytes sent before unless the sequence was deliberately rewritten
// (after an epoch bump), so the broker can recognise it as a duplicate.
//
// Records are written into the batch's buffer as they are appended (Java's MemoryRecordsBuilder),
// not kept as objects until the batch is sent: a record object per record lived until its batch
// went out, long enough to be promoted, and made GC the producer's largest cost at high rates.
// The v2 header is written when the batch is encoded, with the compressed records if asked.

import {
  BATCH_HEADER_SIZE,
  type CompressionType,
  type KafkaRecord,
  NO_PARTITION_LEADER_EPOCH,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  type RecordHeader,
  sealBatch,
  sizeOfRecordBody,
  TimestampType,
  writeRecord,
} from "@nagare/protocol/records";
import type { RecordMetadata } from "../types.ts";

/** Fixed bytes of a v2 batch header: a batch is "full" when header + records reach batchSize. */
export const BATCH_OVERHEAD = BATCH_HEADER_SIZE;

export interface AppendedRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: RecordHeader[];
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
}

/** The smallest buffer a batch starts with; it doubles (up to its batchSize) as records come. */
const MIN_CAPACITY = 4096;
/** Varint overhead the buffer keeps room for beyond a record's body (its length prefix). */
const MAX_VARINT32 = 5;

const noHeaders: RecordHeader[] = [];
/** One record object reused for every write: writeRecord reads it and keeps nothing. */
const scratch: KafkaRecord = {
  attributes: 0,
  timestampDelta: 0n,
  offsetDelta: 0,
  key: null,
  value: null,
  headers: noHeaders,
};

export type ResolveRecord = (metadata: RecordMetadata) => void;
export type RejectRecord = (error: Error) => void;

/** Kafka's size estimate of one record in a batch: the data plus worst-case varint overhead. */
export function estimateRecordSize(
  record: Pick<AppendedRecord, "key" | "value">,
  headersBytes: number,
): number {
  return 21 + (record.key?.length ?? 0) + (record.value?.length ?? 0) + headersBytes;
}

export class ProducerBatch {
  readonly topic: string;
  readonly partition: number;
  readonly createdAt: number;
  /** The batch header's room, then the records as written so far (up to `used`). */
  private buffer: Buffer;
  private used = BATCH_HEADER_SIZE;
  private count = 0;
  private maxTimestamp = 0;
  /** Where the buffer stops doubling (batchSize: a batch is closed once it reaches it). */
  private readonly capacityHint: number;
  private readonly timestamps: number[] = [];
  /** Each record's promise, settled when the batch completes (kept as two arrays: no object per record). */
  private readonly resolves: ResolveRecord[] = [];
  private readonly rejects: RejectRecord[] = [];
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

  /** `batchSize` sizes the buffer: it starts small and grows to it as records come. */
  constructor(topic: string, partition: number, createdAt: number, batchSize = 16384) {
    this.topic = topic;
    this.partition = partition;
    this.createdAt = createdAt;
    this.capacityHint = Math.max(batchSize, BATCH_HEADER_SIZE);
    this.buffer = Buffer.allocUnsafe(Math.min(this.capacityHint, MIN_CAPACITY));
    this.done = new Promise((resolve) => {
      this.markDone = resolve;
    });
  }

  get recordCount(): number {
    return this.count;
  }

  get hasSequence(): boolean {
    return this.baseSequence !== NO_SEQUENCE;
  }

  get lastSequence(): number {
    return (this.baseSequence + this.count - 1) | 0;
  }

  get isDone(): boolean {
    return this.settled;
  }

  /** Whether a record of `size` estimated bytes fits (the first record always does). */
  fits(size: number, batchSize: number): boolean {
    return this.count === 0 || this.estimatedBytes + size <= batchSize;
  }

  append(record: AppendedRecord, size: number, reserved: number): Promise<RecordMetadata> {
    return new Promise((resolve, reject) => this.add(record, size, reserved, resolve, reject));
  }

  /** Appends a record whose promise the caller made: `resolve`/`reject` settle it with the batch. */
  add(
    record: AppendedRecord,
    size: number,
    reserved: number,
    resolve: ResolveRecord,
    reject: RejectRecord,
  ): void {
    if (this.count === 0) {
      this.baseTimestamp = record.timestamp;
      this.maxTimestamp = record.timestamp;
    } else if (record.timestamp > this.maxTimestamp) this.maxTimestamp = record.timestamp;
    scratch.timestampDelta = BigInt(record.timestamp - this.baseTimestamp);
    scratch.offsetDelta = this.count;
    scratch.key = record.key;
    scratch.value = record.value;
    scratch.headers = record.headers;
    try {
      const bodySize = sizeOfRecordBody(scratch);
      this.ensureRoom(bodySize + MAX_VARINT32);
      this.used = writeRecord(this.buffer, this.used, scratch, bodySize);
    } finally {
      scratch.key = null;
      scratch.value = null;
      scratch.headers = noHeaders;
    }
    this.count++;
    this.timestamps.push(record.timestamp);
    this.estimatedBytes += size;
    this.reservedBytes += reserved;
    this.resolves.push(resolve);
    this.rejects.push(reject);
  }

  private ensureRoom(bytes: number): void {
    const needed = this.used + bytes;
    if (needed <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, Math.min(this.buffer.length * 2, this.capacityHint)));
    this.buffer.copy(grown, 0, 0, this.used);
    this.buffer = grown;
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
    // Uncompressed, the records are sealed in place: the header room is the buffer's start.
    this.encoded ??= sealBatch(
      this.buffer.subarray(0, this.used),
      {
        baseOffset: 0n, // the broker assigns it
        partitionLeaderEpoch: NO_PARTITION_LEADER_EPOCH,
        attributes: {
          compression,
          timestampType: TimestampType.CREATE_TIME,
          isTransactional: this.isTransactional,
          isControl: false,
          hasDeleteHorizonMs: false,
        },
        lastOffsetDelta: Math.max(0, this.count - 1),
        baseTimestamp: BigInt(this.baseTimestamp),
        maxTimestamp: BigInt(this.count === 0 ? this.baseTimestamp : this.maxTimestamp),
        producerId: this.producerId,
        producerEpoch: this.producerEpoch,
        baseSequence: this.baseSequence,
        recordCount: this.count,
      },
      { snappyFormat },
    );
    return this.encoded;
  }

  /** The broker accepted the batch at `baseOffset` (-1 when unknown, as with acks=0). */
  complete(baseOffset: bigint, logAppendTimeMs: bigint): void {
    if (this.settled) return;
    this.settled = true;
    const appendTime = logAppendTimeMs >= 0n ? Number(logAppendTimeMs) : undefined;
    const { topic, partition, resolves, timestamps } = this;
    for (let i = 0; i < resolves.length; i++)
      (resolves[i] as ResolveRecord)({
        topic,
        partition,
        offset: baseOffset < 0n ? -1n : baseOffset + BigInt(i),
        timestamp: appendTime ?? (timestamps[i] as number),
      });
    this.markDone();
  }

  fail(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    for (const reject of this.rejects) reject(error);
    this.markDone();
  }
}
