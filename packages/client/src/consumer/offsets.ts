// Offsets on the wire: committed offsets (OffsetFetch, OffsetCommit to the group coordinator) and
// log offsets (ListOffsets to each partition leader: earliest, latest, or by timestamp).
// Coordinator and leader moves are retried here after a refresh and a backoff; errors that need
// the group (a stale generation, a rebalance) are thrown to the caller, who owns the membership.

import { ErrorCode, ListOffsets, OffsetCommit, OffsetFetch } from "@nagare/protocol";
import type { Cluster } from "../cluster/cluster.ts";
import type { BrokerConnection } from "../connection/broker-connection.ts";
import { KafkaClientError, KafkaProtocolError } from "../errors.ts";
import { sleep } from "../retry.ts";
import type { TopicPartition } from "../types.ts";
import type { IsolationLevel } from "./options.ts";
import { keyOf } from "./subscription-state.ts";

export interface CommittedOffset {
  readonly offset: bigint;
  readonly leaderEpoch: number;
  readonly metadata: string | null;
}

export interface TopicPartitionOffset extends TopicPartition {
  readonly offset: bigint;
  /** Committed with the offset (default null). */
  readonly metadata?: string | null;
  /** The leader epoch of the record before `offset` (KIP-320), -1 when unknown. */
  readonly leaderEpoch?: number;
}

export interface CommitIdentity {
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

/** Errors meaning the coordinator moved or is not ready: find it again and retry. */
const coordinatorErrors: ReadonlySet<number> = new Set([
  ErrorCode.NOT_COORDINATOR,
  ErrorCode.COORDINATOR_NOT_AVAILABLE,
  ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
  ErrorCode.REQUEST_TIMED_OUT,
]);

export function isCoordinatorError(error: unknown): boolean {
  if (error instanceof KafkaProtocolError) return coordinatorErrors.has(error.code);
  return error instanceof KafkaClientError && !(error instanceof KafkaProtocolError) && error.retriable;
}

/** Runs `attempt` against the group coordinator, rediscovering it after coordinator errors. */
export async function withCoordinator<T>(
  cluster: Cluster,
  groupId: string,
  attempt: (connection: BrokerConnection) => Promise<T>,
): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt(await cluster.coordinator("group", groupId));
    } catch (error) {
      if (!isCoordinatorError(error) || i >= cluster.retries) throw error;
      if (!(error instanceof KafkaProtocolError && error.code === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS))
        cluster.forgetCoordinator("group", groupId);
      await sleep(cluster.backoff(i));
    }
  }
}

function groupByTopic(partitions: readonly TopicPartition[]): Map<string, number[]> {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of partitions) {
    const list = byTopic.get(topic);
    if (list) list.push(partition);
    else byTopic.set(topic, [partition]);
  }
  return byTopic;
}

/**
 * The group's committed offsets for `partitions` (absent: nothing committed). Asks for stable
 * offsets (KIP-447), so offsets of an open transaction are waited for, as the Java consumer does.
 */
export async function fetchCommitted(
  cluster: Cluster,
  groupId: string,
  partitions: readonly TopicPartition[],
): Promise<Map<string, CommittedOffset>> {
  const byTopic = groupByTopic(partitions);
  for (let unstable = 0; ; unstable++) {
    const result = await withCoordinator(cluster, groupId, async (connection) => {
      // v10 names topics by id; we name them.
      const version = connection.versionFor(OffsetFetch, 9);
      const topics = [...byTopic].map(([name, partitionIndexes]) => ({ name, partitionIndexes }));
      const response = await connection.send(
        OffsetFetch,
        { groupId, topics, groups: [{ groupId, topics }], requireStable: true },
        version === undefined ? {} : { version },
      );
      const group = version !== undefined && version >= 8 ? response.groups[0] : undefined;
      const errorCode = group ? group.errorCode : response.errorCode;
      if (errorCode !== 0) throw new KafkaProtocolError(errorCode, `OffsetFetch ${groupId}`);
      const answers = group ? group.topics : response.topics;
      const committed = new Map<string, CommittedOffset>();
      let unstableSeen = false;
      for (const topic of answers)
        for (const p of topic.partitions) {
          if (p.errorCode === ErrorCode.UNSTABLE_OFFSET_COMMIT) {
            unstableSeen = true;
            continue;
          }
          if (p.errorCode !== 0)
            throw new KafkaProtocolError(
              p.errorCode,
              `OffsetFetch ${groupId} ${topic.name}-${p.partitionIndex}`,
            );
          if (p.committedOffset < 0n) continue;
          committed.set(keyOf({ topic: topic.name, partition: p.partitionIndex }), {
            offset: p.committedOffset,
            leaderEpoch: p.committedLeaderEpoch,
            metadata: p.metadata,
          });
        }
      return unstableSeen ? undefined : committed;
    });
    if (result) return result;
    // An open transaction wrote offsets for one of these partitions: wait for it to end.
    await sleep(cluster.backoff(Math.min(unstable, 5)));
  }
}

