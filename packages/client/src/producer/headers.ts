// Record headers as the application gives them (a list, which may repeat a key, or an object of
// string/Buffer values) turned into the batch encoder's shape: UTF-8 keys, Buffer-or-null values.

import type { RecordHeader as BatchHeader } from "@nagare/protocol/records";
import type { RecordHeader } from "../types.ts";

export type HeadersInput = readonly RecordHeader[] | Readonly<Record<string, string | Buffer>>;

export function toBatchHeaders(headers: HeadersInput | undefined): BatchHeader[] {
  if (headers === undefined) return [];
  if (Array.isArray(headers))
    return (headers as readonly RecordHeader[]).map((h) => ({ key: h.key, value: h.value }));
  return Object.entries(headers as Readonly<Record<string, string | Buffer>>).map(([key, value]) => ({
    key,
    value: typeof value === "string" ? Buffer.from(value, "utf8") : value,
  }));
}

/** Bytes the headers add to a record (Kafka's estimate: lengths as varints, ~5 bytes each at most). */
export function headersSize(headers: readonly BatchHeader[]): number {
  let size = 0;
  for (const h of headers) size += 10 + Buffer.byteLength(h.key, "utf8") + (h.value?.length ?? 0);
  return size;
}
