// Splits a connection's byte stream into Kafka frames (int32 size prefix + payload), reading
// from the socket into buffers it chooses (net's `onread`): a small reused scratch buffer for
// size prefixes and small frames, and, once a large frame's size is known, that frame's own
// buffer (from `allocate`, which a caller may pool), so its bytes land where they stay.
//
// Why: with 'data' events Node allocates a new 64 KiB ArrayBuffer for every socket read, and the
// frame is a second copy of it all. That garbage is external memory, which makes V8 run a full
// Mark-Compact every few MiB read: most of the client's consumer pauses (`npm run bench:client`)
// and a broker's 10–30 ms stalls at 50 MB/s (`npm run bench:broker`) came from it; the traces are
// in bench/RESULTS.md.
//
// `push` takes chunks from a stream that can only give 'data' events (TLS, fallbacks).

import { CodecError } from "./codec-error.ts";

const scratchBytes = 64 * 1024;

export interface FrameReaderOptions {
  readonly maxFrameBytes: number;
  readonly onFrame: (frame: Buffer) => void;
  /** Where a frame's bytes go (default Buffer.allocUnsafe); the frame is handed on in it. */
  readonly allocate?: (bytes: number) => Buffer;
}

export class FrameReader {
  private readonly maxFrameBytes: number;
  private readonly onFrame: (frame: Buffer) => void;
  private readonly allocate: (bytes: number) => Buffer;
  private readonly scratch = Buffer.allocUnsafe(scratchBytes);
  /** The size prefix being read (it may arrive split across reads). */
  private readonly sizeBytes = Buffer.alloc(4);
  private sizeFilled = 0;
  /** The frame being filled, and how much of it has arrived. */
  private frame: Buffer | undefined;
  private filled = 0;

  constructor(options: FrameReaderOptions) {
    this.maxFrameBytes = options.maxFrameBytes;
    this.onFrame = options.onFrame;
    this.allocate = options.allocate ?? Buffer.allocUnsafe;
  }

  /** Bytes received but not yet handed on as a frame (a partial size prefix or frame). */
  get pendingBytes(): number {
    return this.sizeFilled + this.filled;
  }

  /** Where the socket's next read goes (net calls it before each read). */
  nextBuffer(): Buffer {
    return this.frame ? this.frame.subarray(this.filled) : this.scratch;
  }

  /** `nread` bytes were read into `buffer` (the one nextBuffer returned). Throws on a bad size. */
  onRead(nread: number, buffer: Uint8Array): void {
    const frame = this.frame;
    if (frame && buffer !== this.scratch) {
      this.filled += nread;
      if (this.filled === frame.length) this.complete(frame);
      return;
    }
    this.parse(this.scratch, 0, nread);
  }

  /** Bytes received in a buffer of the caller's ('data' events). Throws on a bad size. */
  push(chunk: Buffer): void {
    this.parse(chunk, 0, chunk.length);
  }

  private parse(buf: Buffer, start: number, end: number): void {
    let at = start;
    while (at < end) {
      const frame = this.frame;
      if (frame) {
        const take = Math.min(frame.length - this.filled, end - at);
        buf.copy(frame, this.filled, at, at + take);
        this.filled += take;
        at += take;
        if (this.filled === frame.length) this.complete(frame);
        continue;
      }
      const take = Math.min(4 - this.sizeFilled, end - at);
      buf.copy(this.sizeBytes, this.sizeFilled, at, at + take);
      this.sizeFilled += take;
      at += take;
      if (this.sizeFilled < 4) return;
      this.sizeFilled = 0;
      const size = this.sizeBytes.readInt32BE(0);
      if (size < 0 || size > this.maxFrameBytes)
        throw new CodecError("FRAME_TOO_LARGE", `frame size ${size} is outside [0, ${this.maxFrameBytes}]`);
      this.frame = this.allocate(size);
      this.filled = 0;
      if (size === 0) this.complete(this.frame);
    }
  }

  private complete(frame: Buffer): void {
    this.frame = undefined;
    this.filled = 0;
    this.onFrame(frame);
  }
}
