// The partition assignor contract of the classic consumer protocol: the group leader runs the
// assignor the coordinator selected over every member's subscription (ConsumerPartitionAssignor in
// Kafka's Java client). Assignors run in the clients, so members of different clients interoperate
// as long as they agree on the protocol name and the ConsumerProtocol bytes.

import type { TopicPartition } from "../../types.ts";
import type { Subscription } from "../consumer-protocol.ts";

/**
 * EAGER: every member revokes everything before rejoining. COOPERATIVE (KIP-429): members keep
 * their partitions across a rebalance and only give up the ones the assignor moves away.
 */
export type RebalanceProtocol = "eager" | "cooperative";

export interface GroupMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly subscription: Subscription;
}

export interface PartitionAssignor {
  /** The protocol name members vote with in JoinGroup ("range", "roundrobin", …). */
  readonly name: string;
  /** The rebalance protocols the assignor supports. */
  readonly supportedProtocols: readonly RebalanceProtocol[];
  /** userData for this member's subscription (`generation` is its current generation, or -1). */
  subscriptionUserData?(generation: number): Buffer | null;
  /**
   * Member id → its partitions. `partitionsPerTopic` holds every topic some member subscribes to
   * that exists (its partition count). Every member must appear in the result.
   */
  assign(
    partitionsPerTopic: ReadonlyMap<string, number>,
    members: readonly GroupMember[],
  ): Map<string, TopicPartition[]>;
}

/**
 * Kafka's member order (AbstractPartitionAssignor.MemberInfo): static members first, by instance
 * id, then dynamic members by member id — so a restarted static member gets the same share.
 */
export function compareMembers(a: GroupMember, b: GroupMember): number {
  if (a.groupInstanceId !== null && b.groupInstanceId !== null)
    return compareStrings(a.groupInstanceId, b.groupInstanceId);
  if (a.groupInstanceId !== null) return -1;
  if (b.groupInstanceId !== null) return 1;
  return compareStrings(a.memberId, b.memberId);
}

/** Java's String.compareTo order for the ASCII names Kafka allows (code units, not locale). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function comparePartitions(a: TopicPartition, b: TopicPartition): number {
  return a.topic === b.topic ? a.partition - b.partition : compareStrings(a.topic, b.topic);
}

/** An empty list for every member, so each appears in the result. */
export function emptyAssignment(members: readonly GroupMember[]): Map<string, TopicPartition[]> {
  return new Map(members.map((m) => [m.memberId, []]));
}
