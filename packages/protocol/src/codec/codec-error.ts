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
  | "INVALID_VALUE";

export class CodecError extends Error {
  readonly code: CodecErrorCode;

  constructor(code: CodecErrorCode, message: string) {
    super(message);
    this.name = "CodecError";
    this.code = code;
  }
}
