// The in-memory model of one partition that partition-log.model.test.ts drives side by side with
// the real PartitionLog. It is written from the rules (Kafka's log semantics as the issue states
// them), not from the implementation: segments roll when the next append would pass segment.bytes
// or the segment is older than segment.ms; a read starts at the batch containing the offset,
// returns whole batches of that one segment within maxBytes (at least one) whose last offset is
// below the upper bound; truncation removes the batch containing the offset; the log start
// offset only moves forward, and segments entirely below it go.

import { crc32c } from "@nagare/protocol/records";
import type { LogConfig } from "../src/log-config.ts";

export interface ModelHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

export interface ModelRecord {
  readonly offset: bigint;
  readonly timestamp: bigint;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly ModelHeader[];
}

/** A batch as the producer built it, before the log assigns its offsets. */
export interface PendingBatch {
  readonly bytes: Buffer;
  /** Record timestamps as produced (CreateTime). */
  readonly records: readonly Omit<ModelRecord, "offset">[];
  readonly baseTimestamp: bigint;
  readonly maxTimestamp: bigint;
  /** The producer corrupted it after computing the CRC. */
  readonly corrupt: boolean;
}

export interface ModelBatch {
  readonly baseOffset: bigint;
  readonly lastOffset: bigint;
  readonly maxTimestamp: bigint;
  /** The bytes expected on disk: offsets, leader epoch and LogAppendTime applied. */
  readonly bytes: Buffer;
  readonly records: readonly ModelRecord[];
}

export interface ModelSegment {
  readonly baseOffset: bigint;
  readonly batches: ModelBatch[];
  size: number;
}

export interface ModelRead {
  readonly batches: readonly ModelBatch[];
  readonly firstBatchOffset: bigint;
}

export type ModelOutcome<T> = { readonly ok: T } | { readonly error: string };

const baseOffsetAt = 0;
const leaderEpochAt = 12;
const crcAt = 17;
const attributesAt = 21;
const maxTimestampAt = 35;
const logAppendTimeBit = 0x08;

export class PartitionModel {
  config: LogConfig;
  segments: ModelSegment[];
  logStartOffset = 0n;
  /**
   * The least the log's recovery point may be: it is fsynced up to here (explicit flushes,
   * restarts, appends that reach flush.messages by themselves). The log may be ahead: it also
   * fsyncs rolled segments in the background, and flush.messages counts across appends.
   */
  recoveryPoint = 0n;
  private activeSinceMs: number;

  constructor(config: LogConfig, nowMs: number) {
    this.config = config;
    this.segments = [{ baseOffset: 0n, batches: [], size: 0 }];
    this.activeSinceMs = nowMs;
  }

  get active(): ModelSegment {
    return this.segments[this.segments.length - 1] as ModelSegment;
  }

  get logEndOffset(): bigint {
    return segmentEnd(this.active);
  }

  /** Bytes in all segments. */
  get size(): number {
    let bytes = 0;
    for (const segment of this.segments) bytes += segment.size;
    return bytes;
  }

  /** Every batch still on disk, in offset order. */
  *batches(): Generator<ModelBatch> {
    for (const segment of this.segments) yield* segment.batches;
  }

