// A classic consumer group's state: members (static ones also by group.instance.id), the
// generation, the selected protocol, the leader, and the committed offsets. The transitions are
// Kafka's (ClassicGroupState): a transition from a state not listed as its predecessor is a bug in
// the coordinator and throws.

import type { GroupMember, GroupProtocol, JoinMember } from "./group-member.ts";

export type GroupState = "Empty" | "PreparingRebalance" | "CompletingRebalance" | "Stable" | "Dead";

export const groupStates: readonly GroupState[] = [
  "Empty",
  "PreparingRebalance",
  "CompletingRebalance",
  "Stable",
  "Dead",
];

const validPrevious: Readonly<Record<GroupState, readonly GroupState[]>> = {
  Empty: ["PreparingRebalance"],
  PreparingRebalance: ["Stable", "CompletingRebalance", "Empty"],
  CompletingRebalance: ["PreparingRebalance"],
  Stable: ["CompletingRebalance"],
  Dead: ["Stable", "PreparingRebalance", "CompletingRebalance", "Empty", "Dead"],
};

export interface CommittedOffset {
  readonly offset: bigint;
  readonly leaderEpoch: number;
  readonly metadata: string;
  readonly commitTimestamp: bigint;
}

export class ClassicGroup {
  readonly groupId: string;
  state: GroupState = "Empty";
  previousState: GroupState = "Empty";
  /** When the group entered its current state (ms): offsets of an empty group expire from here. */
  stateTimestamp: number;
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  readonly members = new Map<string, GroupMember>();
  /** group.instance.id → member id. */
  readonly staticMembers = new Map<string, string>();
  /** Member ids handed out with MEMBER_ID_REQUIRED that have not joined with them yet. */
  readonly pendingJoin = new Set<string>();
  /** Members of the new generation that have not sent SyncGroup yet. */
  readonly pendingSync = new Set<string>();
  /** A member joined during the initial rebalance delay: the delay is extended once more. */
  newMemberAdded = false;
  /** Topics the members subscribe to (consumer protocol), or undefined when unknown. */
  subscribedTopics: ReadonlySet<string> | undefined = undefined;
  /** topic → partition → committed offset. */
  readonly offsets = new Map<string, Map<number, CommittedOffset>>();

  constructor(groupId: string, now: number) {
    this.groupId = groupId;
    this.stateTimestamp = now;
  }

  is(state: GroupState): boolean {
    return this.state === state;
  }

  transitionTo(state: GroupState, now: number): void {
    if (!validPrevious[state].includes(this.state))
      throw new Error(`group ${this.groupId}: invalid transition ${this.state} → ${state}`);
    this.previousState = this.state;
    this.state = state;
    this.stateTimestamp = now;
  }

  get canRebalance(): boolean {
    return validPrevious.PreparingRebalance.includes(this.state);
  }

  get isEmpty(): boolean {
    return this.members.size === 0 && this.pendingJoin.size === 0;
  }

  member(memberId: string): GroupMember | undefined {
    return this.members.get(memberId);
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  add(member: GroupMember): void {
    if (this.members.size === 0) this.protocolType = member.protocolType;
    this.members.set(member.memberId, member);
    if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, member.memberId);
    this.pendingJoin.delete(member.memberId);
    this.leaderId ??= member.memberId;
  }

  remove(memberId: string): void {
    const member = this.members.get(memberId);
    if (member) {
      this.members.delete(memberId);
      if (member.groupInstanceId !== null) this.staticMembers.delete(member.groupInstanceId);
    }
    this.pendingJoin.delete(memberId);
    this.pendingSync.delete(memberId);
    if (this.leaderId === memberId) this.leaderId = this.members.keys().next().value ?? null;
  }

  /** Moves a static member to a new member id (a restarted instance); returns the member. */
  replaceStaticMember(groupInstanceId: string, oldMemberId: string, newMemberId: string): GroupMember {
    const member = this.members.get(oldMemberId);
    if (!member) throw new Error(`group ${this.groupId}: static member ${oldMemberId} is missing`);
    // A request still parked under the old id is answered by the caller before this.
    this.members.delete(oldMemberId);
    member.memberId = newMemberId;
    this.members.set(newMemberId, member);
    this.staticMembers.set(groupInstanceId, newMemberId);
    if (this.leaderId === oldMemberId) this.leaderId = newMemberId;
    this.pendingSync.delete(oldMemberId);
    return member;
  }

