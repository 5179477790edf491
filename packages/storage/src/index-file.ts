// Shared mechanics of the fixed-width index files (.index, .timeindex): a preallocated file of
// `maxBytes`, mirrored by an in-memory buffer of the same capacity. Entries are appended in memory
// on the hot path and written to the file in one positional write on flush, roll or close — the
// same durability Kafka's mmap'd indexes have (the OS writes them back when it likes), and indexes
// past the recovery point are rebuilt from the log after an unclean stop anyway.
//
// A closed (inactive) index is trimmed to its entries; an index still preallocated after a crash is
// read up to the first entry that breaks monotonic order (the zero fill).

import { type FileHandle, open, rm } from "node:fs/promises";

export interface IndexEntryFormat {
  readonly entryBytes: number;
  /** Key of entry `i`, used for ordering checks (relative offset or timestamp). */
  key(buf: Buffer, at: number): number | bigint;
}

export class IndexFile {
  readonly path: string;
  private readonly format: IndexEntryFormat;
  private readonly handle: FileHandle;
  private readonly buf: Buffer;
  private count: number;
  private flushedCount: number;
  private preallocated: boolean;

  private constructor(
    path: string,
    format: IndexEntryFormat,
    handle: FileHandle,
    buf: Buffer,
    count: number,
  ) {
    this.path = path;
    this.format = format;
    this.handle = handle;
    this.buf = buf;
    this.count = count;
    this.flushedCount = count;
    this.preallocated = false;
  }

  /**
   * Opens (or creates) an index file. Entries beyond the first non-monotonic one are dropped;
   * `maxBytes` is rounded down to whole entries.
   */
  static async open(path: string, format: IndexEntryFormat, maxBytes: number): Promise<IndexFile> {
    const capacity = Math.max(1, Math.floor(maxBytes / format.entryBytes));
    const handle = await open(path, "a+").then(async (h) => {
      await h.close();
      return open(path, "r+");
    });
    try {
      const { size } = await handle.stat();
      const buf = Buffer.alloc(capacity * format.entryBytes);
      const readable = Math.min(size - (size % format.entryBytes), buf.length);
      if (readable > 0) await handle.read(buf, 0, readable, 0);
      let count = 0;
      const entries = readable / format.entryBytes;
      while (count < entries) {
        if (count > 0) {
          const previous = format.key(buf, (count - 1) * format.entryBytes);
          const current = format.key(buf, count * format.entryBytes);
          if (current <= previous) break;
        }
        count++;
      }
      // A trailing all-zero first entry in a fresh preallocated file is not an entry.
      if (
        count === 1 &&
        size > format.entryBytes &&
        buf.subarray(0, format.entryBytes).every((b) => b === 0)
      ) {
        count = 0;
      }
      buf.fill(0, count * format.entryBytes);
      const index = new IndexFile(path, format, handle, buf, count);
      return index;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  get entries(): number {
    return this.count;
  }

  get isFull(): boolean {
    return (this.count + 1) * this.format.entryBytes > this.buf.length;
  }

  get maxEntries(): number {
    return this.buf.length / this.format.entryBytes;
  }

  /** Read access to entry storage for the concrete index formats. */
  get view(): Buffer {
    return this.buf;
  }

  /** Reserves the next entry and returns its byte position in `view`. */
  protected appendSlot(): number {
    const at = this.count * this.format.entryBytes;
    this.count++;
    return at;
  }

  /** Appends one entry written by `write` at the returned slot. */
  append(write: (buf: Buffer, at: number) => void): void {
    if (this.isFull) throw new RangeError(`index ${this.path} is full`);
    write(this.buf, this.appendSlot());
  }

  /** Keeps the first `entries` entries. */
  truncateToEntries(entries: number): void {
    if (entries >= this.count) return;
    this.buf.fill(0, entries * this.format.entryBytes, this.count * this.format.entryBytes);
    this.count = entries;
    this.flushedCount = Math.min(this.flushedCount, entries);
  }

  /** Preallocates the file to full capacity, as Kafka does for the active segment's indexes. */
  async preallocate(): Promise<void> {
    if (this.preallocated) return;
    await this.handle.truncate(this.buf.length);
    this.preallocated = true;
  }

  /** Writes unwritten entries (and zeroes past the end after a truncation) to the file. */
  async flush(sync: boolean): Promise<void> {
    const from = this.flushedCount * this.format.entryBytes;
    const to = this.count * this.format.entryBytes;
    if (to > from) await this.handle.write(this.buf, from, to - from, from);
    this.flushedCount = this.count;
    if (sync) await this.handle.sync();
  }

  /** Trims the file to its entries: for a segment that is no longer active. */
  async trim(): Promise<void> {
    await this.flush(false);
    await this.handle.truncate(this.count * this.format.entryBytes);
    this.preallocated = false;
  }

  async close(): Promise<void> {
    await this.trim();
    await this.handle.close();
  }

  /** Closes without flushing and removes the file. */
  async delete(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.path, { force: true });
  }

  /** Resets to empty (for a rebuild). */
  reset(): void {
    this.truncateToEntries(0);
    this.flushedCount = 0;
  }

  /**
   * Binary search: the last entry whose key is ≤ `target`, or -1 when the first entry is already
   * greater (or there are none).
   */
  floorEntry(target: number | bigint): number {
    let low = 0;
    let high = this.count - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      if (this.format.key(this.buf, mid * this.format.entryBytes) <= target) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    return found;
  }
}
