// Membership of a classic consumer group (Kafka's AbstractCoordinator + ConsumerCoordinator):
// find the coordinator, JoinGroup (v4+: the first join is answered MEMBER_ID_REQUIRED with the id
// to join with, KIP-394), the leader runs the selected assignor over every member's subscription,
// SyncGroup hands out the assignment, then heartbeats every heartbeatIntervalMs in the background.
// A heartbeat answered REBALANCE_IN_PROGRESS asks for a rejoin at the next poll; ILLEGAL_GENERATION
// or UNKNOWN_MEMBER_ID mean this member was removed: its generation and member id are reset and
// its partitions are lost. Static members (KIP-345) send their group.instance.id and never leave
// on close, so a restart within the session timeout causes no rebalance.
//
// Joining happens only inside the consumer's poll, so rebalance listeners run between the
// application's batches, never during one (as in Kafka). What to commit and revoke around a
// rebalance is the consumer's business, through MembershipHooks.

import { ErrorCode, Heartbeat, JoinGroup, LeaveGroup, SyncGroup } from "@nagare/protocol";
import type { Cluster } from "../cluster/cluster.ts";
import { KafkaClientError, KafkaProtocolError } from "../errors.ts";
import { sleep } from "../retry.ts";
import type { TopicPartition } from "../types.ts";
import { type PartitionAssignor, type RebalanceProtocol, rebalanceProtocolOf } from "./assignors/index.ts";
import {
  CONSUMER_PROTOCOL_TYPE,
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
} from "./consumer-protocol.ts";
import { isCoordinatorError } from "./offsets.ts";

export interface MembershipHooks {
  /** The topics this member subscribes to now. */
  subscribedTopics(): readonly string[];
  /** The partitions it owns now (sent as ownedPartitions for sticky/cooperative assignors). */
  ownedPartitions(): readonly TopicPartition[];
  /** Kafka's onJoinPrepare: commit and revoke (or, when `lost`, drop) before joining. */
  beforeJoin(protocol: RebalanceProtocol, lost: boolean): Promise<void>;
  /** Kafka's onJoinComplete: the new assignment. */
  onAssignment(partitions: TopicPartition[], protocol: RebalanceProtocol): Promise<void>;
  /** Partition counts of those of `topics` that exist (for the leader's assignor). */
  partitionCounts(topics: readonly string[]): Promise<Map<string, number>>;
  /** Something the consumer waits on changed (a rejoin was requested). */
  wake(): void;
}

export interface MembershipConfig {
  readonly groupId: string;
  readonly groupInstanceId: string | null;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  /** Also the rebalance timeout. */
  readonly maxPollIntervalMs: number;
  readonly requestTimeoutMs: number;
  readonly clientRack: string;
  readonly assignors: readonly PartitionAssignor[];
}

export class GroupMembership {
  generationId = -1;
  memberId = "";
  protocolName: string | null = null;
  /** Partition counts the leader assigned from: a change (new partitions) triggers a rejoin. */
  assignmentSnapshot: ReadonlyMap<string, number> | null = null;
  readonly protocol: RebalanceProtocol;
  private readonly cluster: Cluster;
  private readonly config: MembershipConfig;
  private readonly hooks: MembershipHooks;
  private rejoinNeeded = true;
  private stable = false;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private lastPollAt = Date.now();
  private closed = false;
  /** A fatal error the heartbeat saw (e.g. FENCED_INSTANCE_ID), thrown at the next poll. */
  private fatal: Error | undefined;

  constructor(cluster: Cluster, config: MembershipConfig, hooks: MembershipHooks) {
    this.cluster = cluster;
    this.config = config;
    this.hooks = hooks;
    this.protocol = rebalanceProtocolOf(config.assignors);
  }

  get inStableGroup(): boolean {
    return this.stable && !this.rejoinNeeded && this.generationId >= 0;
  }

  get needsJoin(): boolean {
    return this.rejoinNeeded || this.generationId < 0;
  }

  pollCalled(): void {
    this.lastPollAt = Date.now();
  }

  requestRejoin(): void {
    this.rejoinNeeded = true;
    this.hooks.wake();
  }