  /** A joining member fits: same protocol type as the group and a protocol every member supports. */
  supportsProtocols(protocolType: string, protocols: readonly GroupProtocol[]): boolean {
    if (protocolType === "" || protocols.length === 0) return false;
    if (this.members.size === 0) return true;
    if (protocolType !== this.protocolType) return false;
    const candidates = this.candidateProtocols();
    return protocols.some((p) => candidates.has(p.name));
  }

  /** Protocols supported by every member. */
  candidateProtocols(): Set<string> {
    let candidates: Set<string> | undefined;
    for (const member of this.members.values()) {
      const names = new Set(member.protocols.map((p) => p.name));
      candidates = candidates === undefined ? names : new Set([...candidates].filter((n) => names.has(n)));
    }
    return candidates ?? new Set();
  }

  /** Each member votes for its most preferred candidate; the most votes wins (first on ties). */
  selectProtocol(): string | null {
    const candidates = this.candidateProtocols();
    const votes = new Map<string, number>();
    for (const member of this.members.values()) {
      const vote = member.vote(candidates);
      if (vote !== undefined) votes.set(vote, (votes.get(vote) ?? 0) + 1);
    }
    let best: string | null = null;
    let bestVotes = 0;
    for (const [name, count] of votes) {
      if (count > bestVotes) {
        best = name;
        bestVotes = count;
      }
    }
    return best;
  }

  get awaitingJoinCount(): number {
    let count = 0;
    for (const member of this.members.values()) if (member.isAwaitingJoin) count++;
    return count;
  }

  hasAllMembersJoined(): boolean {
    return this.members.size === this.awaitingJoinCount && this.pendingJoin.size === 0;
  }

  /** The largest rebalance timeout of the members: how long a rebalance waits for rejoins. */
  get rebalanceTimeoutMs(): number {
    let timeout = 0;
    for (const member of this.members.values()) timeout = Math.max(timeout, member.rebalanceTimeoutMs);
    return timeout;
  }

  /**
   * When the leader did not rejoin, another member that did becomes leader. False when nobody
   * rejoined (the rebalance cannot complete yet).
   */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === null) return true;
    const leader = this.members.get(this.leaderId);
    if (leader?.isAwaitingJoin) return true;
    for (const member of this.members.values()) {
      if (member.isAwaitingJoin) {
        this.leaderId = member.memberId;
        return true;
      }
    }
    return false;
  }

  /** Next generation: CompletingRebalance with a selected protocol, or Empty without members. */
  initNextGeneration(
    now: number,
    subscribedTopics: (group: ClassicGroup) => ReadonlySet<string> | undefined,
  ): void {
    this.generationId++;
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol();
      this.subscribedTopics = subscribedTopics(this);
      this.transitionTo("CompletingRebalance", now);
    } else {
      this.protocolName = null;
      this.subscribedTopics = subscribedTopics(this);
      this.transitionTo("Empty", now);
    }
    this.pendingSync.clear();
  }

  /** The members with their metadata for the selected protocol, as the leader receives them. */
  joinMembers(): JoinMember[] {
    return [...this.members.values()].map((member) => ({
      memberId: member.memberId,
      groupInstanceId: member.groupInstanceId,
      metadata: member.metadataFor(this.protocolName),
    }));
  }

  /** Unknown member → UNKNOWN_MEMBER_ID; a static instance id bound to another member → FENCED. */
  validateMember(
    memberId: string,
    groupInstanceId: string | null,
  ): "ok" | "UNKNOWN_MEMBER_ID" | "FENCED_INSTANCE_ID" {
    if (groupInstanceId !== null) {
      const existing = this.staticMembers.get(groupInstanceId);
      if (existing === undefined) return "UNKNOWN_MEMBER_ID";
      if (existing !== memberId) return "FENCED_INSTANCE_ID";
    }
    return this.members.has(memberId) ? "ok" : "UNKNOWN_MEMBER_ID";
  }

  offset(topic: string, partition: number): CommittedOffset | undefined {
    return this.offsets.get(topic)?.get(partition);
  }

  setOffset(topic: string, partition: number, committed: CommittedOffset): void {
    let partitions = this.offsets.get(topic);
    if (!partitions) {
      partitions = new Map();
      this.offsets.set(topic, partitions);
    }
    partitions.set(partition, committed);
  }

  deleteOffset(topic: string, partition: number): void {
    const partitions = this.offsets.get(topic);
    if (!partitions) return;
    partitions.delete(partition);
    if (partitions.size === 0) this.offsets.delete(topic);
  }

  get hasOffsets(): boolean {
    return this.offsets.size > 0;
  }
}
