// Compiles a struct declaration, for one version, into a decoder and an encoder: the version
// questions (is the field present, nullable, tagged, compact?) are answered once here, so the
// functions that run per message are straight sequences of field reads and writes.
//
// Wire rules (Kafka protocol guide, KIP-482):
// - flexible versions use compact strings/bytes/arrays (unsigned varint length + 1, 0 = null) and
//   end every struct with a tagged-field section: count, then (tag, size, value) in ascending tag
//   order. Unknown tags are kept as raw bytes so a decoded message re-encodes byte-exact.
// - a tagged field is written only when it differs from its default.
// - a nullable struct is preceded by an int8: -1 null, 1 present.
// - fields absent from a version decode to their default and are ignored by the encoder.

import type { DefaultValue, FieldDecl, FieldType, ScalarType } from "../schema/declaration.ts";
import type { UnknownTaggedField } from "../schema/value-types.ts";
import { CodecError } from "./codec-error.ts";
import { Reader } from "./reader.ts";
import { inVersionRange } from "./version-range.ts";
import { Writer } from "./writer.ts";

export type Struct = Record<string, unknown> & { _unknownTaggedFields?: UnknownTaggedField[] };

export interface StructCodec {
  decode(reader: Reader): Struct;
  encode(writer: Writer, value: Struct): void;
  /** A fresh value with every field at its default. */
  defaults(): Struct;
}

type ValueReader = (reader: Reader) => unknown;
type ValueWriter = (writer: Writer, value: unknown, path: string) => void;

interface CompiledField {
  readonly name: string;
  readonly read: ValueReader;
  readonly write: ValueWriter;
  readonly defaultValue: () => unknown;
  readonly isDefault: (value: unknown) => boolean;
  readonly tag: number;
}

const emptyBuffer = Buffer.alloc(0);
const zeroUuid = "00000000-0000-0000-0000-000000000000";
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function compileStruct(fields: readonly FieldDecl[], version: number, flexible: boolean): StructCodec {
  const body: CompiledField[] = [];
  const tagged: CompiledField[] = [];
  const absent: CompiledField[] = [];
  for (const field of fields) {
    const compiled = compileField(field, version, flexible);
    if (!inVersionRange(field.versions, version)) absent.push(compiled);
    else if (flexible && inVersionRange(field.taggedVersions, version)) tagged.push(compiled);
    else body.push(compiled);
  }
  tagged.sort((a, b) => a.tag - b.tag);
  const taggedByTag = new Map(tagged.map((f) => [f.tag, f]));
  const all = [...body, ...tagged, ...absent];

  const defaults = (): Struct => {
    const value: Struct = {};
    for (const field of all) value[field.name] = field.defaultValue();
    return value;
  };

  const decode = (reader: Reader): Struct => {
    const value: Struct = {};
    for (const field of body) value[field.name] = field.read(reader);
    for (const field of tagged) value[field.name] = field.defaultValue();
    for (const field of absent) value[field.name] = field.defaultValue();
    if (flexible) readTaggedSection(reader, value, taggedByTag);
    return value;
  };

  const encode = (writer: Writer, value: Struct): void => {
    for (const field of body) {
      const v = value[field.name];
      field.write(writer, v === undefined ? field.defaultValue() : v, field.name);
    }
    if (flexible) writeTaggedSection(writer, value, tagged);
  };

  return { decode, encode, defaults };
}

function readTaggedSection(reader: Reader, value: Struct, byTag: Map<number, CompiledField>): void {
  const count = reader.unsignedVarint();
  reader.checkCount(count, 2);
  let previous = -1;
  for (let i = 0; i < count; i++) {
    const tag = reader.unsignedVarint();
    const size = reader.unsignedVarint();
    if (tag <= previous)
      throw new CodecError("MALFORMED", `tagged fields out of order (tag ${tag} after ${previous})`);
    previous = tag;
    const data = reader.take(size);
    const field = byTag.get(tag);
    if (field) {
      const inner = new Reader(data);
      value[field.name] = field.read(inner);
      if (inner.remaining !== 0) throw new CodecError("MALFORMED", `tagged field ${tag} has trailing bytes`);
    } else {
      value._unknownTaggedFields ??= [];
      value._unknownTaggedFields.push({ tag, data });
    }
  }
}

function writeTaggedSection(writer: Writer, value: Struct, tagged: readonly CompiledField[]): void {
  const unknown = value._unknownTaggedFields;
  let present: CompiledField[] | undefined;
  for (const field of tagged) {
    const v = value[field.name];
    if (v === undefined || field.isDefault(v)) continue;
    present ??= [];
    present.push(field);
  }
  if (present === undefined && (unknown === undefined || unknown.length === 0)) {
    writer.unsignedVarint(0);
    return;
  }
  const entries: { tag: number; data: Buffer }[] = [];
  for (const field of present ?? []) {
    const inner = new Writer();
    field.write(inner, value[field.name], field.name);
    entries.push({ tag: field.tag, data: inner.toBuffer() });
  }
  for (const field of unknown ?? []) entries.push({ tag: field.tag, data: field.data });
  if (entries.length > 1) entries.sort((a, b) => a.tag - b.tag);
  writer.unsignedVarint(entries.length);
  for (const entry of entries) {
    writer.unsignedVarint(entry.tag);
    writer.unsignedVarint(entry.data.length);
    writer.bytes(entry.data);
  }
}

