// Snappy for record batches, in the two shapes Kafka clients use:
// - raw snappy (one block with a varint length preamble): what librdkafka and most non-Java
//   clients send;
// - xerial framing (snappy-java's SnappyOutputStream): what the Java client sends and expects:
//   8 magic bytes 0x82 "SNAPPY" 0x00, int32 version, int32 compatible version, then blocks of
//   int32 big-endian length + a raw snappy block.
// Decoding tells them apart by the magic; a raw stream cannot start with it (its bytes 1-2 would
// open with a copy before any literal, which is invalid), so the check is unambiguous.
// Each raw block announces its decoded length in its preamble; that is checked against the
// caller's bound before the native decoder allocates anything.

import { CodecError } from "../codec/codec-error.ts";
import { type Cursor, readUnsignedVarint } from "../codec/varint.ts";
import { loadOptionalNativeModule } from "./native-module.ts";

interface SnappyModule {
  compressSync(input: Uint8Array): Buffer;
  uncompressSync(input: Uint8Array, options?: { asBuffer?: boolean }): string | Buffer;
}

export const XERIAL_MAGIC: Buffer = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_SIZE = 16;
const XERIAL_VERSION = 1;
const XERIAL_COMPATIBLE_VERSION = 1;
/** snappy-java's default block size. */
const XERIAL_BLOCK_SIZE = 32 * 1024;

export type SnappyFormat = "raw" | "xerial";

let snappyModule: SnappyModule | null | undefined;

function snappy(): SnappyModule {
  if (snappyModule === undefined) snappyModule = loadOptionalNativeModule<SnappyModule>("snappy");
  if (snappyModule === null) {
    throw new CodecError(
      "UNSUPPORTED_COMPRESSION",
      "snappy is unavailable: the native module failed to load",
    );
  }
  return snappyModule;
}

export function isXerialSnappy(data: Buffer): boolean {
  return data.length >= XERIAL_MAGIC.length && XERIAL_MAGIC.equals(data.subarray(0, XERIAL_MAGIC.length));
}

export function snappyCompress(data: Buffer, format: SnappyFormat = "raw"): Buffer {
  if (format === "raw") return snappy().compressSync(data);
  const parts: Buffer[] = [];
  const header = Buffer.allocUnsafe(XERIAL_HEADER_SIZE);
  XERIAL_MAGIC.copy(header, 0);
  header.writeInt32BE(XERIAL_VERSION, 8);
  header.writeInt32BE(XERIAL_COMPATIBLE_VERSION, 12);
  parts.push(header);
  for (let start = 0; start < data.length; start += XERIAL_BLOCK_SIZE) {
    const block = snappy().compressSync(data.subarray(start, start + XERIAL_BLOCK_SIZE));
    const length = Buffer.allocUnsafe(4);
    length.writeInt32BE(block.length, 0);
    parts.push(length, block);
  }
  return Buffer.concat(parts);
}

/** The decoded length a raw snappy block announces in its preamble. */
function rawDecodedLength(block: Buffer): number {
  const cursor: Cursor = { offset: 0 };
  return readUnsignedVarint(block, cursor);
}

function uncompressRaw(block: Buffer, expectedLength: number): Buffer {
  let out: string | Buffer;
  try {
    out = snappy().uncompressSync(block, { asBuffer: true });
  } catch (error) {
    if (error instanceof CodecError) throw error;
    throw new CodecError("CORRUPT_RECORD", `invalid snappy data: ${(error as Error).message}`);
  }
  if (typeof out === "string" || out.length !== expectedLength) {
    throw new CodecError("CORRUPT_RECORD", "snappy block decoded to a different length than announced");
  }
  return out;
}

function tooLarge(maxOutputBytes: number): CodecError {
  return new CodecError(
    "DECOMPRESSED_TOO_LARGE",
    `snappy data decompresses to more than the allowed ${maxOutputBytes} bytes`,
  );
}

function decompressXerial(data: Buffer, maxOutputBytes: number): Buffer {
  if (data.length < XERIAL_HEADER_SIZE) {
    throw new CodecError("TRUNCATED", "xerial snappy header is cut short");
  }
  const blocks: { block: Buffer; decodedLength: number }[] = [];
  let total = 0;
  let position = XERIAL_HEADER_SIZE;
  while (position < data.length) {
    if (data.length - position < 4)
      throw new CodecError("TRUNCATED", "xerial snappy block length is cut short");
    const length = data.readInt32BE(position);
    position += 4;
    if (length <= 0) throw new CodecError("MALFORMED", `xerial snappy block has invalid length ${length}`);
    if (length > data.length - position) {
      throw new CodecError("TRUNCATED", `xerial snappy block of ${length} bytes runs past the end`);
    }
    const block = data.subarray(position, position + length);
    position += length;
    const decodedLength = rawDecodedLength(block);
    total += decodedLength;
    if (total > maxOutputBytes) throw tooLarge(maxOutputBytes);
    blocks.push({ block, decodedLength });
  }
  const out = Buffer.allocUnsafe(total);
  let written = 0;
  for (const { block, decodedLength } of blocks) {
    written += uncompressRaw(block, decodedLength).copy(out, written);
  }
  return out;
}

/** Decodes raw or xerial-framed snappy, refusing output above `maxOutputBytes`. */
export function snappyDecompress(data: Buffer, maxOutputBytes: number): Buffer {
  if (isXerialSnappy(data)) return decompressXerial(data, maxOutputBytes);
  const decodedLength = rawDecodedLength(data);
  if (decodedLength > maxOutputBytes) throw tooLarge(maxOutputBytes);
  return uncompressRaw(data, decodedLength);
}
