// The classic group membership protocol: JoinGroup, SyncGroup, Heartbeat, LeaveGroup and the
// rebalance they drive, following Kafka's coordinator (GroupMetadataManager, classic groups):
//
//   Empty ──join──▶ PreparingRebalance ──all joined / timeout──▶ CompletingRebalance
//     ▲                   ▲                                           │ leader's SyncGroup
//     └──no members───────┴──────── join, leave, expiry ◀──── Stable ◀┘ (assignment written)
//
// - JoinGroup v4+: a new dynamic member first gets MEMBER_ID_REQUIRED with its id (KIP-394).
// - The first rebalance of an empty group waits group.initial.rebalance.delay.ms, extended while
//   members keep arriving (up to the rebalance timeout); later ones complete as soon as every
//   member rejoined, or after the largest rebalance timeout, dropping members that did not.
// - Heartbeat deadlines (session.timeout.ms) remove silent members; members parked in a rebalance
//   count as alive, except new ones (5 minutes to complete their first join, as Kafka).
// - Members that do not send SyncGroup within the rebalance timeout are removed (pending sync).
// - Static members (group.instance.id, KIP-345) are not dropped when they miss a rejoin, and a
//   restarted instance takes its old member's place; in a Stable group with an unchanged protocol
//   that happens without a rebalance. An old member id of a replaced instance is FENCED_INSTANCE_ID.
// Every parked request is eventually answered (with an error when its member goes away), so no
// connection waits forever on a response.

import { randomUUID } from "node:crypto";
import { ErrorCode } from "@nagare/protocol";
import type { ClassicGroup } from "./classic-group.ts";
import { groupSubscribedTopics } from "./consumer-protocol.ts";
import {
  emptyAssignment,
  GroupMember,
  type GroupProtocol,
  type JoinOutcome,
  type SyncOutcome,
} from "./group-member.ts";
import type { GroupSettings } from "./group-settings.ts";
import type { GroupStore } from "./group-store.ts";
import type { Scheduler } from "./scheduler.ts";

export interface JoinRequest {
  readonly groupId: string;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly protocolType: string;
  readonly protocols: readonly GroupProtocol[];
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly clientId: string;
  readonly clientHost: string;
  /** JoinGroup v4+: unknown dynamic members must come back with the id they are given. */
  readonly requireKnownMemberId: boolean;
  /** JoinGroup v9+: a static leader rejoining a Stable group is told to skip the assignment. */
  readonly supportsSkipAssignment: boolean;
}

export interface SyncRequest {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly assignments: readonly { readonly memberId: string; readonly assignment: Buffer }[];
}

export interface HeartbeatRequest {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

export interface LeavingMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

export interface LeaveResult {
  readonly errorCode: number;
  readonly members: (LeavingMember & { readonly errorCode: number })[];
}

const newMemberJoinTimeoutMs = 5 * 60_000;

function joinError(errorCode: number, memberId: string): JoinOutcome {
  return {
    errorCode,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leader: "",
    memberId,
    skipAssignment: false,
    members: [],
  };
}

function syncError(errorCode: number): SyncOutcome {
  return { errorCode, protocolType: null, protocolName: null, assignment: emptyAssignment };
}

const heartbeatKey = (groupId: string, memberId: string) => `hb|${groupId}|${memberId}`;
const joinKey = (groupId: string) => `join|${groupId}`;
const syncKey = (groupId: string) => `sync|${groupId}`;

export class Membership {
  private readonly store: GroupStore;
  private readonly settings: GroupSettings;
  private readonly scheduler: Scheduler;

  constructor(store: GroupStore, settings: GroupSettings, scheduler: Scheduler) {
    this.store = store;
    this.settings = settings;
    this.scheduler = scheduler;
  }

  private now(): number {
    return this.store.clock();
  }

  // ---- JoinGroup -------------------------------------------------------------------------------

  joinGroup(request: JoinRequest): Promise<JoinOutcome> {
    return new Promise((resolve) => {
      const answer = this.join(request, resolve);
      if (answer) resolve(answer);
    });
  }

