// The coordinator's groups (in memory, the truth while the broker runs) and their persistence as
// records of __consumer_offsets (the truth across restarts). Group metadata is written when a
// generation's assignment is set, when a group becomes empty and when a static member is replaced;
// offsets on every commit; tombstones when offsets expire or are deleted and when a group is
// deleted.

import { ErrorCode } from "@nagare/protocol";
import { StorageError } from "@nagare/storage";
import type { Logger } from "../../logger.ts";
import type { StateLog, StateRecord, TxnWrite } from "../state-topic.ts";
import { ClassicGroup, type CommittedOffset } from "./classic-group.ts";
import {
  encodeGroupMetadataKey,
  encodeGroupMetadataValue,
  encodeOffsetCommitKey,
  encodeOffsetCommitValue,
} from "./offsets-topic-records.ts";

/** An offset written by TxnOffsetCommit: visible once its transaction commits, dropped on abort. */
export interface PendingTxnOffset {
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
  readonly committed: CommittedOffset;
}

export class GroupStore {
  readonly groups = new Map<string, ClassicGroup>();
  /** Transactional offsets per producer id, in write order, until their transaction ends. */
  readonly pendingTxn = new Map<bigint, PendingTxnOffset[]>();
  readonly log: StateLog;
  readonly clock: () => number;
  readonly logger: Logger;

  constructor(log: StateLog, clock: () => number, logger: Logger) {
    this.log = log;
    this.clock = clock;
    this.logger = logger;
  }

  get(groupId: string): ClassicGroup | undefined {
    return this.groups.get(groupId);
  }

  getOrCreate(groupId: string): ClassicGroup {
    let group = this.groups.get(groupId);
    if (!group) {
      group = new ClassicGroup(groupId, this.clock());
      this.groups.set(groupId, group);
    }
    return group;
  }

  /** The group's metadata record with `assignment` per member (missing members: empty). */
  groupMetadataRecord(group: ClassicGroup, assignment: ReadonlyMap<string, Buffer>): StateRecord {
    return {
      key: encodeGroupMetadataKey(group.groupId),
      value: encodeGroupMetadataValue({
        protocolType: group.protocolType ?? "",
        generation: group.generationId,
        protocol: group.protocolName,
        leader: group.leaderId,
        currentStateTimestamp: BigInt(group.stateTimestamp),
        members: [...group.members.values()].map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          rebalanceTimeoutMs: m.rebalanceTimeoutMs,
          sessionTimeoutMs: m.sessionTimeoutMs,
          subscription: m.metadataFor(group.protocolName),
          assignment: assignment.get(m.memberId) ?? Buffer.alloc(0),
        })),
      }),
    };
  }

  offsetRecord(groupId: string, topic: string, partition: number, committed: CommittedOffset): StateRecord {
    return {
      key: encodeOffsetCommitKey(groupId, topic, partition),
      value: encodeOffsetCommitValue(committed),
    };
  }

  offsetTombstone(groupId: string, topic: string, partition: number): StateRecord {
    return { key: encodeOffsetCommitKey(groupId, topic, partition), value: null };
  }

  groupTombstone(groupId: string): StateRecord {
    return { key: encodeGroupMetadataKey(groupId), value: null };
  }

  /** Makes a transaction's offsets on `partition` visible (commit) or drops them (abort). */
  completeTxn(producerId: bigint, commit: boolean, partition: number): void {
    const pending = this.pendingTxn.get(producerId);
    if (!pending) return;
    const rest = pending.filter((p) => this.log.partitionFor(p.groupId) !== partition);
    if (commit)
      for (const p of pending)
        if (this.log.partitionFor(p.groupId) === partition)
          this.getOrCreate(p.groupId).setOffset(p.topic, p.partition, p.committed);
    if (rest.length > 0) this.pendingTxn.set(producerId, rest);
    else this.pendingTxn.delete(producerId);
  }

  /** Whether a transaction still holds an offset of `groupId` (for require_stable). */
  hasPendingTxnOffsets(groupId: string, topic?: string, partition?: number): boolean {
    for (const pending of this.pendingTxn.values())
      for (const p of pending)
        if (
          p.groupId === groupId &&
          (topic === undefined || (p.topic === topic && p.partition === partition))
        )
          return true;
    return false;
  }

  /** Appends, resolving to NONE or the Kafka error code the client gets for a failed write. */
  async write(
    groupId: string,
    records: readonly StateRecord[],
    forCommit: boolean,
    txn?: TxnWrite,
  ): Promise<number> {
    try {
      await this.log.append(groupId, records, txn);
      return ErrorCode.NONE;
    } catch (error) {
      this.logger.warn({ group: groupId, error: String(error) }, "writing to __consumer_offsets failed");
      return writeErrorCode(error, forCommit);
    }
  }
}

/** Kafka's mapping of append errors to what group and commit requests answer. */
function writeErrorCode(error: unknown, forCommit: boolean): number {
  if (!(error instanceof StorageError)) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  switch (error.code) {
    case "KAFKA_STORAGE_ERROR":
      return ErrorCode.NOT_COORDINATOR;
    case "MESSAGE_TOO_LARGE":
    case "RECORD_LIST_TOO_LARGE":
      return forCommit ? ErrorCode.INVALID_COMMIT_OFFSET_SIZE : ErrorCode.UNKNOWN_SERVER_ERROR;
    default:
      return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  }
}
