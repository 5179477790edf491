// Random message values that a given version can carry, for round-trip property tests. Fields
// absent from the version hold their default, so decode(encode(value)) must equal value exactly.

import { apiCodec } from "../../src/codec/message-codec.ts";
import { inVersionRange } from "../../src/codec/version-range.ts";
import type { ApiDecl, FieldDecl, ScalarType } from "../../src/schema/declaration.ts";
import type { RequestInput, ResponseInput } from "../../src/schema/value-types.ts";

export type Random = () => number;

/** mulberry32: small, fast, seedable, good enough for test data. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function int(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

function randomBytes(random: Random, max: number): Buffer {
  const out = Buffer.alloc(int(random, 0, max));
  for (let i = 0; i < out.length; i++) out[i] = int(random, 0, 255);
  return out;
}

const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-流れé";

function randomString(random: Random): string {
  let s = "";
  const length = int(random, 0, 12);
  for (let i = 0; i < length; i++) s += alphabet[int(random, 0, alphabet.length - 1)];
  return s;
}

function randomScalar(random: Random, type: ScalarType): unknown {
  switch (type) {
    case "bool":
      return random() < 0.5;
    case "int8":
      return int(random, -128, 127);
    case "int16":
      return int(random, -32768, 32767);
    case "uint16":
      return int(random, 0, 65535);
    case "int32":
      return int(random, -2147483648, 2147483647);
    case "uint32":
      return int(random, 0, 4294967295);
    case "int64":
      return BigInt.asIntN(
        64,
        (BigInt(int(random, 0, 2 ** 32 - 1)) << 32n) | BigInt(int(random, 0, 2 ** 32 - 1)),
      );
    case "float64":
      return (random() - 0.5) * 1e6;
    case "uuid":
      return [8, 4, 4, 4, 12]
        .map((n) => Array.from({ length: n }, () => int(random, 0, 15).toString(16)).join(""))
        .join("-");
    case "string":
      return randomString(random);
    case "bytes":
    case "records":
      return randomBytes(random, 40);
  }
}

export function randomStruct(
  random: Random,
  fields: readonly FieldDecl[],
  version: number,
  defaults: Record<string, unknown>,
  depth = 0,
): Record<string, unknown> {
  const value: Record<string, unknown> = { ...defaults };
  for (const field of fields) {
    if (!inVersionRange(field.versions, version)) continue;
    if (inVersionRange(field.taggedVersions, version) && random() < 0.3) continue; // leave at default
    if (inVersionRange(field.nullableVersions, version) && random() < 0.2) {
      value[field.name] = null;
      continue;
    }
    value[field.name] = randomField(random, field, version, defaults[field.name], depth);
  }
  return value;
}

function randomField(
  random: Random,
  field: FieldDecl,
  version: number,
  fallback: unknown,
  depth: number,
): unknown {
  if (field.type === "{}") {
    const inner = (fallback ?? {}) as Record<string, unknown>;
    return randomStruct(random, field.fields ?? [], version, { ...inner }, depth + 1);
  }
  if (field.type === "[]") {
    const count = depth > 3 ? 0 : int(random, 0, 3);
    return Array.from({ length: count }, () =>
      randomStruct(random, field.fields ?? [], version, {}, depth + 1),
    );
  }
  if (field.type.startsWith("[]")) {
    const count = int(random, 0, 4);
    return Array.from({ length: count }, () => randomScalar(random, field.type.slice(2) as ScalarType));
  }
  return randomScalar(random, field.type as ScalarType);
}

/** A random request or response value for `version`, with defaults filled in as a decoder would. */
/** Untyped on purpose: it serves every API; the codec checks values at run time. */
export type AnyMessage = RequestInput<ApiDecl> & ResponseInput<ApiDecl>;

export function randomMessage(
  random: Random,
  api: ApiDecl,
  side: "request" | "response",
  version: number,
): AnyMessage {
  const codec = apiCodec(api);
  const defaults = (
    side === "request" ? codec.requestDefaults(version) : codec.responseDefaults(version)
  ) as Record<string, unknown>;
  const value = randomStruct(random, api[side].fields, version, defaults);
  return fillArrayElementDefaults(api[side].fields, version, value) as AnyMessage;
}

/** Array elements are generated without defaults; give their absent fields the decoder's defaults. */
function fillArrayElementDefaults(
  fields: readonly FieldDecl[],
  version: number,
  value: Record<string, unknown>,
): Record<string, unknown> {
  for (const field of fields) {
    const v = value[field.name];
    if (field.type === "[]" && Array.isArray(v)) {
      value[field.name] = v.map((element: Record<string, unknown>) =>
        fillArrayElementDefaults(field.fields ?? [], version, withElementDefaults(field, version, element)),
      );
    } else if (field.type === "{}" && v !== null && typeof v === "object") {
      fillArrayElementDefaults(field.fields ?? [], version, v as Record<string, unknown>);
    }
  }
  return value;
}

function withElementDefaults(
  field: FieldDecl,
  version: number,
  element: Record<string, unknown>,
): Record<string, unknown> {
  const holder = apiCodec({
    name: "ElementDefaults",
    apiKey: -1,
    validVersions: `${version}`,
    flexibleVersions: "none",
    request: { name: "ElementDefaultsRequest", fields: field.fields ?? [] },
    response: { name: "ElementDefaultsResponse", fields: [] },
  });
  return { ...(holder.requestDefaults(version) as Record<string, unknown>), ...element };
}