  /** This member is no longer in the group as it knew it: join afresh (partitions are lost). */
  resetGeneration(): void {
    this.generationId = -1;
    this.memberId = "";
    this.stable = false;
    this.requestRejoin();
  }

  /** Joins (or rejoins) when needed; returns when this member has its assignment. */
  async ensureActive(): Promise<void> {
    if (this.fatal) throw this.fatal;
    if (!this.needsJoin) return;
    this.stopHeartbeat();
    this.stable = false;
    await this.hooks.beforeJoin(this.protocol, this.generationId < 0 || this.memberId === "");
    for (let attempt = 0; ; attempt++) {
      if (this.closed) throw new KafkaClientError("the consumer is closed", false);
      const hadGeneration = this.generationId >= 0;
      try {
        if (await this.joinAndSync()) return;
        attempt = 0;
      } catch (error) {
        if (!isCoordinatorError(error)) throw error;
        this.cluster.forgetCoordinator("group", this.config.groupId);
        await sleep(this.cluster.backoff(Math.min(attempt, 5)));
      }
      // Removed from the group while rejoining: what this member still owned is lost.
      if (hadGeneration && this.generationId < 0 && this.hooks.ownedPartitions().length > 0)
        await this.hooks.beforeJoin(this.protocol, true);
    }
  }

  /** One JoinGroup + SyncGroup round; false when it must be repeated. */
  private async joinAndSync(): Promise<boolean> {
    const { groupId, groupInstanceId } = this.config;
    const connection = await this.cluster.coordinator("group", groupId);
    const topics = this.hooks.subscribedTopics();
    const owned = this.hooks.ownedPartitions();
    const join = await connection.send(
      JoinGroup,
      {
        groupId,
        sessionTimeoutMs: this.config.sessionTimeoutMs,
        rebalanceTimeoutMs: this.config.maxPollIntervalMs,
        memberId: this.memberId,
        groupInstanceId,
        protocolType: CONSUMER_PROTOCOL_TYPE,
        protocols: this.config.assignors.map((assignor) => ({
          name: assignor.name,
          metadata: encodeSubscription({
            topics,
            userData: assignor.subscriptionUserData?.(this.generationId) ?? null,
            ownedPartitions: owned,
            generationId: this.generationId,
            rackId: this.config.clientRack === "" ? null : this.config.clientRack,
          }),
        })),
        reason: null,
      },
      // The coordinator parks a JoinGroup until the rebalance completes (Kafka allows 5 s more).
      { timeoutMs: Math.max(this.config.requestTimeoutMs, this.config.maxPollIntervalMs + 5000) },
    );
    switch (join.errorCode) {
      case ErrorCode.NONE:
        break;
      case ErrorCode.MEMBER_ID_REQUIRED:
        this.memberId = join.memberId;
        return false;
      case ErrorCode.UNKNOWN_MEMBER_ID:
        this.generationId = -1;
        this.memberId = "";
        return false;
      case ErrorCode.REBALANCE_IN_PROGRESS:
        await sleep(this.cluster.backoff(0));
        return false;
      default:
        throw new KafkaProtocolError(join.errorCode, `JoinGroup ${groupId}`);
    }

    this.generationId = join.generationId;
    this.memberId = join.memberId;
    this.protocolName = join.protocolName;
    const isLeader = join.leader === join.memberId;
    let assignments: { memberId: string; assignment: Buffer }[] = [];
    this.assignmentSnapshot = null;
    if (isLeader && !join.skipAssignment) assignments = await this.assign(join.protocolName, join.members);

    const sync = await connection.send(
      SyncGroup,
      {
        groupId,
        generationId: this.generationId,
        memberId: this.memberId,
        groupInstanceId,
        protocolType: CONSUMER_PROTOCOL_TYPE,
        protocolName: join.protocolName,
        assignments,
      },
      { timeoutMs: Math.max(this.config.requestTimeoutMs, this.config.maxPollIntervalMs + 5000) },
    );
    switch (sync.errorCode) {
      case ErrorCode.NONE:
        break;
      case ErrorCode.REBALANCE_IN_PROGRESS:
        return false;
      case ErrorCode.UNKNOWN_MEMBER_ID:
      case ErrorCode.ILLEGAL_GENERATION:
        this.generationId = -1;
        this.memberId = "";
        return false;
      default:
        throw new KafkaProtocolError(sync.errorCode, `SyncGroup ${groupId}`);
    }

    const assignment = decodeAssignment(sync.assignment);
    this.rejoinNeeded = false;
    this.stable = true;
    this.lastPollAt = Date.now();
    this.scheduleHeartbeat();
    await this.hooks.onAssignment([...assignment.partitions], this.protocol);
    return true;
  }

