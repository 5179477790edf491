// Turns one partition's Fetch records into the records the application may see (Kafka's
// CompletedFetch): whole batches arrive, including the one holding the fetch offset, so records
// below it are skipped; control batches (transaction markers) are never records; and under
// read_committed the records of aborted transactions are dropped. An aborted transaction is known
// from the response's abortedTransactions list (producer id + first offset): from its first
// offset on, that producer's transactional batches are dropped until its ABORT marker.
//
// Batches are decoded one at a time, as the consumer hands records out, and in one pass: the
// records are built straight from the batch bytes (varints read inline, key and value as views of
// the response, headers allocated only when present), with no intermediate record objects. In a
// CPU profile of the consume run of `npm run bench:client` decoding took 14% of the samples with
// protocol's record decoder and 6% with this one (bench/RESULTS.md, Client), hence the
// hand-written reader. Every batch
// has its CRC-32C checked once (Kafka's check.crcs=true); a corrupt batch throws when it is
// reached, after the records of the batches before it.

import {
  BatchHeader,
  batchRecordsSection,
  CodecError,
  ControlRecordType,
  decodeBatch,
  MIN_RECORD_SIZE,
  probeBatch,
  readEndTxnMarker,
  TimestampType,
} from "@nagare/protocol/records";
import type { RecordHeader, TopicPartition } from "../types.ts";
import type { IsolationLevel } from "./options.ts";

/**
 * A record as decoded: a ConsumerRecord whose key and value are still bytes. The consumer
 * deserializes them in place, so each record is one object from the wire to the application.
 */
export interface FetchedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly timestamp: number;
  readonly timestampType: "CreateTime" | "LogAppendTime";
  key: unknown;
  value: unknown;
  readonly headers: readonly RecordHeader[];
  readonly leaderEpoch: number;
}

export interface AbortedTransaction {
  readonly producerId: bigint;
  readonly firstOffset: bigint;
}

/** Shared by every record without headers (most records): nothing allocated for them. */
const noHeaders: readonly RecordHeader[] = Object.freeze([]);

/**
 * Reads one partition's fetched batches on demand. `next()` decodes batches until one has records
 * for the application and returns them (null once every batch is read).
 */
export class FetchedBatchReader {
  private readonly raw: Buffer;
  private readonly topic: string;
  private readonly partition: number;
  private readonly readCommitted: boolean;
  private readonly pendingAborts: AbortedTransaction[];
  private readonly abortedProducers = new Set<bigint>();
  /** Where the next batch starts in `raw`. */
  private position = 0;
  private done = false;
  /** Past the last batch read (at least the fetch offset). */
  nextOffset: bigint;
  /** Leader epoch of the last batch of records read (-1 when none). */
  lastEpoch = -1;

  constructor(
    raw: Buffer,
    tp: TopicPartition,
    fetchOffset: bigint,
    isolation: IsolationLevel,
    abortedTransactions: readonly AbortedTransaction[] | null,
  ) {
    this.raw = raw;
    this.topic = tp.topic;
    this.partition = tp.partition;
    this.nextOffset = fetchOffset;
    this.readCommitted = isolation === "read_committed";
    this.pendingAborts = [...(abortedTransactions ?? [])].sort((a, b) =>
      a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0,
    );
  }

  /** The records of the next batch that has any for the application; null when none is left. */
  next(): FetchedRecord[] | null {
    while (!this.done) {
      // A partial batch at the end is normal in a Fetch response (the size limit cut it).
      const span = probeBatch(this.raw, this.position);
      if (span === null || span.kind === "truncated") {
        this.done = true;
        break;
      }
      const start = span.position;
      this.position = start + span.size;
      const records = this.readBatch(new BatchHeader(this.raw, start));
      if (records !== null && records.length > 0) return records;
    }
    return null;
  }

