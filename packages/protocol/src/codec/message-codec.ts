// Per-API codecs: the request and response structs of one API compiled lazily, once per version,
// and cached. Versions outside the declared range are a typed error.

import type { ApiDecl } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";
import { CodecError } from "./codec-error.ts";
import { compileStruct, type Struct, type StructCodec } from "./compile.ts";
import { Reader } from "./reader.ts";
import { inVersionRange, parseVersionRange } from "./version-range.ts";
import type { Writer } from "./writer.ts";

export interface ApiCodec<A extends ApiDecl> {
  readonly api: A;
  readonly minVersion: number;
  readonly maxVersion: number;
  isFlexible(version: number): boolean;
  decodeRequest(reader: Reader, version: number): RequestValue<A>;
  encodeRequest(writer: Writer, version: number, value: RequestInput<A>): void;
  decodeResponse(reader: Reader, version: number): ResponseValue<A>;
  encodeResponse(writer: Writer, version: number, value: ResponseInput<A>): void;
  /** A request value with every field at its default, for the given version's view. */
  requestDefaults(version: number): RequestValue<A>;
  responseDefaults(version: number): ResponseValue<A>;
}

const codecs = new WeakMap<ApiDecl, ApiCodec<ApiDecl>>();

export function apiCodec<A extends ApiDecl>(api: A): ApiCodec<A> {
  const cached = codecs.get(api);
  if (cached) return cached as unknown as ApiCodec<A>;
  const created = createApiCodec(api);
  codecs.set(api, created as unknown as ApiCodec<ApiDecl>);
  return created;
}

function createApiCodec<A extends ApiDecl>(api: A): ApiCodec<A> {
  const { min, max } = parseVersionRange(api.validVersions);
  const requests: (StructCodec | undefined)[] = [];
  const responses: (StructCodec | undefined)[] = [];
  const isFlexible = (version: number): boolean => inVersionRange(api.flexibleVersions, version);

  const struct = (side: "request" | "response", version: number): StructCodec => {
    if (!Number.isInteger(version) || version < min || version > max)
      throw new CodecError("UNSUPPORTED_VERSION", `${api.name} v${version} is outside ${api.validVersions}`);
    const cache = side === "request" ? requests : responses;
    let codec = cache[version];
    if (!codec) {
      codec = compileStruct(api[side].fields, version, isFlexible(version));
      cache[version] = codec;
    }
    return codec;
  };

  return {
    api,
    minVersion: min,
    maxVersion: max,
    isFlexible,
    decodeRequest: (reader, version) => struct("request", version).decode(reader) as RequestValue<A>,
    encodeRequest: (writer, version, value) => struct("request", version).encode(writer, value as Struct),
    decodeResponse: (reader, version) => struct("response", version).decode(reader) as ResponseValue<A>,
    encodeResponse: (writer, version, value) => struct("response", version).encode(writer, value as Struct),
    requestDefaults: (version) => struct("request", version).defaults() as RequestValue<A>,
    responseDefaults: (version) => struct("response", version).defaults() as ResponseValue<A>,
  };
}

/** Decodes a whole buffer as one message body; trailing bytes are an error. */
export function decodeWhole<T>(buf: Buffer, decode: (reader: Reader) => T): T {
  const reader = new Reader(buf);
  const value = decode(reader);
  if (reader.remaining !== 0)
    throw new CodecError("MALFORMED", `${reader.remaining} unexpected trailing bytes`);
  return value;
}