  /** The answer now, or undefined when the request is parked (`respond` answers it later). */
  private join(request: JoinRequest, respond: (outcome: JoinOutcome) => void): JoinOutcome | undefined {
    const { groupId, memberId } = request;
    if (groupId === "") return joinError(ErrorCode.INVALID_GROUP_ID, memberId);
    if (
      request.sessionTimeoutMs < this.settings.minSessionTimeoutMs ||
      request.sessionTimeoutMs > this.settings.maxSessionTimeoutMs
    )
      return joinError(ErrorCode.INVALID_SESSION_TIMEOUT, memberId);
    const isUnknownMember = memberId === "";
    let group = this.store.get(groupId);
    if (!group) {
      if (!isUnknownMember) return joinError(ErrorCode.UNKNOWN_MEMBER_ID, memberId);
      group = this.store.getOrCreate(groupId);
    }
    if (!this.acceptsJoiningMember(group, memberId)) {
      const member = group.member(memberId);
      if (member) this.dropMember(group, member);
      else group.remove(memberId);
      return joinError(ErrorCode.GROUP_MAX_SIZE_REACHED, "");
    }
    if (group.is("Dead")) return joinError(ErrorCode.COORDINATOR_NOT_AVAILABLE, memberId);
    if (!group.supportsProtocols(request.protocolType, request.protocols))
      return joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, memberId);
    if (isUnknownMember) return this.joinNewMember(group, request, respond);
    return this.joinExistingMember(group, request, respond);
  }

  private acceptsJoiningMember(group: ClassicGroup, memberId: string): boolean {
    const max = this.settings.maxSize;
    switch (group.state) {
      case "Empty":
      case "Dead":
        return true;
      case "PreparingRebalance":
        return group.member(memberId)?.isAwaitingJoin === true || group.awaitingJoinCount < max;
      default:
        return group.members.has(memberId) || group.members.size < max;
    }
  }

  private joinNewMember(
    group: ClassicGroup,
    request: JoinRequest,
    respond: (o: JoinOutcome) => void,
  ): JoinOutcome | undefined {
    const { groupInstanceId } = request;
    const newMemberId = `${groupInstanceId ?? request.clientId}-${randomUUID()}`;
    if (groupInstanceId !== null) {
      const existing = group.staticMembers.get(groupInstanceId);
      if (existing !== undefined)
        return this.replaceStaticMember(group, request, existing, newMemberId, respond);
      return this.addMemberAndRebalance(group, request, newMemberId, respond);
    }
    if (request.requireKnownMemberId) {
      group.pendingJoin.add(newMemberId);
      this.scheduleHeartbeatExpiry(group, newMemberId, request.sessionTimeoutMs);
      return joinError(ErrorCode.MEMBER_ID_REQUIRED, newMemberId);
    }
    return this.addMemberAndRebalance(group, request, newMemberId, respond);
  }

  private joinExistingMember(
    group: ClassicGroup,
    request: JoinRequest,
    respond: (o: JoinOutcome) => void,
  ): JoinOutcome | undefined {
    const { memberId } = request;
    if (group.pendingJoin.has(memberId)) {
      if (request.groupInstanceId !== null) return joinError(ErrorCode.INVALID_REQUEST, memberId); // pending members are dynamic
      return this.addMemberAndRebalance(group, request, memberId, respond);
    }
    const check = group.validateMember(memberId, request.groupInstanceId);
    if (check !== "ok") return joinError(ErrorCode[check], memberId);
    const member = group.member(memberId) as GroupMember;
    switch (group.state) {
      case "PreparingRebalance":
        return this.updateMemberAndRebalance(group, member, request, respond);
      case "CompletingRebalance":
        // The same metadata again (the member missed the JoinGroup response): the current generation.
        if (member.matches(request.protocols)) return this.generationOutcome(group, member, false);
        return this.updateMemberAndRebalance(group, member, request, respond);
      case "Stable":
        // A leader's rejoin forces a rebalance: it is how a leader reacts to metadata changes.
        if (group.isLeader(memberId) || !member.matches(request.protocols))
          return this.updateMemberAndRebalance(group, member, request, respond);
        return { ...this.generationOutcome(group, member, false), members: [] };
      default:
        return joinError(ErrorCode.UNKNOWN_MEMBER_ID, memberId);
    }
  }

