// A convenience layer for clients and tests: build a batch from plain messages with absolute
// timestamps, and read a decoded batch back as messages with absolute offsets and timestamps.
// Strings are encoded as UTF-8.

import { CodecError } from "../codec/codec-error.ts";
import { TimestampType } from "./attributes.ts";
import { encodeBatch, type RecordBatch, type RecordBatchInput } from "./batch.ts";
import type { KafkaRecord, RecordHeader } from "./record.ts";

export interface MessageHeader {
  readonly key: string;
  readonly value: Buffer | string | null;
}

export interface Message {
  readonly key?: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers?: readonly MessageHeader[];
  /** Milliseconds since the epoch (CreateTime). */
  readonly timestamp: bigint;
}

export type MessageBatchOptions = Omit<
  RecordBatchInput,
  "records" | "baseTimestamp" | "maxTimestamp" | "lastOffsetDelta"
>;

export interface ConsumedMessage {
  offset: bigint;
  /** The record's CreateTime, or the batch's maxTimestamp for a LogAppendTime batch. */
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

function toBytes(data: Buffer | string | null | undefined): Buffer | null {
  if (data === null || data === undefined) return null;
  return typeof data === "string" ? Buffer.from(data, "utf8") : data;
}

/** Encodes `messages` as one batch; the first message's timestamp becomes baseTimestamp. */
export function encodeMessages(messages: readonly Message[], options: MessageBatchOptions = {}): Buffer {
  const first = messages[0];
  if (first === undefined)
    throw new CodecError("INVALID_VALUE", "a message batch needs at least one message");
  const baseTimestamp = first.timestamp;
  const records: KafkaRecord[] = messages.map((message, index) => ({
    attributes: 0,
    timestampDelta: message.timestamp - baseTimestamp,
    offsetDelta: index,
    key: toBytes(message.key),
    value: toBytes(message.value),
    headers: (message.headers ?? []).map((header) => ({ key: header.key, value: toBytes(header.value) })),
  }));
  return encodeBatch({ ...options, baseTimestamp, records });
}

/** The records of a decoded batch with absolute offsets and timestamps. */
export function batchMessages(batch: RecordBatch): ConsumedMessage[] {
  const logAppendTime = batch.timestampType === TimestampType.LOG_APPEND_TIME;
  return batch.records.map((record) => ({
    offset: batch.baseOffset + BigInt(record.offsetDelta),
    timestamp: logAppendTime ? batch.maxTimestamp : batch.baseTimestamp + record.timestampDelta,
    key: record.key,
    value: record.value,
    headers: record.headers,
  }));
}
