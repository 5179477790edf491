// The consumer's options: Kafka's consumer configs in camelCase with Kafka's defaults, validated
// once at construction.

import type { ClusterOptions } from "../cluster/cluster.ts";
import { type Deserializer, string } from "../serde.ts";
import type { TopicPartition } from "../types.ts";
import type { AssignorName, PartitionAssignor } from "./assignors/index.ts";

export type AutoOffsetReset = "latest" | "earliest" | "none";
export type IsolationLevel = "read_uncommitted" | "read_committed";
export type RebalanceListener = (partitions: TopicPartition[]) => void | Promise<void>;

export interface ConsumerOptions<K = string | null, V = string | null> extends ClusterOptions {
  /** group.id: needed for subscribe() and for committing offsets. */
  readonly groupId?: string;
  /** group.instance.id: a static member (KIP-345) — restarts within the session need no rebalance. */
  readonly groupInstanceId?: string;
  /** Default: UTF-8 strings. */
  readonly keyDeserializer?: Deserializer<K>;
  readonly valueDeserializer?: Deserializer<V>;
  /** auto.offset.reset (default "latest"). */
  readonly autoOffsetReset?: AutoOffsetReset;
  /** enable.auto.commit (default true). */
  readonly enableAutoCommit?: boolean;
  /** auto.commit.interval.ms (default 5000). */
  readonly autoCommitIntervalMs?: number;
  /** session.timeout.ms (default 45000). */
  readonly sessionTimeoutMs?: number;
  /** heartbeat.interval.ms (default 3000). */
  readonly heartbeatIntervalMs?: number;
  /** max.poll.interval.ms (default 300000); also the rebalance timeout sent in JoinGroup. */
  readonly maxPollIntervalMs?: number;
  /** partition.assignment.strategy (default ["range", "cooperative-sticky"]). */
  readonly partitionAssignmentStrategy?: readonly (AssignorName | PartitionAssignor)[];
  /** isolation.level (default "read_uncommitted"). */
  readonly isolationLevel?: IsolationLevel;
  /** fetch.min.bytes (1), fetch.max.bytes (52428800), max.partition.fetch.bytes (1048576), fetch.max.wait.ms (500). */
  readonly fetchMinBytes?: number;
  readonly fetchMaxBytes?: number;
  readonly maxPartitionFetchBytes?: number;
  readonly fetchMaxWaitMs?: number;
  /** max.poll.records (default 500). */
  readonly maxPollRecords?: number;
  /** exclude.internal.topics (default true): patterns never match __consumer_offsets and friends. */
  readonly excludeInternalTopics?: boolean;
  /** client.rack (default ""), sent in subscriptions (v3) and fetches. */
  readonly clientRack?: string;
  /** Rebalance listeners, the same as consumer.on("assigned" | "revoked" | "lost", …). */
  readonly onAssigned?: RebalanceListener;
  readonly onRevoked?: RebalanceListener;
  readonly onLost?: RebalanceListener;
}

export interface ResolvedConsumerConfig<K, V> {
  readonly groupId: string | undefined;
  readonly groupInstanceId: string | null;
  readonly keyDeserializer: Deserializer<K>;
  readonly valueDeserializer: Deserializer<V>;
  readonly autoOffsetReset: AutoOffsetReset;
  readonly enableAutoCommit: boolean;
  readonly autoCommitIntervalMs: number;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly maxPollIntervalMs: number;
  readonly partitionAssignmentStrategy: readonly (AssignorName | PartitionAssignor)[];
  readonly isolationLevel: IsolationLevel;
  readonly fetchMinBytes: number;
  readonly fetchMaxBytes: number;
  readonly maxPartitionFetchBytes: number;
  readonly fetchMaxWaitMs: number;
  readonly maxPollRecords: number;
  readonly excludeInternalTopics: boolean;
  readonly clientRack: string;
  readonly metadataMaxAgeMs: number;
  readonly retryBackoffMs: number;
}

function positiveInt(name: string, value: number | undefined, fallback: number, min = 1): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min) throw new TypeError(`${name} must be an integer ≥ ${min}, got ${v}`);
  return v;
}

function oneOf<T extends string>(name: string, value: T | undefined, allowed: readonly T[], fallback: T): T {
  const v = value ?? fallback;
  if (!allowed.includes(v)) throw new TypeError(`${name} must be one of ${allowed.join(", ")}, got ${v}`);
  return v;
}

export function resolveConsumerConfig<K, V>(options: ConsumerOptions<K, V>): ResolvedConsumerConfig<K, V> {
  if (options.groupId !== undefined && options.groupId === "")
    throw new TypeError("groupId must not be empty (omit it for a consumer without a group)");
  if (options.groupInstanceId !== undefined && options.groupId === undefined)
    throw new TypeError("groupInstanceId needs a groupId");
  const sessionTimeoutMs = positiveInt("sessionTimeoutMs", options.sessionTimeoutMs, 45_000);
  const heartbeatIntervalMs = positiveInt("heartbeatIntervalMs", options.heartbeatIntervalMs, 3_000);
  if (heartbeatIntervalMs >= sessionTimeoutMs)
    throw new TypeError("heartbeatIntervalMs must be lower than sessionTimeoutMs");
  return {
    groupId: options.groupId,
    groupInstanceId: options.groupInstanceId ?? null,
    keyDeserializer: options.keyDeserializer ?? (string as unknown as Deserializer<K>),
    valueDeserializer: options.valueDeserializer ?? (string as unknown as Deserializer<V>),
    autoOffsetReset: oneOf(
      "autoOffsetReset",
      options.autoOffsetReset,
      ["latest", "earliest", "none"],
      "latest",
    ),
    enableAutoCommit: options.enableAutoCommit ?? true,
    autoCommitIntervalMs: positiveInt("autoCommitIntervalMs", options.autoCommitIntervalMs, 5_000),
    sessionTimeoutMs,
    heartbeatIntervalMs,
    maxPollIntervalMs: positiveInt("maxPollIntervalMs", options.maxPollIntervalMs, 300_000),
    partitionAssignmentStrategy: options.partitionAssignmentStrategy ?? ["range", "cooperative-sticky"],
    isolationLevel: oneOf(
      "isolationLevel",
      options.isolationLevel,
      ["read_uncommitted", "read_committed"],
      "read_uncommitted",
    ),
    fetchMinBytes: positiveInt("fetchMinBytes", options.fetchMinBytes, 1, 0),
    fetchMaxBytes: positiveInt("fetchMaxBytes", options.fetchMaxBytes, 52_428_800),
    maxPartitionFetchBytes: positiveInt("maxPartitionFetchBytes", options.maxPartitionFetchBytes, 1_048_576),
    fetchMaxWaitMs: positiveInt("fetchMaxWaitMs", options.fetchMaxWaitMs, 500, 0),
    maxPollRecords: positiveInt("maxPollRecords", options.maxPollRecords, 500),
    excludeInternalTopics: options.excludeInternalTopics ?? true,
    clientRack: options.clientRack ?? "",
    metadataMaxAgeMs: positiveInt("metadataMaxAgeMs", options.metadataMaxAgeMs, 300_000),
    retryBackoffMs: positiveInt("retryBackoffMs", options.retryBackoffMs, 100, 0),
  };
}
