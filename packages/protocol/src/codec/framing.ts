// Splits a byte stream into Kafka frames (int32 size prefix + payload). Incremental: chunks are
// kept as received and joined only when a frame spans several of them, so a large frame is copied
// at most once, into a buffer from `allocate` (a caller may pool them). A declared size that is negative or above the configured maximum is rejected as
// soon as the 4 size bytes arrive, before any of the frame is buffered.

import { CodecError } from "./codec-error.ts";

export class FrameSplitter {
  private readonly maxFrameBytes: number;
  private readonly allocate: (bytes: number) => Buffer;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private expected = -1;

  constructor(options: { maxFrameBytes: number; allocate?: (bytes: number) => Buffer }) {
    this.maxFrameBytes = options.maxFrameBytes;
    this.allocate = options.allocate ?? Buffer.allocUnsafe;
  }

  /** Bytes received but not yet returned as a frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** Adds received bytes; returns the payloads (without size prefix) of every frame now complete. */
  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    for (;;) {
      if (this.expected < 0) {
        if (this.buffered < 4) break;
        const size = this.readSize();
        if (size < 0 || size > this.maxFrameBytes)
          throw new CodecError("FRAME_TOO_LARGE", `frame size ${size} is outside [0, ${this.maxFrameBytes}]`);
        this.consume(4);
        this.expected = size;
      }
      if (this.buffered < this.expected) break;
      frames.push(this.consume(this.expected));
      this.expected = -1;
    }
    return frames;
  }

  private readSize(): number {
    const first = this.chunks[0] as Buffer;
    if (first.length >= 4) return first.readInt32BE(0);
    return Buffer.concat(this.chunks, 4).readInt32BE(0);
  }

  private consume(bytes: number): Buffer {
    const first = this.chunks[0];
    let out: Buffer;
    if (first !== undefined && first.length >= bytes) {
      out = first.subarray(0, bytes);
      if (first.length === bytes) this.chunks.shift();
      else this.chunks[0] = first.subarray(bytes);
    } else {
      out = this.allocate(bytes);
      let filled = 0;
      while (filled < bytes) {
        const head = this.chunks[0] as Buffer;
        const take = Math.min(head.length, bytes - filled);
        head.copy(out, filled, 0, take);
        filled += take;
        if (take === head.length) this.chunks.shift();
        else this.chunks[0] = head.subarray(take);
      }
    }
    this.buffered -= bytes;
    return out;
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
