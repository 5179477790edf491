// Control records (KIP-98): a control batch (attributes bit 5, always transactional, never
// compressed) holds one record whose key is int16 version + int16 type and, for transaction
// markers, whose value is int16 version + int32 coordinatorEpoch — the EndTxnMarker written on
// commit (type 1) or abort (type 0) by WriteTxnMarkers. Other control types (KRaft's leader-change
// and snapshot records) are recognised by their type and left to their owners.
//
// Readers accept versions newer than 0 and read the fields they know, as Kafka does, so a marker
// from a newer broker still decodes; a negative version or a short key/value is CORRUPT_RECORD.

import { CodecError } from "../codec/codec-error.ts";
import { TimestampType } from "./attributes.ts";
import { encodeBatch, NO_PARTITION_LEADER_EPOCH, NO_SEQUENCE, type RecordBatch } from "./batch.ts";
import type { KafkaRecord } from "./record.ts";

export const ControlRecordType = { ABORT: 0, COMMIT: 1 } as const;
export type ControlRecordType = (typeof ControlRecordType)[keyof typeof ControlRecordType];

const CONTROL_KEY_VERSION = 0;
const CONTROL_KEY_SIZE = 4;
const END_TXN_MARKER_VERSION = 0;
const END_TXN_MARKER_VALUE_SIZE = 6;

export interface ControlRecordKey {
  version: number;
  /** 0 ABORT, 1 COMMIT; other values belong to non-transaction control records. */
  type: number;
}

export interface EndTxnMarker {
  type: ControlRecordType;
  coordinatorEpoch: number;
}

export function encodeControlRecordKey(type: number): Buffer {
  const key = Buffer.allocUnsafe(CONTROL_KEY_SIZE);
  key.writeInt16BE(CONTROL_KEY_VERSION, 0);
  key.writeInt16BE(type, 2);
  return key;
}

export function decodeControlRecordKey(key: Buffer | null): ControlRecordKey {
  if (key === null || key.length < CONTROL_KEY_SIZE) {
    throw new CodecError("CORRUPT_RECORD", `control record key needs ${CONTROL_KEY_SIZE} bytes`);
  }
  const version = key.readInt16BE(0);
  if (version < 0)
    throw new CodecError("CORRUPT_RECORD", `control record key has negative version ${version}`);
  return { version, type: key.readInt16BE(2) };
}

export function encodeEndTxnMarkerValue(coordinatorEpoch: number): Buffer {
  const value = Buffer.allocUnsafe(END_TXN_MARKER_VALUE_SIZE);
  value.writeInt16BE(END_TXN_MARKER_VERSION, 0);
  value.writeInt32BE(coordinatorEpoch, 2);
  return value;
}

/** Returns the coordinatorEpoch of a transaction marker's value. */
export function decodeEndTxnMarkerValue(value: Buffer | null): number {
  if (value === null || value.length < END_TXN_MARKER_VALUE_SIZE) {
    throw new CodecError(
      "CORRUPT_RECORD",
      `transaction marker value needs ${END_TXN_MARKER_VALUE_SIZE} bytes`,
    );
  }
  const version = value.readInt16BE(0);
  if (version < 0)
    throw new CodecError("CORRUPT_RECORD", `transaction marker has negative version ${version}`);
  return value.readInt32BE(2);
}

export interface EndTxnMarkerBatchInput {
  readonly type: ControlRecordType;
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly coordinatorEpoch: number;
  /** When the marker was written; the batch's base and max timestamp. */
  readonly timestamp: bigint;
  readonly baseOffset?: bigint;
  readonly partitionLeaderEpoch?: number;
  readonly timestampType?: TimestampType;
}

/** Encodes the one-record control batch that commits or aborts a producer's transaction. */
export function encodeEndTxnMarkerBatch(input: EndTxnMarkerBatchInput): Buffer {
  const record: KafkaRecord = {
    attributes: 0,
    timestampDelta: 0n,
    offsetDelta: 0,
    key: encodeControlRecordKey(input.type),
    value: encodeEndTxnMarkerValue(input.coordinatorEpoch),
    headers: [],
  };
  return encodeBatch({
    baseOffset: input.baseOffset ?? 0n,
    partitionLeaderEpoch: input.partitionLeaderEpoch ?? NO_PARTITION_LEADER_EPOCH,
    timestampType: input.timestampType ?? TimestampType.CREATE_TIME,
    isTransactional: true,
    isControl: true,
    producerId: input.producerId,
    producerEpoch: input.producerEpoch,
    baseSequence: NO_SEQUENCE,
    baseTimestamp: input.timestamp,
    maxTimestamp: input.timestamp,
    records: [record],
  });
}

/**
 * The transaction marker a decoded batch carries, or null when the batch is not a control batch
 * or its control record is of another type. Throws CodecError for a malformed control batch.
 */
export function readEndTxnMarker(batch: RecordBatch): EndTxnMarker | null {
  if (!batch.isControl) return null;
  const record = batch.records[0];
  if (record === undefined) return null; // compaction may empty a control batch
  const { type } = decodeControlRecordKey(record.key);
  if (type !== ControlRecordType.ABORT && type !== ControlRecordType.COMMIT) return null;
  return { type, coordinatorEpoch: decodeEndTxnMarkerValue(record.value) };
}
