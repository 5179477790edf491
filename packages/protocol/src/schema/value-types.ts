// Types derived from declarations: one in-memory type per message for every version.
// `MessageValue` is what a decoder returns (every field present, absent-in-version fields at their
// defaults); `MessageInput` is what an encoder accepts (any field may be omitted and then takes its
// default), so handlers and clients write only the fields they mean.

import type { ApiDecl, FieldDecl, ScalarType } from "./declaration.ts";

/** A tagged field the declaration does not know; kept so a decoded message re-encodes byte-exact. */
export interface UnknownTaggedField {
  readonly tag: number;
  readonly data: Buffer;
}

export interface TaggedFieldsCarrier {
  _unknownTaggedFields?: UnknownTaggedField[];
}

/** UUIDs are canonical lowercase text, `00000000-0000-0000-0000-000000000000` for the zero UUID. */
export type Uuid = string;

export type ScalarValue<T> = T extends "bool"
  ? boolean
  : T extends "int8" | "int16" | "int32" | "uint16" | "uint32" | "float64"
    ? number
    : T extends "int64"
      ? bigint
      : T extends "uuid"
        ? Uuid
        : T extends "string"
          ? string
          : T extends "bytes" | "records"
            ? Buffer
            : never;

type Nullable<F, V> = F extends { readonly nullableVersions: string } ? V | null : V;

type Fields<F> = F extends { readonly fields: infer S extends readonly FieldDecl[] } ? S : readonly [];

export type FieldValue<F extends FieldDecl> = Nullable<
  F,
  F["type"] extends "[]"
    ? StructValue<Fields<F>>[]
    : F["type"] extends "{}"
      ? StructValue<Fields<F>>
      : F["type"] extends `[]${infer E extends ScalarType}`
        ? ScalarValue<E>[]
        : ScalarValue<F["type"]>
>;

export type StructValue<S extends readonly FieldDecl[]> = {
  [F in S[number] as F["name"]]: FieldValue<F>;
} & TaggedFieldsCarrier;

export type FieldInput<F extends FieldDecl> = Nullable<
  F,
  F["type"] extends "[]"
    ? StructInput<Fields<F>>[]
    : F["type"] extends "{}"
      ? StructInput<Fields<F>>
      : F["type"] extends `[]${infer E extends ScalarType}`
        ? ScalarValue<E>[]
        : ScalarValue<F["type"]>
>;

export type StructInput<S extends readonly FieldDecl[]> = {
  [F in S[number] as F["name"]]?: FieldInput<F>;
} & TaggedFieldsCarrier;

export type RequestValue<A extends ApiDecl> = StructValue<A["request"]["fields"]>;
export type ResponseValue<A extends ApiDecl> = StructValue<A["response"]["fields"]>;
export type RequestInput<A extends ApiDecl> = StructInput<A["request"]["fields"]>;
export type ResponseInput<A extends ApiDecl> = StructInput<A["response"]["fields"]>;
