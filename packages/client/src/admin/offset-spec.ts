// Which offset ListOffsets looks up: Kafka's special timestamps, or a time.

export type OffsetSpec = "earliest" | "latest" | "max-timestamp" | { readonly timestamp: number };

export function offsetSpecTimestamp(spec: OffsetSpec): bigint {
  if (spec === "earliest") return -2n;
  if (spec === "latest") return -1n;
  if (spec === "max-timestamp") return -3n;
  return BigInt(spec.timestamp);
}