  private async assign(
    protocolName: string | null,
    members: readonly { memberId: string; groupInstanceId: string | null; metadata: Buffer }[],
  ): Promise<{ memberId: string; assignment: Buffer }[]> {
    const assignor = this.config.assignors.find((a) => a.name === protocolName);
    if (!assignor)
      throw new KafkaClientError(`the coordinator selected unknown assignor "${protocolName}"`, false);
    const groupMembers = members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      subscription: decodeSubscription(m.metadata),
    }));
    const topics = [...new Set(groupMembers.flatMap((m) => m.subscription.topics))];
    const counts = await this.hooks.partitionCounts(topics);
    this.assignmentSnapshot = counts;
    const result = assignor.assign(counts, groupMembers);
    return groupMembers.map((m) => ({
      memberId: m.memberId,
      assignment: encodeAssignment({ partitions: result.get(m.memberId) ?? [], userData: null }),
    }));
  }

  private scheduleHeartbeat(): void {
    this.stopHeartbeat();
    if (this.closed) return;
    this.heartbeatTimer = setTimeout(() => void this.heartbeat(), this.config.heartbeatIntervalMs);
    // Like Kafka's daemon heartbeat thread: a consumer left open does not keep the process alive.
    this.heartbeatTimer.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  private async heartbeat(): Promise<void> {
    this.heartbeatTimer = undefined;
    if (!this.stable || this.closed) return;
    if (Date.now() - this.lastPollAt > this.config.maxPollIntervalMs) {
      // The application stopped polling: give the partitions to someone who will (KIP-62).
      await this.leave("consumer poll timeout has expired");
      return;
    }
    const { groupId, groupInstanceId } = this.config;
    try {
      const connection = await this.cluster.coordinator("group", groupId);
      const response = await connection.send(Heartbeat, {
        groupId,
        generationId: this.generationId,
        memberId: this.memberId,
        groupInstanceId,
      });
      switch (response.errorCode) {
        case ErrorCode.NONE:
          break;
        case ErrorCode.REBALANCE_IN_PROGRESS:
          this.requestRejoin();
          break;
        case ErrorCode.ILLEGAL_GENERATION:
        case ErrorCode.UNKNOWN_MEMBER_ID:
          this.resetGeneration();
          return;
        case ErrorCode.FENCED_INSTANCE_ID:
          this.fatal = new KafkaProtocolError(response.errorCode, `Heartbeat ${groupId}`);
          this.resetGeneration();
          return;
        default:
          if (isCoordinatorError(new KafkaProtocolError(response.errorCode)))
            this.cluster.forgetCoordinator("group", groupId);
      }
    } catch {
      // The coordinator is unreachable: look it up again; the next heartbeat retries.
      this.cluster.forgetCoordinator("group", groupId);
    }
    if (this.stable && !this.closed) this.scheduleHeartbeat();
  }

  /**
   * Leaves the group: LeaveGroup for a dynamic member (the group rebalances at once); a static
   * member just stops, its session timeout decides (KIP-345). Either way this member must rejoin.
   */
  async leave(reason: string): Promise<void> {
    this.stopHeartbeat();
    const { groupId, groupInstanceId } = this.config;
    if (groupInstanceId === null && this.memberId !== "") {
      try {
        const connection = await this.cluster.coordinator("group", groupId);
        await connection.send(
          LeaveGroup,
          {
            groupId,
            memberId: this.memberId,
            members: [{ memberId: this.memberId, groupInstanceId, reason }],
          },
          { timeoutMs: this.config.requestTimeoutMs },
        );
      } catch {
        // Best effort: without it the coordinator removes us after the session timeout.
      }
    }
    this.resetGeneration();
  }

  /** Stops heartbeats for good (close). */
  stop(): void {
    this.closed = true;
    this.stable = false;
    this.stopHeartbeat();
  }
}
