// Append-only output made of chunks. Small values go into a scratch chunk that is never copied on
// growth (a new chunk is started instead); large byte fields (record batches) are referenced, not
// copied, so a 1 MiB Produce or Fetch payload reaches the socket without an extra copy.

import { sizeOfUnsignedVarint, writeUnsignedVarint } from "./varint.ts";

const zeroCopyThreshold = 4096;
const firstChunkBytes = 256;
const maxChunkBytes = 64 * 1024;

export class Writer {
  private readonly chunks: Buffer[] = [];
  private chunk: Buffer;
  private at = 0;
  private chunkStart = 0;
  private total = 0;

  constructor(initialBytes = firstChunkBytes) {
    this.chunk = Buffer.allocUnsafe(initialBytes);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.total;
  }

  private reserve(bytes: number): number {
    if (this.at + bytes > this.chunk.length) {
      this.seal();
      this.chunk = Buffer.allocUnsafe(Math.max(bytes, Math.min(this.chunk.length * 2, maxChunkBytes)));
      this.at = 0;
      this.chunkStart = 0;
    }
    const at = this.at;
    this.at += bytes;
    this.total += bytes;
    return at;
  }

  private seal(): void {
    if (this.at > this.chunkStart) this.chunks.push(this.chunk.subarray(this.chunkStart, this.at));
    this.chunkStart = this.at;
  }

  int8(value: number): void {
    const at = this.reserve(1);
    this.chunk.writeInt8(value, at);
  }

  int16(value: number): void {
    const at = this.reserve(2);
    this.chunk.writeInt16BE(value, at);
  }

  uint16(value: number): void {
    const at = this.reserve(2);
    this.chunk.writeUInt16BE(value, at);
  }

  int32(value: number): void {
    const at = this.reserve(4);
    this.chunk.writeInt32BE(value, at);
  }

  uint32(value: number): void {
    const at = this.reserve(4);
    this.chunk.writeUInt32BE(value, at);
  }

  int64(value: bigint): void {
    const at = this.reserve(8);
    this.chunk.writeBigInt64BE(value, at);
  }

  float64(value: number): void {
    const at = this.reserve(8);
    this.chunk.writeDoubleBE(value, at);
  }

  bool(value: boolean): void {
    const at = this.reserve(1);
    this.chunk[at] = value ? 1 : 0;
  }

  unsignedVarint(value: number): void {
    const size = sizeOfUnsignedVarint(value);
    const at = this.reserve(size);
    writeUnsignedVarint(this.chunk, at, value);
  }

  bytes(value: Buffer): void {
    if (value.length >= zeroCopyThreshold) {
      this.seal();
      this.chunks.push(value);
      this.total += value.length;
      return;
    }
    const at = this.reserve(value.length);
    value.copy(this.chunk, at);
  }

  utf8(value: string, byteLength: number): void {
    const at = this.reserve(byteLength);
    this.chunk.write(value, at, byteLength, "utf8");
  }

  /** The written bytes as a list of buffers (for `socket.cork` + writes, or writev). */
  toChunks(): Buffer[] {
    this.seal();
    return this.chunks;
  }

  toBuffer(): Buffer {
    const chunks = this.toChunks();
    return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.total);
  }
}