  /** The current generation as `member` sees it (the leader also gets every member). */
  private generationOutcome(group: ClassicGroup, member: GroupMember, skipAssignment: boolean): JoinOutcome {
    return {
      errorCode: ErrorCode.NONE,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leader: group.leaderId ?? "",
      memberId: member.memberId,
      skipAssignment,
      members: group.isLeader(member.memberId) ? group.joinMembers() : [],
    };
  }

  private parkJoin(member: GroupMember, respond: (o: JoinOutcome) => void): void {
    // A member that joins again while its previous JoinGroup is parked gave up on that one.
    member.completeJoin(joinError(ErrorCode.REBALANCE_IN_PROGRESS, member.memberId));
    member.awaitJoin(respond);
  }

  private addMemberAndRebalance(
    group: ClassicGroup,
    request: JoinRequest,
    memberId: string,
    respond: (o: JoinOutcome) => void,
  ): undefined {
    const member = new GroupMember({
      memberId,
      groupInstanceId: request.groupInstanceId,
      clientId: request.clientId,
      clientHost: request.clientHost,
      rebalanceTimeoutMs: request.rebalanceTimeoutMs,
      sessionTimeoutMs: request.sessionTimeoutMs,
      protocolType: request.protocolType,
      protocols: request.protocols,
    });
    member.isNew = true;
    if (group.is("PreparingRebalance") && group.previousState === "Empty") group.newMemberAdded = true;
    group.add(member);
    member.awaitJoin(respond);
    // A new member cannot heartbeat before it has joined; a defunct one is dropped after this.
    this.scheduleHeartbeatExpiry(group, memberId, newMemberJoinTimeoutMs);
    this.maybePrepareRebalanceOrCompleteJoin(group);
    return undefined;
  }

  private updateMemberAndRebalance(
    group: ClassicGroup,
    member: GroupMember,
    request: JoinRequest,
    respond: (o: JoinOutcome) => void,
  ): undefined {
    member.protocols = request.protocols;
    member.rebalanceTimeoutMs = request.rebalanceTimeoutMs;
    member.sessionTimeoutMs = request.sessionTimeoutMs;
    this.parkJoin(member, respond);
    this.maybePrepareRebalanceOrCompleteJoin(group);
    return undefined;
  }

  private replaceStaticMember(
    group: ClassicGroup,
    request: JoinRequest,
    oldMemberId: string,
    newMemberId: string,
    respond: (o: JoinOutcome) => void,
  ): undefined {
    const instanceId = request.groupInstanceId as string;
    const old = group.member(oldMemberId) as GroupMember;
    // Requests parked by the previous instance are answered: that instance is gone.
    old.completeJoin(joinError(ErrorCode.FENCED_INSTANCE_ID, oldMemberId));
    old.completeSync(syncError(ErrorCode.FENCED_INSTANCE_ID));
    this.scheduler.cancel(heartbeatKey(group.groupId, oldMemberId));
    const currentLeader = group.leaderId ?? "";
    const member = group.replaceStaticMember(instanceId, oldMemberId, newMemberId);
    const previous = {
      protocols: member.protocols,
      rebalanceTimeoutMs: member.rebalanceTimeoutMs,
      sessionTimeoutMs: member.sessionTimeoutMs,
    };
    member.protocols = request.protocols;
    member.rebalanceTimeoutMs = request.rebalanceTimeoutMs;
    member.sessionTimeoutMs = request.sessionTimeoutMs;
    this.scheduleHeartbeatExpiry(group, newMemberId, member.sessionTimeoutMs);

    if (group.is("Stable") && group.protocolName === group.selectProtocol()) {
      // Same protocol: the instance takes its place without a rebalance, once that is persisted.
      const generation = group.generationId;
      const assignment = new Map([...group.members.values()].map((m) => [m.memberId, m.assignment]));
      void this.store
        .write(group.groupId, [this.store.groupMetadataRecord(group, assignment)], false)
        .then((code) => {
          if (code === ErrorCode.NONE) {
            respond(this.staticRejoinOutcome(group, member, request.supportsSkipAssignment, currentLeader));
            return;
          }
          if (group.member(newMemberId) === member) {
            Object.assign(member, previous);
            group.replaceStaticMember(instanceId, newMemberId, oldMemberId);
            this.scheduleHeartbeatExpiry(group, oldMemberId, member.sessionTimeoutMs);
          }
          respond({ ...joinError(code, ""), generationId: generation, leader: currentLeader });
        });
      return undefined;
    }
    member.awaitJoin(respond);
    if (group.is("CompletingRebalance")) {
      // The leader may already be assigning to the old member id: start over.
      this.prepareRebalance(group);
    } else if (group.is("Stable")) this.maybePrepareRebalanceOrCompleteJoin(group);
    else this.maybeCompleteJoinPhase(group);
    return undefined;
  }

