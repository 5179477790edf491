// @nagare/protocol: the sans-io Kafka wire protocol. Record batches live in the "./records" entry.

export { CodecError, type CodecErrorCode } from "./codec/codec-error.ts";
export { FrameReader, type FrameReaderOptions } from "./codec/frame-reader.ts";
export {
  type DecodedRequest,
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
} from "./codec/frames.ts";
export { FrameSplitter, frameChunks } from "./codec/framing.ts";
export {
  peekRequestHeader,
  type RequestHeader,
  type ResponseHeader,
  requestHeaderVersion,
  responseHeaderVersion,
} from "./codec/headers.ts";
export { type ApiCodec, apiCodec } from "./codec/message-codec.ts";
export { Reader } from "./codec/reader.ts";
export { inVersionRange, parseVersionRange, type VersionSpan } from "./codec/version-range.ts";
export { Writer } from "./codec/writer.ts";
export * from "./errors.ts";
export * from "./messages/index.ts";
export type * from "./schema/declaration.ts";
export { defineApi } from "./schema/declaration.ts";
export type * from "./schema/value-types.ts";
