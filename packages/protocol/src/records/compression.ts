// Compression codecs of record batches, selected by the batch attributes' low three bits:
// none, gzip and zstd (node:zlib), snappy (raw or xerial-framed, see snappy.ts) and lz4 (frame
// format, see lz4-frame.ts). The records section of a batch is compressed as one unit.
//
// Decompression always takes an output bound: a few kilobytes of compressed input can expand to
// gigabytes, so every codec stops (DECOMPRESSED_TOO_LARGE) before allocating past the bound.
// Undecodable input is CORRUPT_RECORD; codecs 5-7, or a codec whose native module is missing,
// are UNSUPPORTED_COMPRESSION.

import { constants as bufferConstants } from "node:buffer";
import zlib from "node:zlib";
import { CodecError } from "../codec/codec-error.ts";
import { CompressionType, isCompressionType } from "./attributes.ts";
import { lz4Compress, lz4Decompress } from "./lz4-frame.ts";
import { type SnappyFormat, snappyCompress, snappyDecompress } from "./snappy.ts";

export interface CompressOptions {
  /** Snappy shape to write: "raw" (librdkafka's, the default) or "xerial" (the Java client's). */
  readonly snappyFormat?: SnappyFormat;
  /** Compression level for gzip (0-9) and zstd (1-22); the library default when omitted. */
  readonly level?: number;
}

export function compress(codec: CompressionType, data: Buffer, options: CompressOptions = {}): Buffer {
  switch (codec) {
    case CompressionType.NONE:
      return data;
    case CompressionType.GZIP:
      return zlib.gzipSync(data, options.level === undefined ? {} : { level: options.level });
    case CompressionType.SNAPPY:
      return snappyCompress(data, options.snappyFormat ?? "raw");
    case CompressionType.LZ4:
      return lz4Compress(data);
    case CompressionType.ZSTD:
      return zlib.zstdCompressSync(
        data,
        options.level === undefined
          ? {}
          : { params: { [zlib.constants.ZSTD_c_compressionLevel]: options.level } },
      );
    default:
      throw new CodecError("UNSUPPORTED_COMPRESSION", `unknown compression codec ${String(codec)}`);
  }
}

function zlibDecompress(codec: "gzip" | "zstd", data: Buffer, maxOutputBytes: number): Buffer {
  // zlib refuses maxOutputLength 0 and above the platform's buffer limit.
  const options = { maxOutputLength: Math.min(Math.max(maxOutputBytes, 1), bufferConstants.MAX_LENGTH) };
  let out: Buffer;
  try {
    out = codec === "gzip" ? zlib.gunzipSync(data, options) : zlib.zstdDecompressSync(data, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
      throw new CodecError(
        "DECOMPRESSED_TOO_LARGE",
        `${codec} data decompresses to more than the allowed ${maxOutputBytes} bytes`,
      );
    }
    throw new CodecError("CORRUPT_RECORD", `invalid ${codec} data: ${(error as Error).message}`);
  }
  if (out.length > maxOutputBytes) {
    throw new CodecError(
      "DECOMPRESSED_TOO_LARGE",
      `${codec} data decompresses to more than the allowed ${maxOutputBytes} bytes`,
    );
  }
  return out;
}

/**
 * Decompresses `data` with `codec` (a raw attributes value 0-7 is accepted), producing at most
 * `maxOutputBytes` bytes. Throws only CodecError for bad input.
 */
export function decompress(codec: number, data: Buffer, maxOutputBytes: number): Buffer {
  if (!Number.isSafeInteger(maxOutputBytes) || maxOutputBytes < 0) {
    throw new RangeError(`maxOutputBytes must be a non-negative integer, got ${maxOutputBytes}`);
  }
  if (!isCompressionType(codec)) {
    throw new CodecError("UNSUPPORTED_COMPRESSION", `unknown compression codec ${codec}`);
  }
  switch (codec) {
    case CompressionType.NONE:
      if (data.length > maxOutputBytes) {
        throw new CodecError(
          "DECOMPRESSED_TOO_LARGE",
          `${data.length} bytes exceed the allowed ${maxOutputBytes} bytes`,
        );
      }
      return data;
    case CompressionType.GZIP:
      return zlibDecompress("gzip", data, maxOutputBytes);
    case CompressionType.ZSTD:
      return zlibDecompress("zstd", data, maxOutputBytes);
    case CompressionType.SNAPPY:
      return snappyDecompress(data, maxOutputBytes);
    case CompressionType.LZ4:
      return lz4Decompress(data, maxOutputBytes);
  }
}
