// Reusable buffers for request frames (the FrameReader reads into them). A fresh Buffer of ≥ 4 KiB
// is its own ArrayBuffer (≥ 64 KiB: its own mmap): its pages fault in on first write (≈ a second copy), it is external memory that
// drives V8 into a full mark-compact every few tens of MiB, and it is unmapped again after. A CPU
// profile of kcat producing 100 KiB messages spent ~30% of the broker's busy time in GC for that
// reason; pooling the frames cut the mark-compacts by ~40% and halved produce time in that
// profile. Buffers come back only where their last use is known (see Connection): the Produce
// handler does not keep its records after appending them. Anything not given back is collected.
//
// Sizes are rounded up to powers of two; at most `maxFreeBytes` wait in the free lists, and a
// released buffer displaces free buffers of other sizes rather than being dropped. Below
// 4 KiB Buffer.allocUnsafe slices Node's shared 8 KiB slab, which costs the GC nothing per frame.

const minPooledBytes = 4 * 1024;

export interface BufferPoolOptions {
  /** Larger requests are allocated normally and never pooled (default 16 MiB). */
  readonly maxBufferBytes?: number;
  /** Free bytes kept for reuse across all sizes (default 32 MiB). */
  readonly maxFreeBytes?: number;
}

export class BufferPool {
  private readonly maxBufferBytes: number;
  private readonly maxFreeBytes: number;
  /** Free buffers by size class (log2 of the capacity). */
  private readonly free = new Map<number, Buffer[]>();
  private freeBytes = 0;
  /** Lent buffers, by their memory, so a release of anything else (or twice) is ignored. */
  private readonly lent = new WeakMap<ArrayBufferLike, Buffer>();

  constructor(options: BufferPoolOptions = {}) {
    this.maxBufferBytes = options.maxBufferBytes ?? 16 * 1024 * 1024;
    this.maxFreeBytes = options.maxFreeBytes ?? 32 * 1024 * 1024;
  }

  /** Free bytes held for reuse. */
  get idleBytes(): number {
    return this.freeBytes;
  }

  /** `bytes` of uninitialised memory; pooled when the size is in the pooled range. Bound. */
  readonly allocate = (bytes: number): Buffer => {
    if (bytes < minPooledBytes || bytes > this.maxBufferBytes) return Buffer.allocUnsafe(bytes);
    const sizeClass = Math.ceil(Math.log2(bytes));
    let whole = this.free.get(sizeClass)?.pop();
    if (whole) this.freeBytes -= whole.length;
    else whole = Buffer.allocUnsafeSlow(2 ** sizeClass);
    this.lent.set(whole.buffer, whole);
    return whole.subarray(0, bytes);
  };

  /**
   * Gives back the buffer that `view` (any slice of it) belongs to. The caller guarantees nothing
   * reads or writes it any more. Views of memory the pool did not lend are ignored.
   */
  release(view: Buffer): void {
    const whole = this.lent.get(view.buffer);
    if (!whole) return;
    this.lent.delete(view.buffer);
    const sizeClass = Math.log2(whole.length);
    if (!this.makeRoom(whole.length, sizeClass)) return;
    let list = this.free.get(sizeClass);
    if (!list) {
      list = [];
      this.free.set(sizeClass, list);
    }
    list.push(whole);
    this.freeBytes += whole.length;
  }

  /**
   * Frees `bytes` of the budget by dropping buffers of other size classes, largest holder first:
   * the sizes in use change with the load (1 MiB Produce frames, then 8 MiB Fetch reads), and a
   * pool full of the old size would otherwise make every buffer of the new one a fresh mmap.
   */
  private makeRoom(bytes: number, keepClass: number): boolean {
    if (bytes > this.maxFreeBytes) return false;
    while (this.freeBytes + bytes > this.maxFreeBytes) {
      let victim: Buffer[] | undefined;
      let victimBytes = 0;
      for (const [sizeClass, list] of this.free) {
        const held = list.length * 2 ** sizeClass;
        if (sizeClass !== keepClass && held > victimBytes) {
          victim = list;
          victimBytes = held;
        }
      }
      const dropped = victim?.pop();
      if (!dropped) return false;
      this.freeBytes -= dropped.length;
    }
    return true;
  }
}
