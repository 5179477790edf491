// LZ4 for record batches: the LZ4 *frame* format (magic 04 22 4D 18), which every Kafka client
// uses for magic 2 batches, never the bare block format. Compression and decompression are done
// by lz4-napi's frame functions.
//
// Before decompressing, the frame is walked to learn its exact decoded size without producing
// any output: the frame descriptor and block sizes are read, and each compressed block's
// sequences (token, literal length, literals, match offset, match length) are summed. That bounds
// memory by the caller's maxOutputBytes and rejects frames the native decoder would tolerate
// (it accepts a missing end mark and ignores trailing bytes). Only one frame is accepted.

import { CodecError } from "../codec/codec-error.ts";
import { loadOptionalNativeModule } from "./native-module.ts";

interface Lz4Module {
  compressFrameSync(data: Buffer): Buffer;
  decompressFrameSync(data: Buffer): Buffer;
}

export const LZ4_FRAME_MAGIC = 0x184d2204;

const FLG_VERSION_MASK = 0xc0;
const FLG_VERSION_01 = 0x40;
const FLG_BLOCK_CHECKSUM = 0x10;
const FLG_CONTENT_SIZE = 0x08;
const FLG_CONTENT_CHECKSUM = 0x04;
const FLG_RESERVED = 0x02;
const FLG_DICT_ID = 0x01;
const BD_RESERVED = 0x8f;
const BLOCK_UNCOMPRESSED = 0x80000000;
const MIN_MATCH = 4;

let lz4Module: Lz4Module | null | undefined;

function lz4(): Lz4Module {
  if (lz4Module === undefined) lz4Module = loadOptionalNativeModule<Lz4Module>("lz4-napi");
  if (lz4Module === null) {
    throw new CodecError("UNSUPPORTED_COMPRESSION", "lz4 is unavailable: the native module failed to load");
  }
  return lz4Module;
}

function corrupt(message: string): CodecError {
  return new CodecError("CORRUPT_RECORD", `invalid lz4 frame: ${message}`);
}

function tooLarge(maxOutputBytes: number): CodecError {
  return new CodecError(
    "DECOMPRESSED_TOO_LARGE",
    `lz4 data decompresses to more than the allowed ${maxOutputBytes} bytes`,
  );
}

/** Reads an LZ4 length extension (bytes of 255 continue it) starting at `position`. */
function readLengthExtension(data: Buffer, position: number, end: number): { value: number; next: number } {
  let value = 0;
  let p = position;
  for (;;) {
    if (p >= end) throw corrupt("block ends inside a length");
    const byte = data[p++] as number;
    value += byte;
    if (byte !== 255) return { value, next: p };
  }
}

/** Decoded size of the compressed block in data[start, end), computed from its sequences. */
function compressedBlockDecodedSize(data: Buffer, start: number, end: number, blockMaxSize: number): number {
  let p = start;
  let size = 0;
  while (p < end) {
    const token = data[p++] as number;
    let literalLength = token >>> 4;
    if (literalLength === 15) {
      const extension = readLengthExtension(data, p, end);
      literalLength += extension.value;
      p = extension.next;
    }
    if (literalLength > end - p) throw corrupt("literals run past the block");
    p += literalLength;
    size += literalLength;
    if (p === end) break; // the last sequence carries literals only
    if (end - p < 2) throw corrupt("block ends inside a match offset");
    const offset = (data[p] as number) | ((data[p + 1] as number) << 8);
    p += 2;
    if (offset === 0) throw corrupt("match offset 0");
    let matchLength = token & 0x0f;
    if (matchLength === 15) {
      const extension = readLengthExtension(data, p, end);
      matchLength += extension.value;
      p = extension.next;
    }
    size += matchLength + MIN_MATCH;
    if (size > blockMaxSize) throw corrupt(`block decodes past its maximum size ${blockMaxSize}`);
  }
  if (size > blockMaxSize) throw corrupt(`block decodes past its maximum size ${blockMaxSize}`);
  return size;
}

