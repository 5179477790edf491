// The .timeindex file: sparse map from the largest timestamp seen so far in the segment (int64) to
// the relative offset of the batch that carried it (int32). Timestamps in entries only grow.

import { IndexFile } from "./index-file.ts";

const entryBytes = 12;

export class TimeIndex {
  readonly baseOffset: bigint;
  private readonly file: IndexFile;

  private constructor(baseOffset: bigint, file: IndexFile) {
    this.baseOffset = baseOffset;
    this.file = file;
  }

  static async open(path: string, baseOffset: bigint, maxBytes: number): Promise<TimeIndex> {
    const file = await IndexFile.open(
      path,
      { entryBytes, key: (buf, at) => buf.readBigInt64BE(at) },
      maxBytes,
    );
    return new TimeIndex(baseOffset, file);
  }

  get index(): IndexFile {
    return this.file;
  }

  get entries(): number {
    return this.file.entries;
  }

  get isFull(): boolean {
    return this.file.isFull;
  }

  entry(i: number): { timestamp: bigint; offset: bigint } {
    const at = i * entryBytes;
    const view = this.file.view;
    return { timestamp: view.readBigInt64BE(at), offset: this.baseOffset + BigInt(view.readInt32BE(at + 8)) };
  }

  lastEntry(): { timestamp: bigint; offset: bigint } | undefined {
    return this.file.entries === 0 ? undefined : this.entry(this.file.entries - 1);
  }

  /** Adds an entry when `timestamp` is larger than the last one. */
  maybeAppend(timestamp: bigint, offset: bigint): void {
    const last = this.lastEntry();
    if (last && timestamp <= last.timestamp) return;
    if (this.file.isFull) return;
    const relative = Number(offset - this.baseOffset);
    this.file.append((buf, at) => {
      buf.writeBigInt64BE(timestamp, at);
      buf.writeInt32BE(relative, at + 8);
    });
  }

  /** The offset from which to scan for the first timestamp ≥ `timestamp` (the base offset if none). */
  lookup(timestamp: bigint): bigint {
    const i = this.file.floorEntry(timestamp - 1n);
    return i < 0 ? this.baseOffset : this.entry(i).offset;
  }

  /** Drops entries pointing at offsets ≥ `offset`. */
  truncateTo(offset: bigint): void {
    let keep = this.file.entries;
    while (keep > 0 && this.entry(keep - 1).offset >= offset) keep--;
    this.file.truncateToEntries(keep);
  }
}
