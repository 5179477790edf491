// The schema format every Kafka API is declared in: one declaration per API (request + response),
// fields carrying version ranges. It mirrors the information in Kafka's message definitions
// (validVersions, flexibleVersions, nullableVersions, taggedVersions, tag, default) in TypeScript,
// so that one in-memory type per message can be derived from the declaration itself (see
// ./value-types.ts) and the codec can be compiled from it (../codec/compile.ts).

/** Scalar wire types. `records` is a (nullable) bytes field holding record batches. */
export type ScalarType =
  | "bool"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "uint16"
  | "uint32"
  | "float64"
  | "uuid"
  | "string"
  | "bytes"
  | "records";

/** An array of scalars, e.g. `[]int32`. */
export type ScalarArrayType = `[]${Exclude<ScalarType, "records">}`;

/**
 * `"[]"` is an array of structs and `"{}"` a single struct; both carry `fields`.
 */
export type FieldType = ScalarType | ScalarArrayType | "[]" | "{}";

/**
 * A version range as Kafka writes it: `"0+"`, `"3-5"`, `"7"`, or `"none"`.
 */
export type VersionRange = string;

/** What a field identifies, as in Kafka's `entityType` (documentation, ACL and tooling hints). */
export type EntityType =
  | "topicName"
  | "brokerId"
  | "groupId"
  | "transactionalId"
  | "producerId"
  | "streamsGroupId"
  | "shareGroupId";

export type DefaultValue = boolean | number | bigint | string | null;

export interface FieldDecl {
  /** camelCase form of Kafka's field name (`PartitionIndex` → `partitionIndex`). */
  readonly name: string;
  readonly type: FieldType;
  /** Versions in which the field is present (in the body or, when tagged, as a tagged field). */
  readonly versions: VersionRange;
  /** Versions in which the field may be null (strings, bytes, records, arrays, structs). */
  readonly nullableVersions?: VersionRange;
  /** Versions in which the field is a tagged field; requires `tag`. */
  readonly taggedVersions?: VersionRange;
  readonly tag?: number;
  /**
   * Value used when the field is absent from a version, when an encoder input omits it, and to
   * decide whether a tagged field is written at all. Kafka's implicit defaults apply otherwise:
   * 0, false, "", empty bytes/array, the zero UUID, and null for a nullable struct.
   */
  readonly default?: DefaultValue;
  readonly entityType?: EntityType;
  /** Name of the struct type (`"[]"`, `"{}"`), as in Kafka's definitions; documentation only. */
  readonly struct?: string;
  readonly fields?: readonly FieldDecl[];
  readonly about?: string;
}

export interface MessageDecl {
  /** `ProduceRequest`, `ProduceResponse`, … */
  readonly name: string;
  readonly fields: readonly FieldDecl[];
}

export interface ApiDecl {
  /** Kafka's API name without suffix, e.g. `Produce`, `ListOffsets`. */
  readonly name: string;
  readonly apiKey: number;
  /** Versions defined for this API up to Kafka 4.x's newest (`"0-13"`); request and response share it. */
  readonly validVersions: VersionRange;
  /** Versions Kafka marks deprecated or removed from its broker (KIP-896), if any. */
  readonly deprecatedVersions?: VersionRange;
  readonly flexibleVersions: VersionRange;
  readonly request: MessageDecl;
  readonly response: MessageDecl;
}

/**
 * Identity helper that keeps a declaration's literal types (`const` type parameter), so value
 * types can be derived from it.
 */
export function defineApi<const A extends ApiDecl>(api: A): A {
  return api;
}