  /** A restarted static member back in a Stable group, without a rebalance. */
  private staticRejoinOutcome(
    group: ClassicGroup,
    member: GroupMember,
    supportsSkipAssignment: boolean,
    previousLeader: string,
  ): JoinOutcome {
    const isLeader = group.isLeader(member.memberId);
    if (supportsSkipAssignment) return this.generationOutcome(group, member, isLeader);
    // Older clients cannot skip the assignment: a rejoined leader is answered as a follower.
    return { ...this.generationOutcome(group, member, false), leader: previousLeader, members: [] };
  }

  // ---- rebalance -------------------------------------------------------------------------------

  private maybePrepareRebalanceOrCompleteJoin(group: ClassicGroup): void {
    if (group.canRebalance) this.prepareRebalance(group);
    else this.maybeCompleteJoinPhase(group);
  }

  private prepareRebalance(group: ClassicGroup): void {
    if (group.is("CompletingRebalance"))
      this.resetAndPropagateAssignment(group, ErrorCode.REBALANCE_IN_PROGRESS);
    this.clearPendingSync(group);
    const isInitial = group.is("Empty");
    if (isInitial) {
      const delay = this.settings.initialRebalanceDelayMs;
      const remaining = Math.max(group.rebalanceTimeoutMs - delay, 0);
      this.scheduler.schedule(joinKey(group.groupId), delay, () =>
        this.completeInitialRebalance(group.groupId, delay, remaining),
      );
    }
    group.transitionTo("PreparingRebalance", this.now());
    if (!isInitial) this.maybeCompleteJoinElseSchedule(group);
  }

  private maybeCompleteJoinElseSchedule(group: ClassicGroup): void {
    if (group.hasAllMembersJoined()) this.completeJoin(group);
    else
      this.scheduler.schedule(joinKey(group.groupId), group.rebalanceTimeoutMs, () =>
        this.completeJoinOf(group.groupId),
      );
  }

  private completeInitialRebalance(groupId: string, delayMs: number, remainingMs: number): void {
    const group = this.store.get(groupId);
    if (!group) return;
    if (group.newMemberAdded && remainingMs !== 0) {
      group.newMemberAdded = false;
      const nextDelay = Math.min(this.settings.initialRebalanceDelayMs, remainingMs);
      const nextRemaining = Math.max(remainingMs - delayMs, 0);
      this.scheduler.schedule(joinKey(groupId), nextDelay, () =>
        this.completeInitialRebalance(groupId, nextDelay, nextRemaining),
      );
      return;
    }
    this.completeJoin(group);
  }

  private maybeCompleteJoinPhase(group: ClassicGroup): void {
    if (!group.is("PreparingRebalance")) return;
    // The initial rebalance completes when its delay ends, never early.
    if (group.previousState === "Empty") return;
    if (group.hasAllMembersJoined()) this.completeJoin(group);
  }

