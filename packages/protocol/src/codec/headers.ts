// Request and response headers.
// - Request header v1: api key, api version, correlation id, client id (classic nullable string).
//   v2 (flexible request versions) adds a tagged-field section after the client id, which stays a
//   classic int16-length string (KIP-482). v0 (no client id) is only ControlledShutdown v0.
// - Response header v0: correlation id; v1 (flexible versions) adds a tagged-field section, except
//   for ApiVersions, whose response header is always v0 so that a client can read it before it
//   knows which versions the broker supports (KIP-511).

import type { UnknownTaggedField } from "../schema/value-types.ts";
import { CodecError } from "./codec-error.ts";
import type { Reader } from "./reader.ts";
import type { Writer } from "./writer.ts";

const apiVersionsKey = 18;

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
  _unknownTaggedFields?: UnknownTaggedField[];
}

export interface ResponseHeader {
  correlationId: number;
  _unknownTaggedFields?: UnknownTaggedField[];
}

export function requestHeaderVersion(flexible: boolean): 1 | 2 {
  return flexible ? 2 : 1;
}

export function responseHeaderVersion(apiKey: number, flexible: boolean): 0 | 1 {
  return flexible && apiKey !== apiVersionsKey ? 1 : 0;
}

/** Reads api key, version and correlation id, which sit at fixed offsets in every request header. */
export function peekRequestHeader(frame: Buffer): {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
} {
  if (frame.length < 8)
    throw new CodecError("TRUNCATED", `a request header needs 8 bytes, got ${frame.length}`);
  return {
    apiKey: frame.readInt16BE(0),
    apiVersion: frame.readInt16BE(2),
    correlationId: frame.readInt32BE(4),
  };
}

export function readRequestHeader(reader: Reader, headerVersion: 1 | 2): RequestHeader {
  const apiKey = reader.int16();
  const apiVersion = reader.int16();
  const correlationId = reader.int32();
  const length = reader.int16();
  if (length < -1) throw new CodecError("MALFORMED", `client id length ${length}`);
  const clientId = length === -1 ? null : reader.utf8(length);
  const header: RequestHeader = { apiKey, apiVersion, correlationId, clientId };
  if (headerVersion === 2) {
    const unknown = readUnknownTaggedFields(reader);
    if (unknown.length > 0) header._unknownTaggedFields = unknown;
  }
  return header;
}

export function writeRequestHeader(writer: Writer, header: RequestHeader, headerVersion: 1 | 2): void {
  writer.int16(header.apiKey);
  writer.int16(header.apiVersion);
  writer.int32(header.correlationId);
  if (header.clientId === null) writer.int16(-1);
  else {
    const length = Buffer.byteLength(header.clientId, "utf8");
    writer.int16(length);
    writer.utf8(header.clientId, length);
  }
  if (headerVersion === 2) writeUnknownTaggedFields(writer, header._unknownTaggedFields ?? []);
}

export function readResponseHeader(reader: Reader, headerVersion: 0 | 1): ResponseHeader {
  const header: ResponseHeader = { correlationId: reader.int32() };
  if (headerVersion === 1) {
    const unknown = readUnknownTaggedFields(reader);
    if (unknown.length > 0) header._unknownTaggedFields = unknown;
  }
  return header;
}

export function writeResponseHeader(writer: Writer, header: ResponseHeader, headerVersion: 0 | 1): void {
  writer.int32(header.correlationId);
  if (headerVersion === 1) writeUnknownTaggedFields(writer, header._unknownTaggedFields ?? []);
}

function readUnknownTaggedFields(reader: Reader): UnknownTaggedField[] {
  const count = reader.unsignedVarint();
  reader.checkCount(count, 2);
  const fields: UnknownTaggedField[] = [];
  for (let i = 0; i < count; i++) {
    const tag = reader.unsignedVarint();
    const size = reader.unsignedVarint();
    fields.push({ tag, data: reader.take(size) });
  }
  return fields;
}

function writeUnknownTaggedFields(writer: Writer, fields: readonly UnknownTaggedField[]): void {
  writer.unsignedVarint(fields.length);
  for (const field of fields) {
    writer.unsignedVarint(field.tag);
    writer.unsignedVarint(field.data.length);
    writer.bytes(field.data);
  }
}