  append(
    pending: readonly PendingBatch[],
    nowMs: number,
    leaderEpoch: number | undefined,
  ): ModelOutcome<bigint> {
    const config = this.config;
    const now = BigInt(nowMs);
    const logAppendTime = config.messageTimestampType === "LogAppendTime";
    for (const batch of pending) {
      if (batch.bytes.length > config.maxMessageBytes) return { error: "MESSAGE_TOO_LARGE" };
      if (batch.corrupt) return { error: "CORRUPT_MESSAGE" };
      if (!logAppendTime) {
        const earliest = now - BigInt(Math.min(config.messageTimestampBeforeMaxMs, 2 ** 53));
        const latest = now + BigInt(Math.min(config.messageTimestampAfterMaxMs, 2 ** 53));
        for (const ts of [batch.baseTimestamp, batch.maxTimestamp])
          if (ts >= 0n && (ts < earliest || ts > latest)) return { error: "INVALID_TIMESTAMP" };
      }
    }
    let offset = this.logEndOffset;
    const firstOffset = offset;
    const appended: ModelBatch[] = [];
    let bytes = 0;
    let maxTimestamp = -1n;
    for (const batch of pending) {
      const out = Buffer.from(batch.bytes);
      out.writeBigInt64BE(offset, baseOffsetAt);
      if (leaderEpoch !== undefined) out.writeInt32BE(leaderEpoch, leaderEpochAt);
      if (logAppendTime) {
        out.writeInt16BE(out.readInt16BE(attributesAt) | logAppendTimeBit, attributesAt);
        out.writeBigInt64BE(now, maxTimestampAt);
        out.writeUInt32BE(crc32c(out.subarray(attributesAt)), crcAt);
      }
      const batchMax = logAppendTime ? now : batch.maxTimestamp;
      const records = batch.records.map((record, i) => ({
        ...record,
        offset: offset + BigInt(i),
        timestamp: logAppendTime ? now : record.timestamp,
      }));
      appended.push({
        baseOffset: offset,
        lastOffset: offset + BigInt(records.length - 1),
        maxTimestamp: batchMax,
        bytes: out,
        records,
      });
      if (batchMax > maxTimestamp) maxTimestamp = batchMax;
      bytes += out.length;
      offset += BigInt(records.length);
    }
    this.maybeRoll(bytes, maxTimestamp, nowMs);
    let recordCount = 0;
    for (const batch of appended) {
      this.active.batches.push(batch);
      this.active.size += batch.bytes.length;
      recordCount += batch.records.length;
    }
    if (recordCount >= this.config.flushMessages) this.flush();
    return { ok: firstOffset };
  }

  /** Kafka's roll rules: size would pass segment.bytes, or the segment is older than segment.ms. */
  private maybeRoll(bytes: number, appendMaxTimestamp: bigint, nowMs: number): void {
    const active = this.active;
    const first = active.batches[0];
    if (first === undefined) return;
    const age =
      first.maxTimestamp >= 0n && appendMaxTimestamp >= 0n
        ? Number(appendMaxTimestamp - first.maxTimestamp)
        : nowMs - this.activeSinceMs;
    if (
      active.size + bytes > this.config.segmentBytes ||
      age > this.config.segmentMs - this.config.segmentJitterMs
    )
      this.roll(nowMs);
  }

  roll(nowMs: number): void {
    if (this.active.size === 0) return;
    this.segments.push({ baseOffset: this.logEndOffset, batches: [], size: 0 });
    this.activeSinceMs = nowMs;
  }

  flush(): void {
    this.recoveryPoint = this.logEndOffset;
  }

  read(
    offset: bigint,
    maxBytes: number,
    upperBound: bigint | undefined,
    minOneBatch: boolean | undefined,
  ): ModelOutcome<ModelRead> {
    if (offset < this.logStartOffset || offset > this.logEndOffset) return { error: "OFFSET_OUT_OF_RANGE" };
    const empty: ModelRead = { batches: [], firstBatchOffset: -1n };
    const bound = upperBound ?? this.logEndOffset;
    if (offset >= bound) return { ok: empty };
    for (const segment of this.segments) {
      const start = segment.batches.findIndex((b) => b.lastOffset >= offset);
      if (start < 0) continue;
      const first = segment.batches[start] as ModelBatch;
      if (first.lastOffset >= bound) return { ok: empty };
      if (first.bytes.length > maxBytes)
        return {
          ok: minOneBatch === false ? empty : { batches: [first], firstBatchOffset: first.baseOffset },
        };
      const batches: ModelBatch[] = [];
      let size = 0;
      for (const batch of segment.batches.slice(start)) {
        if (size + batch.bytes.length > maxBytes || batch.lastOffset >= bound) break;
        batches.push(batch);
        size += batch.bytes.length;
      }
      return { ok: { batches, firstBatchOffset: first.baseOffset } };
    }
    return { ok: empty };
  }