  private completeJoinOf(groupId: string): void {
    const group = this.store.get(groupId);
    if (group) this.completeJoin(group);
  }

  private completeJoin(group: ClassicGroup): void {
    if (!group.is("PreparingRebalance")) return;
    this.scheduler.cancel(joinKey(group.groupId));
    for (const member of [...group.members.values()]) {
      if (!member.isAwaitingJoin && !member.isStatic) {
        this.scheduler.cancel(heartbeatKey(group.groupId, member.memberId));
        this.dropMember(group, member);
      }
    }
    if (!group.maybeElectNewJoinedLeader() && group.members.size > 0) {
      // Nobody rejoined: wait again until session timeouts have removed the silent members.
      this.scheduler.schedule(joinKey(group.groupId), group.rebalanceTimeoutMs, () =>
        this.completeJoinOf(group.groupId),
      );
      return;
    }
    group.initNextGeneration(this.now(), groupSubscribedTopics);
    if (group.is("Empty")) {
      void this.store.write(group.groupId, [this.store.groupMetadataRecord(group, new Map())], false);
      return;
    }
    for (const member of group.members.values()) {
      member.completeJoin(this.generationOutcome(group, member, false));
      this.scheduleHeartbeatExpiry(group, member.memberId, member.sessionTimeoutMs);
      member.isNew = false;
      group.pendingSync.add(member.memberId);
    }
    const generation = group.generationId;
    this.scheduler.schedule(syncKey(group.groupId), group.rebalanceTimeoutMs, () =>
      this.expirePendingSync(group.groupId, generation),
    );
  }

  private expirePendingSync(groupId: string, generation: number): void {
    const group = this.store.get(groupId);
    if (!group || group.generationId !== generation) return;
    if (!(group.is("CompletingRebalance") || group.is("Stable")) || group.pendingSync.size === 0) return;
    for (const memberId of [...group.pendingSync]) {
      const member = group.member(memberId);
      this.scheduler.cancel(heartbeatKey(groupId, memberId));
      if (member) this.dropMember(group, member);
      else group.remove(memberId);
    }
    this.prepareRebalance(group);
  }

  private clearPendingSync(group: ClassicGroup): void {
    group.pendingSync.clear();
    this.scheduler.cancel(syncKey(group.groupId));
  }

  private removePendingSyncMember(group: ClassicGroup, memberId: string): void {
    group.pendingSync.delete(memberId);
    if (group.pendingSync.size === 0) this.scheduler.cancel(syncKey(group.groupId));
  }

  private resetAndPropagateAssignment(group: ClassicGroup, errorCode: number): void {
    for (const member of group.members.values()) member.assignment = emptyAssignment;
    this.propagateAssignment(group, errorCode);
  }

  private propagateAssignment(group: ClassicGroup, errorCode: number): void {
    const ok = errorCode === ErrorCode.NONE;
    for (const member of group.members.values()) {
      const answered = member.completeSync({
        errorCode,
        protocolType: ok ? group.protocolType : null,
        protocolName: ok ? group.protocolName : null,
        assignment: member.assignment,
      });
      // A member whose deadline passed while it waited gets a fresh one once it has its answer.
      if (answered) this.scheduleHeartbeatExpiry(group, member.memberId, member.sessionTimeoutMs);
    }
  }

  // ---- SyncGroup -------------------------------------------------------------------------------

  syncGroup(request: SyncRequest): Promise<SyncOutcome> {
    return new Promise((resolve) => {
      const answer = this.sync(request, resolve);
      if (answer) resolve(answer);
    });
  }

