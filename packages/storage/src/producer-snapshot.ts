// `<offset, 20 digits>.snapshot`: the producer state of a partition as of an offset (every batch
// below it applied), so start-up and truncation replay only the batches after it. Our own format,
// big-endian (Kafka's snapshot keeps one batch per producer; we keep all five, so duplicate
// detection survives a restart):
//
//   int16  version (1)
//   uint32 CRC-32C of every byte after this field
//   int64  offset (must match the file name)
//   int32  producer count, then per producer:
//     int64 producerId, int16 epoch, int32 coordinatorEpoch, int64 lastTimestamp,
//     int64 currentTxnFirstOffset (-1: none), int8 batch count (0-5), then per batch:
//       int32 firstSeq, int32 lastSeq, int64 firstOffset, int64 lastOffset, int64 maxTimestamp
//
// A file with another version, a bad CRC, a wrong offset or a wrong length is corrupt: it is
// deleted and an older snapshot (or the log itself) is used instead. Writes go to
// `<name>.tmp` and are renamed into place, so a snapshot is whole or absent.

import { open, readdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { crc32c } from "@nagare/protocol/records";
import { batchesRetained, type ProducerBatch, type ProducerEntry } from "./producer-state.ts";
import { segmentFileName } from "./segment.ts";

export const snapshotSuffix = ".snapshot";
const snapshotVersion = 1;
const headerSize = 18;
const entrySize = 31;
const batchSize = 32;
const snapshotPattern = /^(\d{20})\.snapshot$/;

export class CorruptSnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CorruptSnapshotError";
  }
}

export function snapshotPath(dir: string, offset: bigint): string {
  return join(dir, segmentFileName(offset, snapshotSuffix));
}

export function encodeSnapshot(offset: bigint, entries: Iterable<ProducerEntry>): Buffer {
  const list = [...entries];
  const size = list.reduce((sum, e) => sum + entrySize + e.batches.length * batchSize, headerSize);
  const out = Buffer.alloc(size);
  out.writeInt16BE(snapshotVersion, 0);
  out.writeBigInt64BE(offset, 6);
  out.writeInt32BE(list.length, 14);
  let at = headerSize;
  for (const e of list) {
    out.writeBigInt64BE(e.producerId, at);
    out.writeInt16BE(e.epoch, at + 8);
    out.writeInt32BE(e.coordinatorEpoch, at + 10);
    out.writeBigInt64BE(e.lastTimestamp, at + 14);
    out.writeBigInt64BE(e.currentTxnFirstOffset ?? -1n, at + 22);
    out.writeInt8(e.batches.length, at + 30);
    at += entrySize;
    for (const b of e.batches) {
      out.writeInt32BE(b.firstSeq, at);
      out.writeInt32BE(b.lastSeq, at + 4);
      out.writeBigInt64BE(b.firstOffset, at + 8);
      out.writeBigInt64BE(b.lastOffset, at + 16);
      out.writeBigInt64BE(b.maxTimestamp, at + 24);
      at += batchSize;
    }
  }
  out.writeUInt32BE(crc32c(out.subarray(6)), 2);
  return out;
}

/** Throws CorruptSnapshotError unless `bytes` is a whole version-1 snapshot taken at `offset`. */
export function decodeSnapshot(bytes: Buffer, offset: bigint): ProducerEntry[] {
  if (bytes.length < headerSize) throw new CorruptSnapshotError(`${bytes.length} bytes is too short`);
  const version = bytes.readInt16BE(0);
  if (version !== snapshotVersion) throw new CorruptSnapshotError(`unknown version ${version}`);
  if (bytes.readUInt32BE(2) !== crc32c(bytes.subarray(6))) throw new CorruptSnapshotError("CRC-32C mismatch");
  const stored = bytes.readBigInt64BE(6);
  if (stored !== offset) throw new CorruptSnapshotError(`taken at ${stored}, named ${offset}`);
  const count = bytes.readInt32BE(14);
  const entries: ProducerEntry[] = [];
  let at = headerSize;
  for (let i = 0; i < count; i++) {
    if (at + entrySize > bytes.length) throw new CorruptSnapshotError("ends inside a producer");
    const batchCount = bytes.readInt8(at + 30);
    if (batchCount < 0 || batchCount > batchesRetained)
      throw new CorruptSnapshotError(`a producer with ${batchCount} batches`);
    const txnFirst = bytes.readBigInt64BE(at + 22);
    const entry = {
      producerId: bytes.readBigInt64BE(at),
      epoch: bytes.readInt16BE(at + 8),
      coordinatorEpoch: bytes.readInt32BE(at + 10),
      lastTimestamp: bytes.readBigInt64BE(at + 14),
      currentTxnFirstOffset: txnFirst >= 0n ? txnFirst : undefined,
    };
    at += entrySize;
    if (at + batchCount * batchSize > bytes.length) throw new CorruptSnapshotError("ends inside a batch");
    const batches: ProducerBatch[] = [];
    for (let j = 0; j < batchCount; j++, at += batchSize)
      batches.push({
        firstSeq: bytes.readInt32BE(at),
        lastSeq: bytes.readInt32BE(at + 4),
        firstOffset: bytes.readBigInt64BE(at + 8),
        lastOffset: bytes.readBigInt64BE(at + 16),
        maxTimestamp: bytes.readBigInt64BE(at + 24),
      });
    entries.push({ ...entry, batches });
  }
  if (at !== bytes.length)
    throw new CorruptSnapshotError(`${bytes.length - at} bytes after the last producer`);
  return entries;
}

/** Offsets of the snapshots in `dir`, ascending; leftover `.snapshot.tmp` files are removed. */
export async function listSnapshots(dir: string): Promise<bigint[]> {
  const offsets: bigint[] = [];
  for (const name of await readdir(dir)) {
    if (name.endsWith(`${snapshotSuffix}.tmp`)) await rm(join(dir, name), { force: true });
    const match = snapshotPattern.exec(name);
    if (match) offsets.push(BigInt(match[1] as string));
  }
  return offsets.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export async function readSnapshot(dir: string, offset: bigint): Promise<ProducerEntry[]> {
  return decodeSnapshot(await readFile(snapshotPath(dir, offset)), offset);
}

/**
 * Writes the snapshot through `<name>.tmp` and a rename. With `sync` the file is fsynced before
 * the rename (the caller fsyncs the directory); without, a crash may leave no snapshot or an
 * empty one, which loading treats as missing.
 */
export async function writeSnapshot(
  dir: string,
  offset: bigint,
  entries: Iterable<ProducerEntry>,
  sync: boolean,
): Promise<void> {
  const path = snapshotPath(dir, offset);
  const handle = await open(`${path}.tmp`, "w");
  try {
    await handle.writeFile(encodeSnapshot(offset, entries));
    if (sync) await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(`${path}.tmp`, path);
}

export async function deleteSnapshot(dir: string, offset: bigint): Promise<void> {
  await rm(snapshotPath(dir, offset), { force: true });
}