  /** The first record at or above the log start offset whose timestamp is ≥ `timestamp`. */
  offsetForTimestamp(timestamp: bigint): { offset: bigint; timestamp: bigint } | undefined {
    for (const batch of this.batches())
      for (const record of batch.records)
        if (record.offset >= this.logStartOffset && record.timestamp >= timestamp)
          return { offset: record.offset, timestamp: record.timestamp };
    return undefined;
  }

  /** The largest batch max timestamp on disk and the last offset of the first batch carrying it. */
  maxTimestampOffset(): { offset: bigint; timestamp: bigint } | undefined {
    let best: { offset: bigint; timestamp: bigint } | undefined;
    let any = false;
    for (const batch of this.batches()) {
      any = true;
      if (!best || batch.maxTimestamp > best.timestamp)
        best = { offset: batch.lastOffset, timestamp: batch.maxTimestamp };
    }
    return any ? best : undefined;
  }

  truncateTo(offset: bigint): void {
    if (offset >= this.logEndOffset) return;
    while (this.segments.length > 1 && this.active.baseOffset >= offset) this.segments.pop();
    const active = this.active;
    const keep = active.batches.findIndex((b) => b.lastOffset >= offset);
    if (keep >= 0) {
      active.batches.splice(keep);
      active.size = active.batches.reduce((sum, b) => sum + b.bytes.length, 0);
    }
    this.clampAfterTruncation();
  }

  deleteRecordsBefore(offset: bigint): ModelOutcome<bigint> {
    if (offset > this.logEndOffset) return { error: "OFFSET_OUT_OF_RANGE" };
    if (offset > this.logStartOffset) this.logStartOffset = offset;
    this.deleteLeadingSegments((_segment, next) => next.baseOffset <= this.logStartOffset);
    return { ok: this.logStartOffset };
  }

  /** Retention: removes leading closed segments while `shouldDelete` holds. */
  deleteLeadingSegments(shouldDelete: (segment: ModelSegment, next: ModelSegment) => boolean): bigint[] {
    const deleted: bigint[] = [];
    while (this.segments.length > 1) {
      const [segment, next] = this.segments as [ModelSegment, ModelSegment];
      if (!shouldDelete(segment, next)) break;
      this.segments.shift();
      deleted.push(segment.baseOffset);
      if (next.baseOffset > this.logStartOffset) this.logStartOffset = next.baseOffset;
    }
    return deleted;
  }

  /** A restart: everything written survives; the new log counts segment age from now. */
  reopen(nowMs: number): void {
    this.activeSinceMs = nowMs;
    this.recoveryPoint = this.logEndOffset;
  }

  /**
   * A crash that left the active segment's .log cut at `position` or with a bad byte at
   * `position`: recovery keeps the batches that end at or before it. Returns where they end.
   */
  loseActiveTailFrom(position: number): number {
    const active = this.active;
    let end = 0;
    let keep = 0;
    for (const batch of active.batches) {
      if (end + batch.bytes.length > position) break;
      end += batch.bytes.length;
      keep++;
    }
    active.batches.splice(keep);
    active.size = end;
    this.clampAfterTruncation();
    return end;
  }

  /** Byte position in the active segment of the first batch at or after `recoveryPoint`. */
  activeBytesBelow(recoveryPoint: bigint): number {
    let end = 0;
    for (const batch of this.active.batches) {
      if (batch.lastOffset >= recoveryPoint) break;
      end += batch.bytes.length;
    }
    return end;
  }

  private clampAfterTruncation(): void {
    const end = this.logEndOffset;
    if (this.recoveryPoint > end) this.recoveryPoint = end;
    if (this.logStartOffset > end) this.logStartOffset = end;
  }
}

/** The largest batch max timestamp in `segment`, or -1 when it has none. */
export function largestTimestamp(segment: ModelSegment): bigint {
  let largest = -1n;
  for (const batch of segment.batches) if (batch.maxTimestamp > largest) largest = batch.maxTimestamp;
  return largest;
}

function segmentEnd(segment: ModelSegment): bigint {
  const last = segment.batches[segment.batches.length - 1];
  return last ? last.lastOffset + 1n : segment.baseOffset;
}