  /** The batch's records from the position on, or null when none of them is for the application. */
  private readBatch(header: BatchHeader): FetchedRecord[] | null {
    const baseOffset = header.baseOffset;
    const lastOffset = baseOffset + BigInt(header.lastOffsetDelta);
    if (lastOffset < this.nextOffset) return null; // wholly before the position
    const batchNext = lastOffset + 1n;
    const isControl = header.isControl;
    const producerId = header.producerId;

    if (this.readCommitted && producerId >= 0n) {
      // Transactions that started at or before this batch's end are in effect for it.
      const pending = this.pendingAborts;
      while (pending.length > 0 && (pending[0] as AbortedTransaction).firstOffset <= lastOffset)
        this.abortedProducers.add((pending.shift() as AbortedTransaction).producerId);
      if (isControl) {
        // Rare: the whole-batch decoder reads the marker (and checks the CRC, once).
        const marker = readEndTxnMarker(decodeBatch(header.bytes()));
        if (marker?.type === ControlRecordType.ABORT) this.abortedProducers.delete(producerId);
      } else if (header.isTransactional && this.abortedProducers.has(producerId)) {
        this.nextOffset = batchNext;
        return null;
      }
    }
    if (isControl) {
      this.nextOffset = batchNext;
      return null;
    }

    if (!header.isCrcValid())
      throw new CodecError(
        "CORRUPT_RECORD",
        `record batch at offset ${baseOffset} of ${this.topic}-${this.partition} fails its CRC-32C check`,
      );
    const { data, recordCount } = batchRecordsSection(header);

    const records = readRecords(
      data,
      recordCount,
      this.topic,
      this.partition,
      baseOffset,
      this.nextOffset,
      header,
    );
    this.nextOffset = batchNext;
    this.lastEpoch = header.partitionLeaderEpoch;
    return records;
  }
}

// The record reader's cursor. Module state rather than a cursor object: the varint readers below
// are called several times per record and stay small enough for V8 to inline.
let at = 0;

function corrupt(message: string): CodecError {
  return new CodecError("CORRUPT_RECORD", message);
}

/** An unsigned varint of at most 32 bits, not read past `end`. */
function readUnsigned(buf: Buffer, end: number): number {
  if (at >= end) throw corrupt("varint runs past the end of the record");
  let byte = buf[at++] as number;
  if (byte < 0x80) return byte;
  let value = byte & 0x7f;
  let scale = 128;
  for (let i = 1; ; i++) {
    if (at >= end) throw corrupt("varint runs past the end of the record");
    byte = buf[at++] as number;
    if (i === 4 && byte > 0x0f) throw new CodecError("MALFORMED", "varint is longer than 32 bits");
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return value;
    scale *= 128;
  }
}

/** A zigzag varint (int32). */
function readSigned(buf: Buffer, end: number): number {
  const raw = readUnsigned(buf, end);
  return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
}

/**
 * A zigzag varlong as a number when it has at most 7 bytes (49 bits, exact as a double), else
 * as a bigint. Timestamp deltas are small, so the bigint case is for odd input only.
 */
function readLong(buf: Buffer, end: number): number | bigint {
  const start = at;
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 7; i++) {
    if (at >= end) throw corrupt("varlong runs past the end of the record");
    const byte = buf[at++] as number;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
    scale *= 128;
  }
  at = start;
  let raw = 0n;
  let shift = 0n;
  for (;;) {
    if (at >= end) throw corrupt("varlong runs past the end of the record");
    const byte = buf[at++] as number;
    if (shift === 63n && byte > 0x01) throw new CodecError("MALFORMED", "varlong is longer than 64 bits");
    raw |= BigInt(byte & 0x7f) << shift;
    if (byte < 0x80) return (raw >> 1n) ^ -(raw & 1n);
    shift += 7n;
  }
}

/** A length that is -1 (null, when allowed) or fits in the bytes left before `end`. */
function readLength(buf: Buffer, end: number, what: string, nullable: boolean): number {
  const length = readSigned(buf, end);
  if (length === -1 && nullable) return -1;
  if (length < 0) throw new CodecError("MALFORMED", `record ${what} has invalid length ${length}`);
  if (length > end - at)
    throw new CodecError("MALFORMED", `record ${what} of ${length} bytes runs past the end of the record`);
  return length;
}

