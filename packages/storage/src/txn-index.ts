// `.txnindex`: the aborted transactions whose ABORT marker sits in a segment (Kafka's
// TransactionIndex, same file format): 34-byte big-endian entries of version int16 (0),
// producerId int64, firstOffset int64, lastOffset int64 (the marker's offset) and
// lastStableOffset int64 (the LSO once the transaction was removed). A read_committed Fetch gets
// the aborted transactions overlapping what it reads from here, so consumers can skip their
// records.
//
// The file is created with the first entry (most segments have none). Entries are kept in memory
// too — 34 bytes per aborted transaction, exactly the file's bytes — so a fetch never waits for a
// read. Like the other indexes it is derived data: recovery rebuilds the entries of every segment
// it re-reads from the producer state (see producer-state-manager.ts). An entry is written at once
// (a killed process loses nothing) and fsynced by the segment's flush; it is fsynced even with the
// active segment's group commit, because recovery trusts the entries below the recovery point.

import { type FileHandle, open, readFile, rename, truncate } from "node:fs/promises";

export const txnIndexEntrySize = 34;
const currentVersion = 0;

export interface AbortedTxn {
  readonly producerId: bigint;
  readonly firstOffset: bigint;
  readonly lastOffset: bigint;
  readonly lastStableOffset: bigint;
}

export class TxnIndex {
  private filePath: string;
  readonly baseOffset: bigint;
  /** The entries' bytes (first `count` × 34 are valid). */
  private data: Buffer = Buffer.alloc(0);
  private count = 0;
  private handle: FileHandle | undefined;
  private dirty = false;

  private constructor(path: string, baseOffset: bigint) {
    this.filePath = path;
    this.baseOffset = baseOffset;
  }

  /**
   * Reads the index at `path` (none is fine). Entries are accepted while whole, of version 0, with
   * increasing last offsets not below the segment's base; anything after is cut off the file.
   */
  static async open(path: string, baseOffset: bigint): Promise<TxnIndex> {
    const index = new TxnIndex(path, baseOffset);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return index;
      throw error;
    }
    let count = 0;
    let previous = baseOffset - 1n;
    for (let at = 0; at + txnIndexEntrySize <= bytes.length; at += txnIndexEntrySize) {
      const lastOffset = bytes.readBigInt64BE(at + 18);
      if (bytes.readInt16BE(at) !== currentVersion || lastOffset <= previous) break;
      previous = lastOffset;
      count++;
    }
    index.data = bytes;
    index.count = count;
    if (count * txnIndexEntrySize !== bytes.length) await truncate(path, count * txnIndexEntrySize);
    return index;
  }

  get path(): string {
    return this.filePath;
  }

  get length(): number {
    return this.count;
  }

  entry(i: number): AbortedTxn {
    const at = i * txnIndexEntrySize;
    const data = this.data;
    return {
      producerId: data.readBigInt64BE(at + 2),
      firstOffset: data.readBigInt64BE(at + 10),
      lastOffset: data.readBigInt64BE(at + 18),
      lastStableOffset: data.readBigInt64BE(at + 26),
    };
  }

  entries(): AbortedTxn[] {
    return Array.from({ length: this.count }, (_, i) => this.entry(i));
  }

  private lastOffsetAt(i: number): bigint {
    return this.data.readBigInt64BE(i * txnIndexEntrySize + 18);
  }

  /** Appends an entry; its last offset must be above every entry's (markers come in offset order). */
  async append(txn: AbortedTxn): Promise<void> {
    if (this.count > 0 && txn.lastOffset <= this.lastOffsetAt(this.count - 1))
      throw new Error(
        `aborted transaction at ${txn.lastOffset} is not after the last entry of ${this.filePath}`,
      );
    const at = this.count * txnIndexEntrySize;
    if (at + txnIndexEntrySize > this.data.length) {
      const grown = Buffer.alloc(Math.max(8 * txnIndexEntrySize, this.data.length * 2));
      this.data.copy(grown, 0, 0, at);
      this.data = grown;
    }
    const entry = this.data.subarray(at, at + txnIndexEntrySize);
    entry.writeInt16BE(currentVersion, 0);
    entry.writeBigInt64BE(txn.producerId, 2);
    entry.writeBigInt64BE(txn.firstOffset, 10);
    entry.writeBigInt64BE(txn.lastOffset, 18);
    entry.writeBigInt64BE(txn.lastStableOffset, 26);
    const handle = await this.file();
    let written = 0;
    while (written < txnIndexEntrySize) {
      const result = await handle.write(entry, written, txnIndexEntrySize - written, at + written);
      written += result.bytesWritten;
    }
    this.count++;
    this.dirty = true;
  }

  private async file(): Promise<FileHandle> {
    if (!this.handle) {
      // "a+" creates without truncating; positional writes need a handle without O_APPEND.
      await (await open(this.filePath, "a+")).close();
      this.handle = await open(this.filePath, "r+");
    }
    return this.handle;
  }

  /** Removes the entries whose marker is at or after `offset`. */
  async truncateTo(offset: bigint): Promise<void> {
    let keep = this.count;
    while (keep > 0 && this.lastOffsetAt(keep - 1) >= offset) keep--;
    if (keep === this.count) return;
    this.count = keep;
    if (this.handle) await this.handle.truncate(keep * txnIndexEntrySize);
    else await truncate(this.filePath, keep * txnIndexEntrySize);
    this.dirty = true;
  }

  /**
   * Adds to `out` the entries overlapping [fetchOffset, upperBound) (Kafka's collectAbortedTxns).
   * True when the search is complete: an entry's LSO reached `upperBound`, so no later segment can
   * hold a transaction that started below it.
   */
  collect(fetchOffset: bigint, upperBound: bigint, out: AbortedTxn[]): boolean {
    for (let i = 0; i < this.count; i++) {
      const txn = this.entry(i);
      if (txn.lastOffset >= fetchOffset && txn.firstOffset < upperBound) out.push(txn);
      if (txn.lastStableOffset >= upperBound) return true;
    }
    return false;
  }

  async flush(sync: boolean): Promise<void> {
    if (!sync || !this.dirty || !this.handle) return;
    this.dirty = false;
    await this.handle.sync();
  }

  /** Renames the file (when it exists) with its segment (compaction's swap). */
  async renameTo(path: string): Promise<void> {
    try {
      await rename(this.filePath, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    this.filePath = path;
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }
}
