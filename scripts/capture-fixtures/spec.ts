// What a capture scenario asks a client to do, passed to the client process as JSON in the
// FX_SPEC environment variable. The same data goes into the fixture manifests as the records a
// Produce request must carry, so the expectations and the traffic come from one source.

export const codecs = ["none", "gzip", "snappy", "lz4", "zstd"] as const;
export type Codec = (typeof codecs)[number];

export interface ExpectedHeader {
  readonly key: string;
  /** UTF-8 text, or null for a null header value. */
  readonly value: string | null;
}

export interface ExpectedMessage {
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: readonly ExpectedHeader[];
}

export interface ProduceSpec {
  readonly topic: string;
  readonly codec: Codec;
  /** Use an idempotent producer (InitProducerId, producer id and sequence in the batch). */
  readonly idempotent?: boolean;
  readonly messages: readonly ExpectedMessage[];
}

export interface ScenarioSpec {
  readonly bootstrap: string;
  readonly clientId: string;
  readonly produce: readonly ProduceSpec[];
  /** Topic created through the admin API, when the client has one we drive. */
  readonly createTopic: string;
  readonly group: string;
  readonly consumeTopic: string;
  /** How many records the group consumer reads before committing and leaving. */
  readonly consumeCount: number;
}

/**
 * Five keyed messages `k<i>` → `v<i>-<codec>` padded with dots to 48 bytes; each carries
 * `h=<header(i)>`. The padding makes the batch compressible: librdkafka and kafka-python send a
 * batch uncompressed when compressing it does not make it smaller.
 */
export function messagesFor(codec: Codec, header: (i: number) => string): ExpectedMessage[] {
  return Array.from({ length: 5 }, (_, n) => ({
    key: `k${n + 1}`,
    value: `v${n + 1}-${codec}`.padEnd(48, "."),
    headers: [{ key: "h", value: header(n + 1) }],
  }));
}
