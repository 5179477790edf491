// Kafka's buffer.memory: the bytes of records waiting to be sent are bounded; send() waits for
// room (first come, first served) up to max.block.ms and then fails with a timeout.

import { KafkaClientError, KafkaTimeoutError } from "../errors.ts";

interface Waiter {
  readonly bytes: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

export class MemoryLimit {
  readonly total: number;
  private used = 0;
  private readonly waiters: Waiter[] = [];

  constructor(total: number) {
    this.total = total;
  }

  get available(): number {
    return this.total - this.used;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /** Takes `bytes` if they are free now and nobody waits; false otherwise (nothing taken). */
  tryReserve(bytes: number): boolean {
    if (this.waiters.length > 0 || this.used + bytes > this.total) return false;
    this.used += bytes;
    return true;
  }

  /** Takes `bytes`, waiting up to `maxBlockMs` for others to release theirs. */
  reserve(bytes: number, maxBlockMs: number): Promise<void> {
    if (bytes > this.total)
      return Promise.reject(
        new KafkaClientError(
          `a record of ${bytes} bytes is larger than bufferMemory (${this.total} bytes): raise bufferMemory`,
          false,
        ),
      );
    // Later callers queue behind earlier ones even when they would fit, so none starves.
    if (this.waiters.length === 0 && this.used + bytes <= this.total) {
      this.used += bytes;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { bytes, resolve, reject, timer: undefined };
      waiter.timer = setTimeout(() => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        reject(
          new KafkaTimeoutError(
            `no room for ${bytes} bytes in bufferMemory (${this.total}) within maxBlockMs (${maxBlockMs} ms)`,
          ),
        );
        this.grant();
      }, maxBlockMs);
      this.waiters.push(waiter);
    });
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
    this.grant();
  }

  private grant(): void {
    while (this.waiters.length > 0) {
      const next = this.waiters[0] as Waiter;
      if (this.used + next.bytes > this.total) return;
      this.waiters.shift();
      clearTimeout(next.timer);
      this.used += next.bytes;
      next.resolve();
    }
  }

  /** Fails every waiter (the producer is closing). */
  abort(error: Error): void {
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
  }
}
