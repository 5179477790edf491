// Reads the batches of a closed segment file in large chunks for the cleaner. A closed segment
// holds only whole batches, so anything that does not parse as one (a length running past the end,
// a magic other than 2) is corruption: the clean stops rather than copy it.

import type { FileHandle } from "node:fs/promises";
import { BATCH_HEADER_SIZE, BatchHeader, CURRENT_MAGIC } from "@nagare/protocol/records";

const chunkBytes = 1024 * 1024;

export interface ReadBatch {
  readonly position: number;
  readonly header: BatchHeader;
  /** The whole batch, or only its header when the caller asked for headers and not this batch. */
  readonly bytes: Buffer;
}

export interface ReadBatchesOptions {
  /** When given, only batches for which it returns true are read whole (headers-only scan). */
  readonly wholeBatch?: (header: BatchHeader) => boolean;
}

export class CorruptSegmentError extends Error {
  constructor(path: string, position: number, what: string) {
    super(`${path} is corrupt at position ${position}: ${what}`);
    this.name = "CorruptSegmentError";
  }
}

/** Yields the batches between `start` and `end`; each `bytes` stays valid (chunks are not reused). */
export async function* readBatches(
  handle: FileHandle,
  path: string,
  start: number,
  end: number,
  options: ReadBatchesOptions = {},
): AsyncGenerator<ReadBatch> {
  let chunk: Buffer = Buffer.alloc(0);
  let chunkStart = start;
  let position = start;
  while (position < end) {
    if (end - position < BATCH_HEADER_SIZE)
      throw new CorruptSegmentError(path, position, "a partial batch header");
    if (position + BATCH_HEADER_SIZE > chunkStart + chunk.length) {
      chunk = await readExactly(handle, path, position, Math.min(chunkBytes, end - position));
      chunkStart = position;
    }
    const header = new BatchHeader(chunk, position - chunkStart);
    const size = header.size;
    if (size < BATCH_HEADER_SIZE || position + size > end)
      throw new CorruptSegmentError(path, position, `a batch of ${size} bytes does not fit before ${end}`);
    if (header.magic !== CURRENT_MAGIC)
      throw new CorruptSegmentError(path, position, `magic ${header.magic}, expected ${CURRENT_MAGIC}`);
    const whole = options.wholeBatch === undefined || options.wholeBatch(header);
    let bytes: Buffer;
    if (!whole) bytes = chunk.subarray(position - chunkStart, position - chunkStart + BATCH_HEADER_SIZE);
    else if (position + size <= chunkStart + chunk.length)
      bytes = chunk.subarray(position - chunkStart, position - chunkStart + size);
    else if (size > chunkBytes) bytes = await readExactly(handle, path, position, size);
    else {
      chunk = await readExactly(handle, path, position, Math.min(chunkBytes, end - position));
      chunkStart = position;
      bytes = chunk.subarray(0, size);
    }
    yield { position, header: whole ? new BatchHeader(bytes, 0) : header, bytes };
    position += size;
  }
}

async function readExactly(
  handle: FileHandle,
  path: string,
  position: number,
  length: number,
): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buf, filled, length - filled, position + filled);
    if (bytesRead === 0) throw new CorruptSegmentError(path, position + filled, "the file ends early");
    filled += bytesRead;
  }
  return buf;
}
