// Unsigned and zigzag variable-length integers (protobuf encoding), used by compact strings,
// arrays and tagged fields (unsigned) and by records inside a batch (zigzag varint/varlong).
// Readers return the value and advance `cursor.offset`; they throw CodecError on truncation or
// on an encoding longer than the type allows, never anything else.

import { CodecError } from "./codec-error.ts";

export interface Cursor {
  offset: number;
}

/** Reads an unsigned varint of at most 32 bits (5 bytes). */
export function readUnsignedVarint(buf: Buffer, cursor: Cursor): number {
  let value = 0;
  let shift = 0;
  let offset = cursor.offset;
  for (;;) {
    if (offset >= buf.length) throw new CodecError("TRUNCATED", "varint runs past the end of the buffer");
    const byte = buf[offset++] as number;
    if (shift === 28 && byte > 0x0f) throw new CodecError("MALFORMED", "varint is longer than 32 bits");
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) break;
    shift += 7;
  }
  cursor.offset = offset;
  return value;
}

/** Reads a zigzag-encoded signed 32-bit varint. */
export function readVarint(buf: Buffer, cursor: Cursor): number {
  const raw = readUnsignedVarint(buf, cursor);
  return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
}

/** Reads a zigzag-encoded signed 64-bit varlong (at most 10 bytes). */
export function readVarlong(buf: Buffer, cursor: Cursor): bigint {
  let raw = 0n;
  let shift = 0n;
  let offset = cursor.offset;
  for (;;) {
    if (offset >= buf.length) throw new CodecError("TRUNCATED", "varlong runs past the end of the buffer");
    const byte = buf[offset++] as number;
    if (shift === 63n && byte > 0x01) throw new CodecError("MALFORMED", "varlong is longer than 64 bits");
    raw |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) break;
    shift += 7n;
  }
  cursor.offset = offset;
  return (raw >> 1n) ^ -(raw & 1n);
}

export function sizeOfUnsignedVarint(value: number): number {
  let size = 1;
  let v = value;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    size++;
  }
  return size;
}

export function zigzag32(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

export function zigzag64(value: bigint): bigint {
  return (value << 1n) ^ (value >> 63n);
}

export function sizeOfVarint(value: number): number {
  return sizeOfUnsignedVarint(zigzag32(value));
}

export function sizeOfVarlong(value: bigint): number {
  let v = BigInt.asUintN(64, zigzag64(value));
  let size = 1;
  while (v >= 0x80n) {
    v >>= 7n;
    size++;
  }
  return size;
}

/** Writes an unsigned varint at `offset`; returns the offset after it. */
export function writeUnsignedVarint(buf: Buffer, offset: number, value: number): number {
  let v = value;
  let o = offset;
  while (v >= 0x80) {
    buf[o++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  buf[o++] = v;
  return o;
}

export function writeVarint(buf: Buffer, offset: number, value: number): number {
  return writeUnsignedVarint(buf, offset, zigzag32(value));
}

export function writeVarlong(buf: Buffer, offset: number, value: bigint): number {
  let v = BigInt.asUintN(64, zigzag64(value));
  let o = offset;
  while (v >= 0x80n) {
    buf[o++] = Number(v & 0x7fn) | 0x80;
    v >>= 7n;
  }
  buf[o++] = Number(v);
  return o;
}