/** Commits `offsets`; per-partition errors are thrown as KafkaProtocolError (the first one). */
export async function commitOffsets(
  cluster: Cluster,
  groupId: string,
  identity: CommitIdentity,
  offsets: readonly TopicPartitionOffset[],
): Promise<void> {
  if (offsets.length === 0) return;
  const byTopic = new Map<string, TopicPartitionOffset[]>();
  for (const o of offsets) {
    const list = byTopic.get(o.topic);
    if (list) list.push(o);
    else byTopic.set(o.topic, [o]);
  }
  await withCoordinator(cluster, groupId, async (connection) => {
    const version = connection.versionFor(OffsetCommit, 9);
    const response = await connection.send(
      OffsetCommit,
      {
        groupId,
        generationIdOrMemberEpoch: identity.generationId,
        memberId: identity.memberId,
        groupInstanceId: identity.groupInstanceId,
        topics: [...byTopic].map(([name, list]) => ({
          name,
          partitions: list.map((o) => ({
            partitionIndex: o.partition,
            committedOffset: o.offset,
            committedLeaderEpoch: o.leaderEpoch ?? -1,
            committedMetadata: o.metadata ?? null,
          })),
        })),
      },
      version === undefined ? {} : { version },
    );
    for (const topic of response.topics)
      for (const p of topic.partitions)
        if (p.errorCode !== 0)
          throw new KafkaProtocolError(
            p.errorCode,
            `OffsetCommit ${groupId} ${topic.name}-${p.partitionIndex}`,
          );
  });
}

/** ListOffsets timestamps: -2 earliest, -1 latest (the LSO under read_committed). */
export type OffsetSpec = "earliest" | "latest" | { readonly timestamp: number };

export interface ListedOffset {
  /** -1 when no record has a timestamp at or after the one asked for. */
  readonly offset: bigint;
  readonly timestamp: bigint;
  readonly leaderEpoch: number;
}

const leaderErrors: ReadonlySet<number> = new Set([
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.FENCED_LEADER_EPOCH,
  ErrorCode.UNKNOWN_LEADER_EPOCH,
  ErrorCode.OFFSET_NOT_AVAILABLE,
  ErrorCode.REPLICA_NOT_AVAILABLE,
  ErrorCode.KAFKA_STORAGE_ERROR,
  ErrorCode.REQUEST_TIMED_OUT,
]);

/** Lists one offset per partition, each from its leader; leader moves are retried. */
export async function listOffsets(
  cluster: Cluster,
  partitions: readonly TopicPartition[],
  spec: OffsetSpec | ((tp: TopicPartition) => OffsetSpec),
  isolation: IsolationLevel,
): Promise<Map<string, ListedOffset>> {
  const result = new Map<string, ListedOffset>();
  let remaining = [...partitions];
  const timestampOf = (tp: TopicPartition): bigint => {
    const s = typeof spec === "function" ? spec(tp) : spec;
    return s === "earliest" ? -2n : s === "latest" ? -1n : BigInt(s.timestamp);
  };
  for (let attempt = 0; remaining.length > 0; attempt++) {
    const byLeader = new Map<number, TopicPartition[]>();
    for (const tp of remaining) {
      const leader = await cluster.leaderFor(tp.topic, tp.partition);
      const list = byLeader.get(leader);
      if (list) list.push(tp);
      else byLeader.set(leader, [tp]);
    }
    const retry: TopicPartition[] = [];
    let lastError: unknown;
    await Promise.all(
      [...byLeader].map(async ([leader, tps]) => {
        try {
          const connection = await cluster.connectToNode(leader);
          const response = await connection.send(ListOffsets, {
            replicaId: -1,
            isolationLevel: isolation === "read_committed" ? 1 : 0,
            topics: [...groupByTopic(tps)].map(([name, list]) => ({
              name,
              partitions: list.map((partitionIndex) => ({
                partitionIndex,
                currentLeaderEpoch: -1,
                timestamp: timestampOf({ topic: name, partition: partitionIndex }),
              })),
            })),
            timeoutMs: 30_000,
          });
          for (const topic of response.topics)
            for (const p of topic.partitions) {
              const tp = { topic: topic.name, partition: p.partitionIndex };
              if (p.errorCode === 0) {
                const offset = p.oldStyleOffsets.length > 0 ? (p.oldStyleOffsets[0] as bigint) : p.offset;
                result.set(keyOf(tp), { offset, timestamp: p.timestamp, leaderEpoch: p.leaderEpoch });
              } else if (leaderErrors.has(p.errorCode)) {
                lastError = new KafkaProtocolError(p.errorCode, `ListOffsets ${tp.topic}-${tp.partition}`);
                retry.push(tp);
              } else throw new KafkaProtocolError(p.errorCode, `ListOffsets ${tp.topic}-${tp.partition}`);
            }
        } catch (error) {
          if (error instanceof KafkaProtocolError && !error.retriable) throw error;
          lastError = error;
          retry.push(...tps);
        }
      }),
    );
    remaining = retry;
    if (remaining.length === 0) break;
    if (attempt >= cluster.retries) throw lastError;
    await sleep(cluster.backoff(attempt));
    await cluster.refresh();
  }
  return result;
}
