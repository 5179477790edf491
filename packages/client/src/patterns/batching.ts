// Batch processing by size or time: groups what an async source yields into arrays of at most
// `maxSize` items, handing over a partial batch once `maxWaitMs` passed since its first item, so
// a slow trickle is still processed promptly.

export interface BatchOptions {
  readonly maxSize: number;
  readonly maxWaitMs: number;
}

export async function* batchesOf<T>(source: AsyncIterable<T>, options: BatchOptions): AsyncGenerator<T[]> {
  if (!(options.maxSize >= 1)) throw new RangeError("maxSize must be at least 1");
  const iterator = source[Symbol.asyncIterator]();
  let batch: T[] = [];
  let deadline = 0;
  let pending: Promise<IteratorResult<T>> | undefined;
  try {
    for (;;) {
      pending ??= iterator.next();
      const waitMs = batch.length === 0 ? undefined : Math.max(0, deadline - Date.now());
      let timer: NodeJS.Timeout | undefined;
      const next =
        waitMs === undefined
          ? await pending
          : await Promise.race([
              pending,
              new Promise<"timeout">((resolve) => {
                timer = setTimeout(() => resolve("timeout"), waitMs);
              }),
            ]);
      clearTimeout(timer);
      if (next === "timeout") {
        yield batch;
        batch = [];
        continue;
      }
      pending = undefined;
      if (next.done) break;
      if (batch.length === 0) deadline = Date.now() + options.maxWaitMs;
      batch.push(next.value);
      if (batch.length >= options.maxSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } finally {
    await iterator.return?.();
  }
}
