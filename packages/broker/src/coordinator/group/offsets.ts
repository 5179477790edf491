// Committed offsets: OffsetCommit (written to __consumer_offsets before it is acknowledged),
// OffsetFetch, OffsetDelete, DeleteGroups and the expiry of old offsets, with Kafka's rules:
// - a commit with generation -1 and no member id is a "simple" commit, accepted while the group
//   has no members (the group is created for it); otherwise member, instance and generation must
//   match the group (UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID, ILLEGAL_GENERATION), and a group still
//   completing a rebalance answers REBALANCE_IN_PROGRESS;
// - expiry after offsets.retention.minutes: for an empty consumer group, counted from when it
//   became empty; for a standalone consumer's offsets (no protocol), from each commit; for a
//   Stable consumer group, offsets of topics nobody subscribes to any more, from each commit.
//   A group left with neither members nor offsets is deleted.

import { ErrorCode } from "@nagare/protocol";
import type { StateRecord, TxnWrite } from "../state-topic.ts";
import type { ClassicGroup, CommittedOffset } from "./classic-group.ts";
import { consumerProtocolType } from "./consumer-protocol.ts";
import type { GroupSettings } from "./group-settings.ts";
import type { GroupStore } from "./group-store.ts";
import type { Membership } from "./membership.ts";

export interface CommitPartition {
  readonly partitionIndex: number;
  readonly committedOffset: bigint;
  readonly committedLeaderEpoch: number;
  readonly committedMetadata: string | null;
}

export interface TopicPartitions<P> {
  readonly name: string;
  readonly partitions: readonly P[];
}

export interface CommitRequest {
  readonly groupId: string;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly generationId: number;
  readonly apiVersion: number;
  readonly topics: readonly TopicPartitions<CommitPartition>[];
}

/** TxnOffsetCommit: offsets that become visible when the producer's transaction commits. */
export interface TxnCommitRequest extends CommitRequest {
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

export interface PartitionError {
  readonly partitionIndex: number;
  readonly errorCode: number;
}

/** A response's per-topic list (mutable: it becomes the response value as is). */
export interface TopicResult<P> {
  name: string;
  partitions: P[];
}

export type TopicErrors = TopicResult<PartitionError>;

export interface FetchedOffset {
  readonly partitionIndex: number;
  readonly committedOffset: bigint;
  readonly committedLeaderEpoch: number;
  readonly metadata: string | null;
  readonly errorCode: number;
}

/** Whether a partition exists (commits to unknown partitions get UNKNOWN_TOPIC_OR_PARTITION). */
export type PartitionExists = (topic: string, partition: number) => boolean;

function unknownOffset(partitionIndex: number): FetchedOffset {
  return {
    partitionIndex,
    committedOffset: -1n,
    committedLeaderEpoch: -1,
    metadata: "",
    errorCode: ErrorCode.NONE,
  };
}

function everyPartition(
  topics: readonly TopicPartitions<{ partitionIndex: number }>[],
  errorCode: number,
): TopicErrors[] {
  return topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
  }));
}

export class Offsets {
  private readonly store: GroupStore;
  private readonly settings: GroupSettings;
  private readonly membership: Membership;

  constructor(store: GroupStore, settings: GroupSettings, membership: Membership) {
    this.store = store;
    this.settings = settings;
    this.membership = membership;
  }

  commit(request: CommitRequest, exists: PartitionExists): Promise<TopicErrors[]> {
    return this.write(request, exists, undefined);
  }

  /** TxnOffsetCommit: written as part of the transaction; visible once it commits. */
  txnCommit(request: TxnCommitRequest, exists: PartitionExists): Promise<TopicErrors[]> {
    return this.write(request, exists, {
      producerId: request.producerId,
      producerEpoch: request.producerEpoch,
    });
  }