  private sync(request: SyncRequest, respond: (o: SyncOutcome) => void): SyncOutcome | undefined {
    const group = this.store.get(request.groupId);
    if (!group || group.members.size === 0) return syncError(ErrorCode.UNKNOWN_MEMBER_ID);
    if (group.is("Dead")) return syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    const check = group.validateMember(request.memberId, request.groupInstanceId);
    if (check !== "ok") return syncError(ErrorCode[check]);
    if (request.generationId !== group.generationId) return syncError(ErrorCode.ILLEGAL_GENERATION);
    if (
      (request.protocolType !== null && request.protocolType !== group.protocolType) ||
      (request.protocolName !== null && request.protocolName !== group.protocolName)
    )
      return syncError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const member = group.member(request.memberId) as GroupMember;
    switch (group.state) {
      case "PreparingRebalance":
        return syncError(ErrorCode.REBALANCE_IN_PROGRESS);
      case "Stable":
        this.removePendingSyncMember(group, member.memberId);
        return {
          errorCode: ErrorCode.NONE,
          protocolType: group.protocolType,
          protocolName: group.protocolName,
          assignment: member.assignment,
        };
      case "CompletingRebalance":
        member.completeSync(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
        member.awaitSync(respond);
        this.removePendingSyncMember(group, member.memberId);
        if (group.isLeader(member.memberId)) this.storeAssignment(group, request);
        return undefined;
      default:
        return syncError(ErrorCode.UNKNOWN_MEMBER_ID);
    }
  }

  /** The leader's assignment: persisted, then handed to every member verbatim; the group is Stable. */
  private storeAssignment(group: ClassicGroup, request: SyncRequest): void {
    const assignment = new Map<string, Buffer>();
    for (const a of request.assignments)
      if (group.members.has(a.memberId)) assignment.set(a.memberId, a.assignment);
    const generation = group.generationId;
    void this.store
      .write(group.groupId, [this.store.groupMetadataRecord(group, assignment)], false)
      .then((code) => {
        // Another member may have joined meanwhile: only this generation's rebalance completes.
        if (!group.is("CompletingRebalance") || group.generationId !== generation) return;
        if (code !== ErrorCode.NONE) {
          this.resetAndPropagateAssignment(group, code);
          this.maybePrepareRebalanceOrCompleteJoin(group);
          return;
        }
        for (const member of group.members.values())
          member.assignment = assignment.get(member.memberId) ?? emptyAssignment;
        this.propagateAssignment(group, ErrorCode.NONE);
        group.transitionTo("Stable", this.now());
      });
  }

  // ---- Heartbeat -------------------------------------------------------------------------------

  heartbeat(request: HeartbeatRequest): number {
    const group = this.store.get(request.groupId);
    if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (group.is("Dead")) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const check = group.validateMember(request.memberId, request.groupInstanceId);
    if (check !== "ok") return ErrorCode[check];
    if (request.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    const member = group.member(request.memberId) as GroupMember;
    switch (group.state) {
      case "PreparingRebalance":
        this.scheduleHeartbeatExpiry(group, member.memberId, member.sessionTimeoutMs);
        return ErrorCode.REBALANCE_IN_PROGRESS;
      case "CompletingRebalance":
      case "Stable":
        this.scheduleHeartbeatExpiry(group, member.memberId, member.sessionTimeoutMs);
        return ErrorCode.NONE;
      default:
        return ErrorCode.UNKNOWN_MEMBER_ID;
    }
  }

  /** An offset commit keeps a member's session alive, as a heartbeat does. */
  touch(group: ClassicGroup, memberId: string): void {
    const member = group.member(memberId);
    if (member && (group.is("Stable") || group.is("PreparingRebalance")))
      this.scheduleHeartbeatExpiry(group, memberId, member.sessionTimeoutMs);
  }

  private scheduleHeartbeatExpiry(group: ClassicGroup, memberId: string, timeoutMs: number): void {
    this.scheduler.schedule(heartbeatKey(group.groupId, memberId), timeoutMs, () =>
      this.expireMember(group.groupId, memberId),
    );
  }

  private expireMember(groupId: string, memberId: string): void {
    const group = this.store.get(groupId);
    if (!group || group.is("Dead")) return;
    if (group.pendingJoin.has(memberId)) {
      group.remove(memberId);
      if (group.is("PreparingRebalance") && group.hasAllMembersJoined()) this.completeJoin(group);
      return;
    }
    const member = group.member(memberId);
    if (!member || member.hasSatisfiedHeartbeat) return;
    this.store.logger.info({ group: groupId, member: memberId }, "group member session expired");
    this.removeMemberAndUpdateGroup(group, member);
  }

  private removeMemberAndUpdateGroup(group: ClassicGroup, member: GroupMember): void {
    this.dropMember(group, member);
    if (group.is("Stable") || group.is("CompletingRebalance"))
      this.maybePrepareRebalanceOrCompleteJoin(group);
    else if (group.is("PreparingRebalance") && group.hasAllMembersJoined()) this.completeJoin(group);
  }

  /** Removes a member, answering its parked requests: a live client retries with a new join. */
  private dropMember(group: ClassicGroup, member: GroupMember): void {
    member.completeJoin(joinError(ErrorCode.UNKNOWN_MEMBER_ID, ""));
    member.completeSync(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    this.scheduler.cancel(heartbeatKey(group.groupId, member.memberId));
    group.remove(member.memberId);
  }

  // ---- LeaveGroup ------------------------------------------------------------------------------

  leaveGroup(groupId: string, leaving: readonly LeavingMember[]): LeaveResult {
    const group = this.store.get(groupId);
    if (!group) return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID, members: [] };
    if (group.is("Dead")) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
    let removed = 0;
    const members = leaving.map((m) => {
      const errorCode = this.leaveOne(group, m);
      if (errorCode === ErrorCode.NONE) removed++;
      return { ...m, errorCode };
    });
    if (removed > 0) {
      if (group.is("Stable") || group.is("CompletingRebalance"))
        this.maybePrepareRebalanceOrCompleteJoin(group);
      else if (group.is("PreparingRebalance")) this.maybeCompleteJoinPhase(group);
    }
    return { errorCode: ErrorCode.NONE, members };
  }

  private leaveOne(group: ClassicGroup, leaving: LeavingMember): number {
    // Administrative removal names only the group.instance.id.
    if (leaving.memberId === "") {
      const memberId =
        leaving.groupInstanceId === null ? undefined : group.staticMembers.get(leaving.groupInstanceId);
      const member = memberId === undefined ? undefined : group.member(memberId);
      if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
      this.dropMember(group, member);
      return ErrorCode.NONE;
    }
    if (group.pendingJoin.has(leaving.memberId)) {
      group.remove(leaving.memberId);
      this.scheduler.cancel(heartbeatKey(group.groupId, leaving.memberId));
      return ErrorCode.NONE;
    }
    const check = group.validateMember(leaving.memberId, leaving.groupInstanceId);
    if (check !== "ok") return ErrorCode[check];
    this.dropMember(group, group.member(leaving.memberId) as GroupMember);
    return ErrorCode.NONE;
  }

  // ---- loading and shutdown --------------------------------------------------------------------

  /** After loading: members restored from the log must heartbeat within their session timeout. */
  scheduleLoadedMembers(group: ClassicGroup): void {
    for (const member of group.members.values())
      this.scheduleHeartbeatExpiry(group, member.memberId, member.sessionTimeoutMs);
  }

  /** Removes a group's timers (the group was deleted). */
  forget(group: ClassicGroup): void {
    this.scheduler.cancel(joinKey(group.groupId));
    this.scheduler.cancel(syncKey(group.groupId));
    for (const memberId of group.members.keys()) this.scheduler.cancel(heartbeatKey(group.groupId, memberId));
    for (const memberId of group.pendingJoin) this.scheduler.cancel(heartbeatKey(group.groupId, memberId));
  }

  /** Broker shutdown: every parked request is answered NOT_COORDINATOR, every timer stopped. */
  shutdown(): void {
    this.scheduler.cancelAll();
    for (const group of this.store.groups.values()) {
      for (const member of group.members.values()) {
        member.completeJoin(joinError(ErrorCode.NOT_COORDINATOR, member.memberId));
        member.completeSync(syncError(ErrorCode.NOT_COORDINATOR));
      }
    }
  }
}