function compileField(field: FieldDecl, version: number, flexible: boolean): CompiledField {
  const nullable = inVersionRange(field.nullableVersions, version);
  const struct =
    field.type === "[]" || field.type === "{}"
      ? compileStruct(field.fields ?? [], version, flexible)
      : undefined;
  const defaultValue = defaultFactory(field, struct);
  const { read, write } = compileType(field.type, struct, flexible, nullable);
  // Compared against, never handed out, so one instance serves every check.
  const comparisonDefault = defaultValue();
  const isDefault = (value: unknown): boolean => isDeepEqual(value, comparisonDefault);
  return { name: field.name, read, write, defaultValue, isDefault, tag: field.tag ?? -1 };
}

function defaultFactory(field: FieldDecl, struct: StructCodec | undefined): () => unknown {
  const declared: DefaultValue | undefined = field.default;
  const nullableAnywhere = field.nullableVersions !== undefined && field.nullableVersions !== "none";
  if (declared === null) return () => null;
  switch (field.type) {
    case "{}":
      return () => (struct as StructCodec).defaults();
    case "records":
      return () => (nullableAnywhere ? null : emptyBuffer);
    case "bytes":
      return () => emptyBuffer;
    case "int64": {
      const value = declared === undefined ? 0n : BigInt(declared as bigint | number | string);
      return () => value;
    }
    case "bool": {
      const value = declared === undefined ? false : declared === true || declared === "true";
      return () => value;
    }
    case "string": {
      const value = declared === undefined ? "" : String(declared);
      return () => value;
    }
    case "uuid": {
      const value = declared === undefined ? zeroUuid : String(declared);
      return () => value;
    }
    default: {
      if (field.type.startsWith("[]")) return () => [];
      const value = declared === undefined ? 0 : Number(declared);
      return () => value;
    }
  }
}

/** Structural equality of decoded values, used to decide whether a tagged field is at its default. */
function isDeepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b))
    return Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => isDeepEqual(item, b[i]));
  }
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  const left = a as Struct;
  const right = b as Struct;
  if ((left._unknownTaggedFields?.length ?? 0) > 0) return false;
  return Object.keys(right).every(
    (key) => key === "_unknownTaggedFields" || isDeepEqual(left[key], right[key]),
  );
}

interface TypeCodec {
  read: ValueReader;
  write: ValueWriter;
  /** Smallest encoding of one value, used to bound array counts before allocating. */
  minBytes: number;
}

function compileType(
  type: FieldType,
  struct: StructCodec | undefined,
  flexible: boolean,
  nullable: boolean,
): TypeCodec {
  if (type === "{}") return structType(struct as StructCodec, flexible, nullable);
  if (type === "[]") return arrayType(structType(struct as StructCodec, flexible, false), flexible, nullable);
  if (type.startsWith("[]"))
    return arrayType(scalarType(type.slice(2) as ScalarType, flexible, false), flexible, nullable);
  return scalarType(type as ScalarType, flexible, nullable);
}

function structType(codec: StructCodec, flexible: boolean, nullable: boolean): TypeCodec {
  if (!nullable) {
    return {
      read: (r) => codec.decode(r),
      write: (w, v, path) => {
        if (v === null || typeof v !== "object") throw invalid(path, "a struct");
        codec.encode(w, v as Struct);
      },
      minBytes: flexible ? 1 : 0,
    };
  }
  return {
    read: (r) => (r.int8() < 0 ? null : codec.decode(r)),
    write: (w, v, path) => {
      if (v === null) return w.int8(-1);
      if (typeof v !== "object") throw invalid(path, "a struct or null");
      w.int8(1);
      codec.encode(w, v as Struct);
    },
    minBytes: 1,
  };
}

function arrayType(element: TypeCodec, flexible: boolean, nullable: boolean): TypeCodec {
  const readCount = (r: Reader): number => (flexible ? r.unsignedVarint() - 1 : r.int32());
  const read: ValueReader = (r) => {
    const count = readCount(r);
    if (count < 0) {
      if (count === -1 && nullable) return null;
      throw new CodecError("MALFORMED", `array length ${count} is not allowed here`);
    }
    r.checkCount(count, element.minBytes);
    const out = new Array<unknown>(count);
    for (let i = 0; i < count; i++) out[i] = element.read(r);
    return out;
  };
  const write: ValueWriter = (w, v, path) => {
    if (v === null) {
      if (!nullable) throw invalid(path, "an array (null is not allowed in this version)");
      return flexible ? w.unsignedVarint(0) : w.int32(-1);
    }
    if (!Array.isArray(v)) throw invalid(path, "an array");
    if (flexible) w.unsignedVarint(v.length + 1);
    else w.int32(v.length);
    for (const item of v) element.write(w, item, path);
  };
  return { read, write, minBytes: flexible ? 1 : 4 };
}

