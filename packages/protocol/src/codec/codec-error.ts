// The one error type the codec throws. Decoders never throw anything else on bad input: callers
// (the broker's connection, the client) catch CodecError to close a connection or answer with an
// error code, and treat any other exception as a bug.

export type CodecErrorCode =
  /** The input ended before the structure did. */
  | "TRUNCATED"
  /** A length, count or value is impossible (negative size, oversized varint, bad UTF-8 length…). */
  | "MALFORMED"
  /** A version outside the declared range was asked for. */
  | "UNSUPPORTED_VERSION"
  /** An API key no declaration knows. */
  | "UNKNOWN_API"
  /** A frame announced a size above the configured maximum (or below zero). */
  | "FRAME_TOO_LARGE"
  /** A value cannot be written in the requested version (e.g. null where not nullable). */
  | "INVALID_VALUE"
  /** A record batch fails its CRC-32C, or its records/compressed payload are inconsistent. */
  | "CORRUPT_RECORD"
  /** A record batch names a compression codec we do not know (5–7) or cannot load. */
  | "UNSUPPORTED_COMPRESSION"
  /** A record batch with magic other than 2 (legacy v0/v1 message sets are not supported). */
  | "UNSUPPORTED_MAGIC"
  /** Decompressing a batch would exceed the caller's output bound (decompression bomb guard). */
  | "DECOMPRESSED_TOO_LARGE";

export class CodecError extends Error {
  readonly code: CodecErrorCode;

  constructor(code: CodecErrorCode, message: string) {
    super(message);
    this.name = "CodecError";
    this.code = code;
  }
}