/**
 * Walks one LZ4 frame covering all of `data` and returns its exact decoded size. Throws
 * CodecError when the frame is malformed, truncated, followed by other bytes, or would decode to
 * more than `maxOutputBytes`.
 */
export function lz4FrameDecodedSize(data: Buffer, maxOutputBytes: number): number {
  if (data.length < 7) throw new CodecError("TRUNCATED", "lz4 frame header is cut short");
  if (data.readUInt32LE(0) !== LZ4_FRAME_MAGIC)
    throw corrupt("bad magic (only the LZ4 frame format is accepted)");
  const flg = data[4] as number;
  const bd = data[5] as number;
  if ((flg & FLG_VERSION_MASK) !== FLG_VERSION_01) throw corrupt("unsupported frame version");
  if ((flg & FLG_RESERVED) !== 0 || (bd & BD_RESERVED) !== 0) throw corrupt("reserved bits set");
  if ((flg & FLG_DICT_ID) !== 0) throw corrupt("preset dictionaries are not supported");
  const blockSizeId = (bd >>> 4) & 0x07;
  if (blockSizeId < 4) throw corrupt(`invalid block maximum size id ${blockSizeId}`);
  const blockMaxSize = 1 << (8 + 2 * blockSizeId); // 4 → 64 KiB, 5 → 256 KiB, 6 → 1 MiB, 7 → 4 MiB
  const blockChecksumSize = flg & FLG_BLOCK_CHECKSUM ? 4 : 0;
  let p = 6;
  let contentSize: bigint | null = null;
  if (flg & FLG_CONTENT_SIZE) {
    if (data.length - p < 9) throw new CodecError("TRUNCATED", "lz4 frame header is cut short");
    contentSize = data.readBigUInt64LE(p);
    p += 8;
    if (contentSize > BigInt(maxOutputBytes)) throw tooLarge(maxOutputBytes);
  }
  p++; // header checksum, verified by the native decoder
  let total = 0;
  for (;;) {
    if (data.length - p < 4) throw new CodecError("TRUNCATED", "lz4 frame ends before its end mark");
    const word = data.readUInt32LE(p);
    p += 4;
    if (word === 0) break;
    const uncompressed = (word & BLOCK_UNCOMPRESSED) !== 0;
    const blockSize = word & ~BLOCK_UNCOMPRESSED;
    if (blockSize > blockMaxSize)
      throw corrupt(`block of ${blockSize} bytes exceeds the maximum ${blockMaxSize}`);
    if (data.length - p < blockSize + blockChecksumSize) {
      throw new CodecError("TRUNCATED", "lz4 block runs past the end of the data");
    }
    total += uncompressed ? blockSize : compressedBlockDecodedSize(data, p, p + blockSize, blockMaxSize);
    if (total > maxOutputBytes) throw tooLarge(maxOutputBytes);
    p += blockSize + blockChecksumSize;
  }
  if (flg & FLG_CONTENT_CHECKSUM) p += 4;
  if (p > data.length) throw new CodecError("TRUNCATED", "lz4 content checksum is cut short");
  if (p < data.length) throw corrupt(`${data.length - p} bytes follow the frame`);
  if (contentSize !== null && contentSize !== BigInt(total)) {
    throw corrupt(`content size ${contentSize} disagrees with the blocks (${total} bytes)`);
  }
  return total;
}

export function lz4Compress(data: Buffer): Buffer {
  return lz4().compressFrameSync(data);
}

/** Decodes one LZ4 frame, refusing output above `maxOutputBytes`. */
export function lz4Decompress(data: Buffer, maxOutputBytes: number): Buffer {
  const decodedSize = lz4FrameDecodedSize(data, maxOutputBytes);
  let out: Buffer;
  try {
    out = lz4().decompressFrameSync(data);
  } catch (error) {
    if (error instanceof CodecError) throw error;
    throw corrupt((error as Error).message);
  }
  if (out.length !== decodedSize) throw corrupt(`decoded ${out.length} bytes, expected ${decodedSize}`);
  return out;
}
