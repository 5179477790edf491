// Bounds-checked reads over one Buffer. Every read checks the remaining length first and throws
// CodecError("TRUNCATED"); lengths and counts are checked against what is left before anything
// is allocated, so a decoder never allocates more than its input. Byte fields are zero-copy
// slices of the input.

import { CodecError } from "./codec-error.ts";

export class Reader {
  readonly buf: Buffer;
  offset: number;
  readonly end: number;

  constructor(buf: Buffer, offset = 0, end = buf.length) {
    this.buf = buf;
    this.offset = offset;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  private need(bytes: number): number {
    const at = this.offset;
    if (bytes > this.end - at)
      throw new CodecError("TRUNCATED", `needed ${bytes} bytes, ${this.end - at} left`);
    this.offset = at + bytes;
    return at;
  }

  int8(): number {
    return this.buf.readInt8(this.need(1));
  }

  int16(): number {
    return this.buf.readInt16BE(this.need(2));
  }

  uint16(): number {
    return this.buf.readUInt16BE(this.need(2));
  }

  int32(): number {
    return this.buf.readInt32BE(this.need(4));
  }

  uint32(): number {
    return this.buf.readUInt32BE(this.need(4));
  }

  int64(): bigint {
    return this.buf.readBigInt64BE(this.need(8));
  }

  float64(): number {
    return this.buf.readDoubleBE(this.need(8));
  }

  bool(): boolean {
    return this.buf[this.need(1)] !== 0;
  }

  uuid(): string {
    const at = this.need(16);
    const hex = this.buf.toString("hex", at, at + 16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  unsignedVarint(): number {
    let value = 0;
    let shift = 0;
    let at = this.offset;
    for (;;) {
      if (at >= this.end) throw new CodecError("TRUNCATED", "varint runs past the end");
      const byte = this.buf[at++] as number;
      if (shift === 28 && byte > 0x0f) throw new CodecError("MALFORMED", "varint is longer than 32 bits");
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) break;
      shift += 7;
    }
    this.offset = at;
    return value;
  }

  /** Raw bytes, zero-copy. */
  take(length: number): Buffer {
    const at = this.need(length);
    return this.buf.subarray(at, at + length);
  }

  utf8(length: number): string {
    const at = this.need(length);
    return this.buf.toString("utf8", at, at + length);
  }

  /** Checks that `count` elements of at least `minElementBytes` each can still fit. */
  checkCount(count: number, minElementBytes: number): void {
    if (count * Math.max(minElementBytes, 1) > this.end - this.offset)
      throw new CodecError("MALFORMED", `count ${count} exceeds the ${this.end - this.offset} bytes left`);
  }
}
