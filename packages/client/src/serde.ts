// Serializers turn application keys and values into bytes and back. The type parameter flows from
// the serializer to the records: a producer built with `json<Order>()` takes `Order` values, a
// consumer built with it yields them.

export interface Serializer<T> {
  serialize(value: T, topic: string): Buffer | null;
}

export interface Deserializer<T> {
  deserialize(bytes: Buffer | null, topic: string): T;
}

export type Serde<T> = Serializer<T> & Deserializer<T>;

/** UTF-8 strings; null stays null. */
export const string: Serde<string | null> = {
  serialize: (value) => (value === null ? null : Buffer.from(value, "utf8")),
  deserialize: (bytes) => (bytes === null ? null : bytes.toString("utf8")),
};

/** Raw bytes, passed through. */
export const bytes: Serde<Buffer | null> = {
  serialize: (value) => value,
  deserialize: (value) => value,
};

/** JSON documents of type T (null ↔ a null value, e.g. a tombstone). */
export function json<T>(): Serde<T | null> {
  return {
    serialize: (value) => (value === null ? null : Buffer.from(JSON.stringify(value), "utf8")),
    deserialize: (value) => (value === null ? null : (JSON.parse(value.toString("utf8")) as T)),
  };
}
