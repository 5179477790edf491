// Splits a byte stream into Kafka frames (int32 size prefix + payload), for code that receives
// chunks and wants the frames back as a list (tests, tools, the bench's stub broker). The parsing
// is FrameReader's (frame-reader.ts): a declared size that is negative or above the maximum is
// rejected as soon as its 4 bytes arrive, before any of the frame is buffered, and each frame is
// copied once into a buffer from `allocate` (a caller may pool them).

import { FrameReader } from "./frame-reader.ts";

export class FrameSplitter {
  private readonly reader: FrameReader;
  private ready: Buffer[] = [];

  constructor(options: { maxFrameBytes: number; allocate?: (bytes: number) => Buffer }) {
    this.reader = new FrameReader({ ...options, onFrame: (frame) => this.ready.push(frame) });
  }

  /** Bytes received but not yet returned as a frame. */
  get pendingBytes(): number {
    return this.reader.pendingBytes;
  }

  /** Adds received bytes; returns the payloads (without size prefix) of every frame now complete. */
  push(chunk: Buffer): Buffer[] {
    this.reader.push(chunk);
    const frames = this.ready;
    this.ready = [];
    return frames;
  }
}

/** Prefixes encoded chunks with their total size, ready to write to a socket. */
export function frameChunks(chunks: Buffer[]): Buffer[] {
  let size = 0;
  for (const chunk of chunks) size += chunk.length;
  const prefix = Buffer.allocUnsafe(4);
  prefix.writeInt32BE(size, 0);
  return [prefix, ...chunks];
}
