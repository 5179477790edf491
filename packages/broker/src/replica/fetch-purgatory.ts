// Delayed fetches (long polling). A fetch that found fewer than minBytes parks here, watching the
// partitions it reads, until appends to them bring the missing bytes, one of them is removed, or
// maxWaitMs passes — then its handler reads again and answers with what is there. Kafka's
// DelayedFetch does the same (it completes early on errors too; our handler answers those at once
// without parking).
//
// Bounded: at most `maxWaiting` fetches park at once; beyond that a fetch is answered immediately
// (the client simply polls again). Every timer is cleared when its fetch completes.

export type WakeReason = "bytes" | "timeout" | "removed" | "full" | "closed";

export interface FetchPurgatoryOptions {
  /** Parked fetches at most (default 10,000). */
  readonly maxWaiting?: number;
}

interface DelayedFetch {
  readonly keys: readonly string[];
  remaining: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  resolve: (reason: WakeReason) => void;
}

export class FetchPurgatory {
  private readonly watchers = new Map<string, Set<DelayedFetch>>();
  private readonly parked = new Set<DelayedFetch>();
  private readonly maxWaiting: number;
  private closed = false;

  constructor(options: FetchPurgatoryOptions = {}) {
    const max = options.maxWaiting ?? 10_000;
    if (!(Number.isInteger(max) && max >= 0))
      throw new RangeError(`maxWaiting must be an integer ≥ 0, got ${max}`);
    this.maxWaiting = max;
  }

  /** Fetches parked now. */
  get waiting(): number {
    return this.parked.size;
  }

  /**
   * Resolves once `bytes` bytes were appended (in total) to the partitions named by `keys`, or one
   * of them is removed, or after `maxWaitMs`. Never rejects.
   */
  wait(keys: readonly string[], bytes: number, maxWaitMs: number): Promise<WakeReason> {
    if (this.closed) return Promise.resolve("closed");
    if (bytes <= 0 || keys.length === 0) return Promise.resolve("bytes");
    if (!(maxWaitMs > 0)) return Promise.resolve("timeout");
    if (this.parked.size >= this.maxWaiting) return Promise.resolve("full");
    return new Promise<WakeReason>((resolve) => {
      const fetch: DelayedFetch = { keys: [...new Set(keys)], remaining: bytes, timer: undefined, resolve };
      fetch.timer = setTimeout(() => this.complete(fetch, "timeout"), maxWaitMs);
      this.parked.add(fetch);
      for (const key of fetch.keys) {
        let set = this.watchers.get(key);
        if (!set) {
          set = new Set();
          this.watchers.set(key, set);
        }
        set.add(fetch);
      }
    });
  }

  /** `bytes` were appended to the partition `key` (below its high watermark). */
  onAppend(key: string, bytes: number): void {
    const set = this.watchers.get(key);
    if (!set) return;
    for (const fetch of [...set]) {
      fetch.remaining -= bytes;
      if (fetch.remaining <= 0) this.complete(fetch, "bytes");
    }
  }

  /** The partition `key` is gone (topic deleted): its watchers answer now. */
  onRemoved(key: string): void {
    const set = this.watchers.get(key);
    if (!set) return;
    for (const fetch of [...set]) this.complete(fetch, "removed");
  }

  /** Answers every parked fetch and refuses to park new ones. */
  close(): void {
    this.closed = true;
    for (const fetch of [...this.parked]) this.complete(fetch, "closed");
  }

  private complete(fetch: DelayedFetch, reason: WakeReason): void {
    if (!this.parked.delete(fetch)) return;
    if (fetch.timer !== undefined) clearTimeout(fetch.timer);
    fetch.timer = undefined;
    for (const key of fetch.keys) {
      const set = this.watchers.get(key);
      if (!set) continue;
      set.delete(fetch);
      if (set.size === 0) this.watchers.delete(key);
    }
    fetch.resolve(reason);
  }
}
