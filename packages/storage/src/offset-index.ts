// The .index file: sparse map from offset (relative to the segment's base offset, int32) to the
// byte position of a batch in the .log (int32). An entry is added when at least
// `index.interval.bytes` were appended since the previous one.

import { IndexFile } from "./index-file.ts";

const entryBytes = 8;

export class OffsetIndex {
  readonly baseOffset: bigint;
  private readonly file: IndexFile;

  private constructor(baseOffset: bigint, file: IndexFile) {
    this.baseOffset = baseOffset;
    this.file = file;
  }

  static async open(path: string, baseOffset: bigint, maxBytes: number): Promise<OffsetIndex> {
    const file = await IndexFile.open(path, { entryBytes, key: (buf, at) => buf.readInt32BE(at) }, maxBytes);
    return new OffsetIndex(baseOffset, file);
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

  /** The last indexed (offset, position), if any. */
  lastEntry(): { offset: bigint; position: number } | undefined {
    return this.file.entries === 0 ? undefined : this.entry(this.file.entries - 1);
  }

  entry(i: number): { offset: bigint; position: number } {
    const at = i * entryBytes;
    const view = this.file.view;
    return { offset: this.baseOffset + BigInt(view.readInt32BE(at)), position: view.readInt32BE(at + 4) };
  }

  append(offset: bigint, position: number): void {
    const relative = Number(offset - this.baseOffset);
    this.file.append((buf, at) => {
      buf.writeInt32BE(relative, at);
      buf.writeInt32BE(position, at + 4);
    });
  }

  /** Position of the last indexed batch at or before `offset` (0 when none is indexed). */
  lookup(offset: bigint): { offset: bigint; position: number } {
    const relative = offset - this.baseOffset;
    if (relative < 0n) return { offset: this.baseOffset, position: 0 };
    const i = this.file.floorEntry(relative > 2147483647n ? 2147483647 : Number(relative));
    return i < 0 ? { offset: this.baseOffset, position: 0 } : this.entry(i);
  }

  /** Drops entries for offsets ≥ `offset`. */
  truncateTo(offset: bigint): void {
    const relative = offset - this.baseOffset;
    const keep = relative <= 0n ? 0 : this.file.floorEntry(Number(relative) - 1) + 1;
    this.file.truncateToEntries(keep);
  }
}
