// Runs tasks one at a time in submission order: every mutation of one partition goes through its
// queue, so no two appends, truncations or segment swaps interleave. A failed task rejects its own
// promise only; the queue keeps going.

export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** Tasks queued or running. */
  get size(): number {
    return this.pending;
  }

  run<T>(task: () => Promise<T> | T): Promise<T> {
    this.pending++;
    const result = this.tail.then(task);
    this.tail = result.then(
      () => this.pending--,
      () => this.pending--,
    );
    return result;
  }
}