function scalarType(type: ScalarType, flexible: boolean, nullable: boolean): TypeCodec {
  switch (type) {
    case "bool":
      return {
        read: (r) => r.bool(),
        write: (w, v, p) => w.bool(expect(v, "boolean", p) as boolean),
        minBytes: 1,
      };
    case "int8":
      return { read: (r) => r.int8(), write: (w, v, p) => w.int8(int(v, p, -128, 127)), minBytes: 1 };
    case "int16":
      return { read: (r) => r.int16(), write: (w, v, p) => w.int16(int(v, p, -32768, 32767)), minBytes: 2 };
    case "uint16":
      return { read: (r) => r.uint16(), write: (w, v, p) => w.uint16(int(v, p, 0, 65535)), minBytes: 2 };
    case "int32":
      return {
        read: (r) => r.int32(),
        write: (w, v, p) => w.int32(int(v, p, -2147483648, 2147483647)),
        minBytes: 4,
      };
    case "uint32":
      return { read: (r) => r.uint32(), write: (w, v, p) => w.uint32(int(v, p, 0, 4294967295)), minBytes: 4 };
    case "int64":
      return {
        read: (r) => r.int64(),
        write: (w, v, p) => w.int64(BigInt.asIntN(64, expect(v, "bigint", p) as bigint)),
        minBytes: 8,
      };
    case "float64":
      return {
        read: (r) => r.float64(),
        write: (w, v, p) => w.float64(expect(v, "number", p) as number),
        minBytes: 8,
      };
    case "uuid":
      return { read: (r) => r.uuid(), write: (w, v, p) => writeUuid(w, v, p), minBytes: 16 };
    case "string":
      return stringType(flexible, nullable);
    case "bytes":
    case "records":
      return bytesType(flexible, nullable);
  }
}

function stringType(flexible: boolean, nullable: boolean): TypeCodec {
  return {
    read: (r) => {
      const length = flexible ? r.unsignedVarint() - 1 : r.int16();
      if (length < 0) {
        if (length === -1 && nullable) return null;
        throw new CodecError("MALFORMED", `string length ${length} is not allowed here`);
      }
      return r.utf8(length);
    },
    write: (w, v, path) => {
      if (v === null) {
        if (!nullable) throw invalid(path, "a string (null is not allowed in this version)");
        return flexible ? w.unsignedVarint(0) : w.int16(-1);
      }
      if (typeof v !== "string") throw invalid(path, "a string");
      const length = Buffer.byteLength(v, "utf8");
      if (flexible) w.unsignedVarint(length + 1);
      else {
        if (length > 32767) throw invalid(path, "a string of at most 32767 bytes");
        w.int16(length);
      }
      w.utf8(v, length);
    },
    minBytes: flexible ? 1 : 2,
  };
}

const emptyBytes = Buffer.alloc(0);

function bytesType(flexible: boolean, nullable: boolean): TypeCodec {
  return {
    read: (r) => {
      const length = flexible ? r.unsignedVarint() - 1 : r.int32();
      if (length < 0) {
        if (length === -1) {
          if (nullable) return null;
          // Null where the schema has no null: read as empty, as librdkafka does (its mock cluster
          // sends a null SyncGroup assignment with an error code); nothing is lost.
          return emptyBytes;
        }
        throw new CodecError("MALFORMED", `bytes length ${length} is not allowed here`);
      }
      return r.take(length);
    },
    write: (w, v, path) => {
      if (v === null) {
        if (!nullable) throw invalid(path, "bytes (null is not allowed in this version)");
        return flexible ? w.unsignedVarint(0) : w.int32(-1);
      }
      if (!Buffer.isBuffer(v)) throw invalid(path, "a Buffer");
      if (flexible) w.unsignedVarint(v.length + 1);
      else w.int32(v.length);
      w.bytes(v);
    },
    minBytes: flexible ? 1 : 4,
  };
}

function writeUuid(w: Writer, v: unknown, path: string): void {
  if (typeof v !== "string" || !uuidPattern.test(v)) throw invalid(path, "a UUID string");
  w.bytes(Buffer.from(v.replaceAll("-", ""), "hex"));
}

function expect(v: unknown, type: "boolean" | "bigint" | "number", path: string): unknown {
  if (typeof v !== type) throw invalid(path, `a ${type}`);
  return v;
}

function int(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max)
    throw invalid(path, `an integer in [${min}, ${max}]`);
  return v;
}

function invalid(path: string, expected: string): CodecError {
  return new CodecError("INVALID_VALUE", `field ${path}: expected ${expected}`);
}