  private async write(
    request: CommitRequest,
    exists: PartitionExists,
    txn: TxnWrite | undefined,
  ): Promise<TopicErrors[]> {
    if (request.groupId === "") return everyPartition(request.topics, ErrorCode.INVALID_GROUP_ID);
    let group = this.store.get(request.groupId);
    if (!group) {
      if (request.generationId >= 0)
        return everyPartition(
          request.topics,
          request.apiVersion >= 9 && !txn ? ErrorCode.GROUP_ID_NOT_FOUND : ErrorCode.ILLEGAL_GENERATION,
        );
      group = this.store.getOrCreate(request.groupId);
    }
    const invalid = this.validateCommit(group, request, txn !== undefined);
    if (invalid !== ErrorCode.NONE) return everyPartition(request.topics, invalid);
    if (!txn) this.membership.touch(group, request.memberId);

    const now = BigInt(this.store.clock());
    const records: StateRecord[] = [];
    const accepted: [string, number, CommittedOffset][] = [];
    const results = request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((p) => {
        const metadata = p.committedMetadata ?? "";
        let errorCode: number = ErrorCode.NONE;
        if (metadata.length > this.settings.offsetMetadataMaxBytes)
          errorCode = ErrorCode.OFFSET_METADATA_TOO_LARGE;
        else if (!exists(topic.name, p.partitionIndex)) errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        else {
          const committed: CommittedOffset = {
            offset: p.committedOffset,
            leaderEpoch: p.committedLeaderEpoch,
            metadata,
            commitTimestamp: now,
          };
          records.push(this.store.offsetRecord(request.groupId, topic.name, p.partitionIndex, committed));
          accepted.push([topic.name, p.partitionIndex, committed]);
        }
        return { partitionIndex: p.partitionIndex, errorCode };
      }),
    }));
    if (records.length === 0) return results;
    const written = await this.store.write(request.groupId, records, true, txn);
    if (written !== ErrorCode.NONE)
      return results.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) =>
          p.errorCode === ErrorCode.NONE ? { ...p, errorCode: written } : p,
        ),
      }));
    if (txn) {
      const pending = this.store.pendingTxn.get(txn.producerId) ?? [];
      for (const [topic, partition, committed] of accepted)
        pending.push({ groupId: request.groupId, topic, partition, committed });
      this.store.pendingTxn.set(txn.producerId, pending);
      return results;
    }
    // The group may have been deleted while the write was in flight: the commit recreates it,
    // as replaying the log would.
    const target = this.store.getOrCreate(request.groupId);
    for (const [topic, partition, committed] of accepted) target.setOffset(topic, partition, committed);
    return results;
  }

  /** Kafka's ClassicGroup.validateOffsetCommit; transactional commits skip the state checks. */
  private validateCommit(group: ClassicGroup, request: CommitRequest, transactional: boolean): number {
    if (group.is("Dead")) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (request.generationId < 0 && group.is("Empty")) return ErrorCode.NONE;
    if (request.generationId >= 0 || request.memberId !== "" || request.groupInstanceId !== null) {
      const check = group.validateMember(request.memberId, request.groupInstanceId);
      if (check !== "ok") return ErrorCode[check];
      if (request.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    } else if (!transactional && !group.is("Empty")) {
      return ErrorCode.UNKNOWN_MEMBER_ID;
    }
    if (!transactional && group.is("CompletingRebalance")) return ErrorCode.REBALANCE_IN_PROGRESS;
    return ErrorCode.NONE;
  }

  /** The transaction coordinator wrote `producerId`'s marker to `partition` of __consumer_offsets. */
  completeTransaction(producerId: bigint, commit: boolean, partition: number): void {
    this.store.completeTxn(producerId, commit, partition);
  }

  /**
   * Offsets of `topics` (every committed offset when null); unknown ones are -1 with no error.
   * With `requireStable`, a partition an open transaction has written an offset for answers
   * UNSTABLE_OFFSET_COMMIT (the client retries until the transaction ends).
   */
  fetch(
    groupId: string,
    topics: readonly TopicPartitions<number>[] | null,
    requireStable = false,
  ): { errorCode: number; topics: TopicResult<FetchedOffset>[] } {
    const group = this.store.get(groupId);
    if (group?.is("Dead")) return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, topics: [] };
    const fetched = (topic: string, partitions: Iterable<number>): FetchedOffset[] =>
      [...partitions].map((partitionIndex) => {
        if (requireStable && this.store.hasPendingTxnOffsets(groupId, topic, partitionIndex))
          return { ...unknownOffset(partitionIndex), errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT };
        const c = group?.offset(topic, partitionIndex);
        if (!c) return unknownOffset(partitionIndex);
        return {
          partitionIndex,
          committedOffset: c.offset,
          committedLeaderEpoch: c.leaderEpoch,
          metadata: c.metadata,
          errorCode: ErrorCode.NONE,
        };
      });
    const wanted =
      topics ??
      [...(group?.offsets ?? [])].map(([name, partitions]) => ({
        name,
        partitions: [...partitions.keys()].sort((a, b) => a - b),
      }));
    return {
      errorCode: ErrorCode.NONE,
      topics: wanted.map((t) => ({ name: t.name, partitions: fetched(t.name, t.partitions) })),
    };
  }

  /** OffsetDelete: not for topics the group's members still subscribe to. */
  async delete(
    groupId: string,
    topics: readonly TopicPartitions<number>[],
  ): Promise<{ errorCode: number; topics: TopicErrors[] }> {
    const group = this.store.get(groupId);
    if (!group || group.is("Dead")) return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, topics: [] };
    if (!group.is("Empty") && group.protocolType !== consumerProtocolType)
      return { errorCode: ErrorCode.NON_EMPTY_GROUP, topics: [] };
    const records: StateRecord[] = [];
    const deleted: [string, number][] = [];
    const results = topics.map((t) => {
      const subscribed = !group.is("Empty") && (group.subscribedTopics?.has(t.name) ?? true);
      return {
        name: t.name,
        partitions: t.partitions.map((partitionIndex) => {
          if (subscribed) return { partitionIndex, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC };
          if (group.offset(t.name, partitionIndex)) {
            records.push(this.store.offsetTombstone(groupId, t.name, partitionIndex));
            deleted.push([t.name, partitionIndex]);
          }
          return { partitionIndex, errorCode: ErrorCode.NONE };
        }),
      };
    });
    const written = await this.store.write(groupId, records, false);
    if (written !== ErrorCode.NONE) return { errorCode: written, topics: [] };
    for (const [topic, partition] of deleted) group.deleteOffset(topic, partition);
    return { errorCode: ErrorCode.NONE, topics: results };
  }

  /** DeleteGroups for one group: only without members; offsets and metadata get tombstones. */
  async deleteGroup(groupId: string): Promise<number> {
    const group = this.store.get(groupId);
    if (!group || group.is("Dead")) return ErrorCode.GROUP_ID_NOT_FOUND;
    if (!group.isEmpty) return ErrorCode.NON_EMPTY_GROUP;
    const records = this.offsetTombstones(group);
    records.push(this.store.groupTombstone(groupId));
    group.transitionTo("Dead", this.store.clock());
    const written = await this.store.write(groupId, records, false);
    this.membership.forget(group);
    this.store.groups.delete(groupId);
    return written;
  }

  private offsetTombstones(group: ClassicGroup): StateRecord[] {
    const records: StateRecord[] = [];
    for (const [topic, partitions] of group.offsets)
      for (const partition of partitions.keys())
        records.push(this.store.offsetTombstone(group.groupId, topic, partition));
    return records;
  }

  /** A deleted topic's offsets go from every group (Kafka does this on topic deletion). */
  async removeTopic(topic: string): Promise<void> {
    for (const group of [...this.store.groups.values()]) {
      const partitions = group.offsets.get(topic);
      if (!partitions) continue;
      const records = [...partitions.keys()].map((p) => this.store.offsetTombstone(group.groupId, topic, p));
      if ((await this.store.write(group.groupId, records, false)) === ErrorCode.NONE)
        group.offsets.delete(topic);
    }
  }

  /** One pass of offset expiry (every offsets.retention.check.interval.ms). */
  async expire(): Promise<void> {
    const now = this.store.clock();
    const retention = this.settings.offsetsRetentionMs;
    for (const group of [...this.store.groups.values()]) {
      const base = this.expiryBase(group);
      if (base === undefined) continue;
      const expired: [string, number][] = [];
      for (const [topic, partitions] of group.offsets) {
        if (group.is("Stable") && group.subscribedTopics?.has(topic)) continue;
        for (const [partition, committed] of partitions)
          if (now - base(committed) >= retention) expired.push([topic, partition]);
      }
      const records = expired.map(([t, p]) => this.store.offsetTombstone(group.groupId, t, p));
      const dropGroup = group.is("Empty") && group.isEmpty && expired.length === countOffsets(group);
      if (dropGroup) records.push(this.store.groupTombstone(group.groupId));
      if (records.length === 0) continue;
      if ((await this.store.write(group.groupId, records, false)) !== ErrorCode.NONE) continue;
      for (const [t, p] of expired) group.deleteOffset(t, p);
      if (dropGroup && this.store.get(group.groupId) === group && group.isEmpty && !group.hasOffsets) {
        group.transitionTo("Dead", now);
        this.membership.forget(group);
        this.store.groups.delete(group.groupId);
      }
      this.store.logger.info({ group: group.groupId, expired: expired.length }, "expired committed offsets");
    }
  }

  /** From when an offset's retention counts, or undefined while the group's offsets are kept. */
  private expiryBase(group: ClassicGroup): ((committed: CommittedOffset) => number) | undefined {
    if (group.protocolType === null || group.protocolType === "")
      return (committed) => Number(committed.commitTimestamp);
    if (group.is("Empty")) return () => group.stateTimestamp;
    if (
      group.is("Stable") &&
      group.protocolType === consumerProtocolType &&
      group.subscribedTopics !== undefined
    )
      return (committed) => Number(committed.commitTimestamp);
    return undefined;
  }
}

function countOffsets(group: ClassicGroup): number {
  let count = 0;
  for (const partitions of group.offsets.values()) count += partitions.size;
  return count;
}
