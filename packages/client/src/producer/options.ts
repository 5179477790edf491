// The producer's options: Kafka's producer configs in camelCase with Kafka's defaults, checked
// once. Idempotence follows Kafka 3.x: on by default, silently off when the defaults conflict with
// other settings (acks 0/1, more than 5 requests in flight, retries 0), an error when asked for
// explicitly with such settings, and required by a transactional id.

import { type CompressionType, compressionFromName } from "@nagare/protocol/records";
import type { Cluster } from "../cluster/cluster.ts";
import { KafkaClientError } from "../errors.ts";
import type { Serializer } from "../serde.ts";
import type { Partitioner } from "./partitioner.ts";

export type CompressionName = "none" | "gzip" | "snappy" | "lz4" | "zstd";
export type Acks = 0 | 1 | -1 | "all";

export interface ProducerOptions<K, V> {
  /** `host:port` list (or `cluster`). */
  readonly brokers?: readonly string[];
  /** A cluster connection to share (not closed by the producer). */
  readonly cluster?: Cluster;
  readonly clientId?: string;
  /** Default: UTF-8 strings. */
  readonly keySerializer?: Serializer<K>;
  readonly valueSerializer?: Serializer<V>;
  /** acks (default "all"). */
  readonly acks?: Acks;
  /** linger.ms (default 5). */
  readonly lingerMs?: number;
  /** batch.size (default 16384). */
  readonly batchSize?: number;
  /** buffer.memory (default 33554432). */
  readonly bufferMemory?: number;
  /** max.block.ms (default 60000): how long send() waits for buffer memory or metadata. */
  readonly maxBlockMs?: number;
  /** compression.type (default "none"). */
  readonly compression?: CompressionName;
  /** enable.idempotence (default true). */
  readonly idempotent?: boolean;
  /** transactional.id. */
  readonly transactionalId?: string;
  /** transaction.timeout.ms (default 60000). */
  readonly transactionTimeoutMs?: number;
  /** max.in.flight.requests.per.connection (default 5). */
  readonly maxInFlightRequestsPerConnection?: number;
  /** retries (default unlimited: deliveryTimeoutMs bounds them). */
  readonly retries?: number;
  /** delivery.timeout.ms (default 120000). */
  readonly deliveryTimeoutMs?: number;
  /** request.timeout.ms (default 30000). */
  readonly requestTimeoutMs?: number;
  /** retry.backoff.ms (default 100) and retry.backoff.max.ms (default 1000). */
  readonly retryBackoffMs?: number;
  readonly retryBackoffMaxMs?: number;
  /** max.request.size (default 1048576): the largest record (and Produce request) sent. */
  readonly maxRequestSize?: number;
  /** Snappy framing: "xerial" (the Java client's, default) or "raw" (librdkafka's). */
  readonly snappyFormat?: "raw" | "xerial";
  readonly partitioner?: Partitioner;
}

export interface ResolvedProducerOptions {
  readonly acks: 0 | 1 | -1;
  readonly lingerMs: number;
  readonly batchSize: number;
  readonly bufferMemory: number;
  readonly maxBlockMs: number;
  readonly compression: CompressionType;
  readonly snappyFormat: "raw" | "xerial";
  /** Idempotence wanted; `idempotenceExplicit` says whether the application asked for it. */
  readonly idempotent: boolean;
  readonly idempotenceExplicit: boolean;
  readonly transactionalId: string | undefined;
  readonly transactionTimeoutMs: number;
  readonly maxInFlight: number;
  readonly retries: number;
  readonly deliveryTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxRequestSize: number;
  readonly partitioner: Partitioner | undefined;
}

function invalid(message: string): KafkaClientError {
  return new KafkaClientError(`invalid producer options: ${message}`, false);
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!(v >= 0) || !Number.isFinite(v)) throw invalid(`${name} must be a non-negative number, got ${v}`);
  return v;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const v = nonNegative(name, value, fallback);
  if (v === 0) throw invalid(`${name} must be positive`);
  return v;
}

export function resolveProducerOptions<K, V>(options: ProducerOptions<K, V>): ResolvedProducerOptions {
  const acksOption = options.acks ?? "all";
  if (acksOption !== 0 && acksOption !== 1 && acksOption !== -1 && acksOption !== "all")
    throw invalid(`acks must be 0, 1, -1 or "all", got ${String(acksOption)}`);
  const acks = acksOption === "all" ? -1 : acksOption;
  const compression = compressionFromName(options.compression ?? "none");
  if (compression === null) throw invalid(`unknown compression "${String(options.compression)}"`);
  const maxInFlight = positive(
    "maxInFlightRequestsPerConnection",
    options.maxInFlightRequestsPerConnection,
    5,
  );
  const retries = nonNegative("retries", options.retries, Number.MAX_SAFE_INTEGER);
  const transactionalId = options.transactionalId;
  if (transactionalId === "") throw invalid("transactionalId must not be empty");
  const explicit = options.idempotent !== undefined;
  const conflicts: string[] = [];
  if (acks !== -1) conflicts.push('acks must be "all"');
  if (maxInFlight > 5) conflicts.push("maxInFlightRequestsPerConnection must be at most 5");
  if (retries === 0) conflicts.push("retries must be above 0");
  if (transactionalId !== undefined && options.idempotent === false)
    throw invalid("a transactionalId needs idempotence (idempotent: false given)");
  if ((options.idempotent === true || transactionalId !== undefined) && conflicts.length > 0)
    throw invalid(
      `idempotence (needed by ${transactionalId ? "transactionalId" : "idempotent: true"}): ${conflicts.join("; ")}`,
    );
  const idempotent = (options.idempotent ?? true) && conflicts.length === 0;
  const lingerMs = nonNegative("lingerMs", options.lingerMs, 5);
  const deliveryTimeoutMs = positive("deliveryTimeoutMs", options.deliveryTimeoutMs, 120_000);
  const requestTimeoutMs = positive("requestTimeoutMs", options.requestTimeoutMs, 30_000);
  // Kafka refuses a delivery timeout that cannot cover one linger plus one request.
  if (deliveryTimeoutMs < lingerMs + requestTimeoutMs && options.deliveryTimeoutMs !== undefined)
    throw invalid("deliveryTimeoutMs must be at least lingerMs + requestTimeoutMs");
  return {
    acks,
    lingerMs,
    batchSize: nonNegative("batchSize", options.batchSize, 16_384),
    bufferMemory: positive("bufferMemory", options.bufferMemory, 33_554_432),
    maxBlockMs: nonNegative("maxBlockMs", options.maxBlockMs, 60_000),
    compression,
    snappyFormat: options.snappyFormat ?? "xerial",
    idempotent: idempotent || transactionalId !== undefined,
    idempotenceExplicit: explicit || transactionalId !== undefined,
    transactionalId,
    transactionTimeoutMs: positive("transactionTimeoutMs", options.transactionTimeoutMs, 60_000),
    maxInFlight,
    retries,
    deliveryTimeoutMs: Math.max(deliveryTimeoutMs, lingerMs + requestTimeoutMs),
    requestTimeoutMs,
    maxRequestSize: positive("maxRequestSize", options.maxRequestSize, 1_048_576),
    partitioner: options.partitioner,
  };
}
