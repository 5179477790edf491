// Shared mechanics of the fixed-width index files (.index, .timeindex): a preallocated file of
// `maxBytes`, mirrored by an in-memory buffer that grows with the entries up to that capacity and
// shrinks to them when the index is trimmed (segment.index.bytes is 10 MiB by default: holding that
// much per segment would cost gigabytes for a few hundred segments). Entries are appended in memory
// on the hot path and written to the file in one positional write on flush, roll or close — the
// same durability Kafka's mmap'd indexes have (the OS writes them back when it likes), and indexes
// past the recovery point are rebuilt from the log after an unclean stop anyway.
//
// A closed (inactive) index is trimmed to its entries; an index still preallocated after a crash is
// read up to the first entry that breaks monotonic order (the zero fill). `flush(true)` fsyncs only
// when something was written since the last fsync, and close fsyncs what is left, so an index is
// durable once its segment is closed.

import { type FileHandle, open, rename, rm } from "node:fs/promises";

/** Entries the in-memory buffer starts with before it grows. */
const initialEntries = 64;

export interface IndexEntryFormat {
  readonly entryBytes: number;
  /** Key of entry `i`, used for ordering checks (relative offset or timestamp). */
  key(buf: Buffer, at: number): number | bigint;
}

export class IndexFile {
  /** Changes only through `renameTo` (a compacted segment's suffix moves through its swap). */
  private currentPath: string;
  private readonly format: IndexEntryFormat;
  private readonly handle: FileHandle;
  /** Entries in memory; zero past `count`. Grows on demand up to `capacityBytes`. */
  private buf: Buffer;
  private readonly capacityBytes: number;
  private count: number;
  private flushedCount: number;
  /** Entries a truncation left in the file past `count`: the next flush overwrites them with zeros. */
  private staleCount = 0;
  private preallocated: boolean;
  /** False once the file changed after its last fsync. */
  private synced = true;

  private constructor(
    path: string,
    format: IndexEntryFormat,
    handle: FileHandle,
    buf: Buffer,
    capacityBytes: number,
    count: number,
  ) {
    this.currentPath = path;
    this.format = format;
    this.handle = handle;
    this.buf = buf;
    this.capacityBytes = capacityBytes;
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
      const capacityBytes = capacity * format.entryBytes;
      const readable = Math.min(size - (size % format.entryBytes), capacityBytes);
      const buf = Buffer.alloc(readable);
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
      const kept = Buffer.alloc(Math.min(capacityBytes, Math.max(count, initialEntries) * format.entryBytes));
      buf.copy(kept, 0, 0, count * format.entryBytes);
      return new IndexFile(path, format, handle, kept, capacityBytes, count);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  get path(): string {
    return this.currentPath;
  }

  get entries(): number {
    return this.count;
  }

  get isFull(): boolean {
    return (this.count + 1) * this.format.entryBytes > this.capacityBytes;
  }

  get maxEntries(): number {
    return this.capacityBytes / this.format.entryBytes;
  }

  /** Read access to entry storage for the concrete index formats. */
  get view(): Buffer {
    return this.buf;
  }

  /** Reserves the next entry and returns its byte position in `view`. */
  protected appendSlot(): number {
    const at = this.count * this.format.entryBytes;
    if (at + this.format.entryBytes > this.buf.length) {
      const grown = Buffer.alloc(
        Math.min(this.capacityBytes, Math.max(this.buf.length * 2, initialEntries * this.format.entryBytes)),
      );
      this.buf.copy(grown);
      this.buf = grown;
    }
    this.count++;
    return at;
  }

  /** Appends one entry written by `write` at the returned slot. */
  append(write: (buf: Buffer, at: number) => void): void {
    if (this.isFull) throw new RangeError(`index ${this.path} is full`);
    const at = this.appendSlot(); // may grow (replace) the buffer
    write(this.buf, at);
  }

  /** Keeps the first `entries` entries. */
  truncateToEntries(entries: number): void {
    if (entries >= this.count) return;
    this.buf.fill(0, entries * this.format.entryBytes, this.count * this.format.entryBytes);
    this.staleCount = Math.max(this.staleCount, this.flushedCount);
    this.count = entries;
    this.flushedCount = Math.min(this.flushedCount, entries);
  }

  /** Preallocates the file to full capacity, as Kafka does for the active segment's indexes. */
  async preallocate(): Promise<void> {
    if (this.preallocated) return;
    this.synced = false;
    await this.handle.truncate(this.capacityBytes);
    this.preallocated = true;
  }

  /** Writes unwritten entries (and zeroes past the end after a truncation) to the file. */
  async flush(sync: boolean): Promise<void> {
    const count = this.count; // entries appended during the write are written by the next flush
    const from = this.flushedCount * this.format.entryBytes;
    const to = Math.max(count, this.staleCount) * this.format.entryBytes;
    this.staleCount = 0;
    if (to > from) {
      this.synced = false;
      await this.handle.write(this.buf, from, to - from, from);
    }
    this.flushedCount = Math.min(count, this.count);
    if (sync && !this.synced) {
      this.synced = true; // a write during the fsync clears it again
      try {
        await this.handle.sync();
      } catch (error) {
        this.synced = false;
        throw error;
      }
    }
  }

  /** Entries not yet written, or writes not yet fsynced. */
  get needsSync(): boolean {
    return !this.synced || this.count > this.flushedCount || this.staleCount > 0;
  }

  /** Trims the file to its entries: for a segment that is no longer active. */
  async trim(): Promise<void> {
    await this.flush(false);
    const bytes = this.count * this.format.entryBytes;
    if (this.preallocated) this.synced = false;
    await this.handle.truncate(bytes);
    this.preallocated = false;
    if (this.buf.length > bytes) {
      const trimmed = Buffer.alloc(bytes);
      this.buf.copy(trimmed, 0, 0, bytes);
      this.buf = trimmed;
    }
  }

  async close(): Promise<void> {
    await this.trim();
    await this.flush(true);
    await this.handle.close();
  }

  /** Renames the file; the open handle follows it. */
  async renameTo(path: string): Promise<void> {
    await rename(this.currentPath, path);
    this.currentPath = path;
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
