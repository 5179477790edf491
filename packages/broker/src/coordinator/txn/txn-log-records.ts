// The records of __transaction_state in Kafka's formats: key TransactionLogKey v0 {transactional
// id}, value TransactionLogValue v0 {producer id, producer epoch, timeout, status, partitions,
// last update and start timestamps}. Written as v0 (non-flexible); v1 values (flexible, with the
// tagged previous/next producer ids of KIP-890) are read too. A null value is a tombstone (an
// expired transactional id).

import { CodecError, Reader, Writer } from "@nagare/protocol";
import { type TxnSnapshot, txnStateFromId, txnStateIds } from "./txn-metadata.ts";

function writeString(w: Writer, value: string): void {
  const length = Buffer.byteLength(value, "utf8");
  if (length > 0x7fff) throw new CodecError("INVALID_VALUE", `string of ${length} bytes is too long`);
  w.int16(length);
  w.utf8(value, length);
}

function readString(r: Reader): string {
  const length = r.int16();
  if (length < 0) throw new CodecError("MALFORMED", "null where a string is required");
  return r.utf8(length);
}

function readCompactString(r: Reader): string {
  const length = r.unsignedVarint() - 1;
  if (length < 0) throw new CodecError("MALFORMED", "null where a string is required");
  return r.utf8(length);
}

export function encodeTxnLogKey(transactionalId: string): Buffer {
  const w = new Writer(64);
  w.int16(0);
  writeString(w, transactionalId);
  return w.toBuffer();
}

/** The transactional id of a key, or undefined for key versions other than 0. */
export function decodeTxnLogKey(key: Buffer): string | undefined {
  const r = new Reader(key);
  if (r.int16() !== 0) return undefined;
  return readString(r);
}

export function encodeTxnLogValue(txn: TxnSnapshot): Buffer {
  const w = new Writer(128);
  w.int16(0);
  w.int64(txn.producerId);
  w.int16(txn.producerEpoch);
  w.int32(txn.timeoutMs);
  w.int8(txnStateIds[txn.state]);
  w.int32(txn.partitions.size);
  for (const [topic, partitions] of txn.partitions) {
    writeString(w, topic);
    w.int32(partitions.size);
    for (const p of partitions) w.int32(p);
  }
  w.int64(BigInt(txn.lastUpdateTimestamp));
  w.int64(BigInt(txn.startTimestamp));
  return w.toBuffer();
}

export function decodeTxnLogValue(value: Buffer): TxnSnapshot {
  const r = new Reader(value);
  const version = r.int16();
  if (version !== 0 && version !== 1)
    throw new CodecError(
      "UNSUPPORTED_VERSION",
      `TransactionLogValue version ${version} is not supported (0-1)`,
    );
  const flexible = version >= 1;
  const producerId = r.int64();
  const producerEpoch = r.int16();
  const timeoutMs = r.int32();
  const stateId = r.int8();
  const state = txnStateFromId(stateId);
  if (!state) throw new CodecError("MALFORMED", `unknown transaction status ${stateId}`);
  const count = flexible ? r.unsignedVarint() - 1 : r.int32();
  const partitions = new Map<string, Set<number>>();
  if (count > 0) r.checkCount(count, 6);
  for (let i = 0; i < count; i++) {
    const topic = flexible ? readCompactString(r) : readString(r);
    const n = flexible ? r.unsignedVarint() - 1 : r.int32();
    if (n > 0) r.checkCount(n, 4);
    const set = new Set<number>();
    for (let j = 0; j < n; j++) set.add(r.int32());
    partitions.set(topic, set);
    if (flexible) skipTaggedFields(r);
  }
  const lastUpdateTimestamp = Number(r.int64());
  const startTimestamp = Number(r.int64());
  return {
    producerId,
    previousProducerId: -1n,
    producerEpoch,
    lastProducerEpoch: -1,
    timeoutMs,
    state,
    partitions,
    startTimestamp,
    lastUpdateTimestamp,
  };
}

function skipTaggedFields(r: Reader): void {
  const count = r.unsignedVarint();
  for (let i = 0; i < count; i++) {
    r.unsignedVarint();
    r.take(r.unsignedVarint());
  }
}