function readBytes(buf: Buffer, end: number, what: string): Buffer | null {
  const length = readLength(buf, end, what, true);
  if (length === -1) return null;
  const start = at;
  at = start + length;
  return buf.subarray(start, at);
}

/** Decodes every record of a batch's (decompressed) records section, keeping those from `from` on. */
function readRecords(
  data: Buffer,
  recordCount: number,
  topic: string,
  partition: number,
  baseOffset: bigint,
  from: bigint,
  header: BatchHeader,
): FetchedRecord[] {
  const logAppend = header.timestampType === TimestampType.LOG_APPEND_TIME;
  const timestampType = logAppend ? "LogAppendTime" : "CreateTime";
  const baseTimestamp = header.baseTimestamp;
  const baseTime = Number(baseTimestamp);
  const maxTime = Number(header.maxTimestamp);
  const exactBase = Number.isSafeInteger(baseTime);
  const leaderEpoch = header.partitionLeaderEpoch;
  const records: FetchedRecord[] = [];
  at = 0;
  for (let i = 0; i < recordCount; i++) {
    const length = readSigned(data, data.length);
    if (length < 0) throw new CodecError("MALFORMED", `record has negative length ${length}`);
    if (length > data.length - at)
      throw corrupt(`record ${i} of ${recordCount}: ${length} bytes run past the end of the batch`);
    if (length < MIN_RECORD_SIZE - 1)
      throw new CodecError("MALFORMED", `record length ${length} is too small for its fields`);
    const bodyStart = at;
    const end = at + length;
    at++; // attributes: unused by Kafka so far
    const timestampDelta = readLong(data, end);
    const offsetDelta = readSigned(data, end);
    const key = readBytes(data, end, "key");
    const value = readBytes(data, end, "value");
    const headerCount = readSigned(data, end);
    if (headerCount < 0 || headerCount > (end - at) / 2)
      throw new CodecError("MALFORMED", `record header count ${headerCount} is impossible for its length`);
    let headers = noHeaders;
    if (headerCount > 0) {
      const list: RecordHeader[] = [];
      for (let h = 0; h < headerCount; h++) {
        const keyLength = readLength(data, end, "header key", false);
        const headerKey = data.toString("utf8", at, at + keyLength);
        at += keyLength;
        list.push({ key: headerKey, value: readBytes(data, end, "header value") });
      }
      headers = list;
    }
    if (at !== end)
      throw corrupt(`record length ${length} disagrees with its fields (${at - bodyStart} bytes)`);
    const offset = baseOffset + BigInt(offsetDelta);
    if (offset < from) continue;
    let timestamp: number;
    if (logAppend) timestamp = maxTime;
    else if (
      typeof timestampDelta === "number" &&
      exactBase &&
      Number.isSafeInteger(baseTime + timestampDelta)
    )
      timestamp = baseTime + timestampDelta;
    else timestamp = Number(baseTimestamp + BigInt(timestampDelta));
    records.push({ topic, partition, offset, timestamp, timestampType, key, value, headers, leaderEpoch });
  }
  if (at !== data.length)
    throw corrupt(`${data.length - at} bytes follow the ${recordCount} records of the batch`);
  return records;
}

/** Every record of a fetch at once, and where the next fetch starts (tests and tools). */
export function recordsFromFetch(
  raw: Buffer,
  tp: TopicPartition,
  fetchOffset: bigint,
  isolation: IsolationLevel,
  abortedTransactions: readonly AbortedTransaction[] | null,
): { records: FetchedRecord[]; nextOffset: bigint; lastEpoch: number } {
  const reader = new FetchedBatchReader(raw, tp, fetchOffset, isolation, abortedTransactions);
  const records: FetchedRecord[] = [];
  for (let batch = reader.next(); batch !== null; batch = reader.next())
    for (const r of batch) records.push(r);
  return { records, nextOffset: reader.nextOffset, lastEpoch: reader.lastEpoch };
}
