// Error codes in a response value, for the errors-per-API counter: every field named `errorCode`
// at any depth (top level, per topic, per partition …), as Kafka's request metrics count each
// error a response carries (RequestChannel's errorCounts). NONE is not counted.

/** Counts the non-zero `errorCode` fields of `value` by code. Buffers (record sets) are not walked. */
export function countErrorCodes(value: unknown, into: Map<number, number> = new Map()): Map<number, number> {
  // Response values are finite trees built by handlers: the walk visits each node once.
  if (Array.isArray(value)) {
    for (const item of value) countErrorCodes(item, into);
    return into;
  }
  if (typeof value !== "object" || value === null || Buffer.isBuffer(value)) return into;
  for (const [key, field] of Object.entries(value)) {
    if (key === "errorCode") {
      if (typeof field === "number" && field !== 0) into.set(field, (into.get(field) ?? 0) + 1);
    } else if (typeof field === "object" && field !== null) {
      countErrorCodes(field, into);
    }
  }
  return into;
}
