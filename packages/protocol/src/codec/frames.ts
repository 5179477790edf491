// Whole requests and responses: header + body, framed with the int32 size prefix. The header
// versions follow from the API's flexible versions (see headers.ts).

import type { ApiDecl } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";
import { CodecError } from "./codec-error.ts";
import { frameChunks } from "./framing.ts";
import {
  peekRequestHeader,
  type RequestHeader,
  type ResponseHeader,
  readRequestHeader,
  readResponseHeader,
  requestHeaderVersion,
  responseHeaderVersion,
  writeRequestHeader,
  writeResponseHeader,
} from "./headers.ts";
import { apiCodec } from "./message-codec.ts";
import { Reader } from "./reader.ts";
import { Writer } from "./writer.ts";

export interface DecodedRequest<A extends ApiDecl = ApiDecl> {
  readonly api: A;
  readonly header: RequestHeader;
  readonly body: RequestValue<A>;
}

/** Encodes a request (header + body) as framed chunks ready for the socket. */
export function encodeRequest<A extends ApiDecl>(
  api: A,
  header: { apiVersion: number; correlationId: number; clientId: string | null },
  body: RequestInput<A>,
): Buffer[] {
  const codec = apiCodec(api);
  const writer = new Writer();
  const flexible = codec.isFlexible(header.apiVersion);
  writeRequestHeader(writer, { apiKey: api.apiKey, ...header }, requestHeaderVersion(flexible));
  codec.encodeRequest(writer, header.apiVersion, body);
  return frameChunks(writer.toChunks());
}

/**
 * Decodes a request frame (without its size prefix). `lookup` maps an api key to its declaration;
 * an unknown key or a version outside the declared range throws CodecError (UNKNOWN_API /
 * UNSUPPORTED_VERSION) before the body is read — use `peekRequestHeader` to answer it.
 */
export function decodeRequest(
  frame: Buffer,
  lookup: (apiKey: number) => ApiDecl | undefined,
): DecodedRequest {
  const { apiKey, apiVersion } = peekRequestHeader(frame);
  const api = lookup(apiKey);
  if (!api) throw new CodecError("UNKNOWN_API", `unknown api key ${apiKey}`);
  const codec = apiCodec(api);
  if (apiVersion < codec.minVersion || apiVersion > codec.maxVersion)
    throw new CodecError("UNSUPPORTED_VERSION", `${api.name} v${apiVersion} is outside ${api.validVersions}`);
  const reader = new Reader(frame);
  const header = readRequestHeader(reader, requestHeaderVersion(codec.isFlexible(apiVersion)));
  const body = codec.decodeRequest(reader, apiVersion);
  if (reader.remaining !== 0)
    throw new CodecError(
      "MALFORMED",
      `${api.name} v${apiVersion} request has ${reader.remaining} trailing bytes`,
    );
  return { api, header, body };
}

/** Encodes a response (header + body) as framed chunks ready for the socket. */
export function encodeResponse<A extends ApiDecl>(
  api: A,
  apiVersion: number,
  header: ResponseHeader,
  body: ResponseInput<A>,
): Buffer[] {
  const codec = apiCodec(api);
  const writer = new Writer();
  writeResponseHeader(writer, header, responseHeaderVersion(api.apiKey, codec.isFlexible(apiVersion)));
  codec.encodeResponse(writer, apiVersion, body);
  return frameChunks(writer.toChunks());
}

/**
 * Decodes a response frame (without its size prefix) for the request version that was sent.
 * Trailing bytes are an error unless `allowTrailingBytes` (a client talking to other broker
 * implementations: Java clients ignore them too, and e.g. librdkafka's mock cluster writes
 * ListOffsets' leader epoch as 8 bytes).
 */
export function decodeResponse<A extends ApiDecl>(
  api: A,
  apiVersion: number,
  frame: Buffer,
  options: { readonly allowTrailingBytes?: boolean } = {},
): { header: ResponseHeader; body: ResponseValue<A> } {
  const codec = apiCodec(api);
  const reader = new Reader(frame);
  const header = readResponseHeader(reader, responseHeaderVersion(api.apiKey, codec.isFlexible(apiVersion)));
  const body = codec.decodeResponse(reader, apiVersion);
  if (reader.remaining !== 0 && options.allowTrailingBytes !== true)
    throw new CodecError(
      "MALFORMED",
      `${api.name} v${apiVersion} response has ${reader.remaining} trailing bytes`,
    );
  return { header, body };
}
