// One member of a classic (JoinGroup/SyncGroup) group: what it supports, its session settings,
// its current assignment, and the JoinGroup / SyncGroup responses it is waiting for (parked
// requests are completed by the coordinator when the rebalance reaches them).

export interface GroupProtocol {
  readonly name: string;
  readonly metadata: Buffer;
}

export interface JoinMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly metadata: Buffer;
}

export interface JoinOutcome {
  readonly errorCode: number;
  readonly generationId: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly leader: string;
  readonly memberId: string;
  readonly skipAssignment: boolean;
  /** Every member with its metadata for the selected protocol: for the leader only. */
  readonly members: readonly JoinMember[];
}

export interface SyncOutcome {
  readonly errorCode: number;
  readonly protocolType: string | null;
  readonly protocolName: string | null;
  readonly assignment: Buffer;
}

export const emptyAssignment: Buffer = Buffer.alloc(0);

export interface MemberInit {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly rebalanceTimeoutMs: number;
  readonly sessionTimeoutMs: number;
  readonly protocolType: string;
  readonly protocols: readonly GroupProtocol[];
}

export class GroupMember {
  memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly protocolType: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  protocols: readonly GroupProtocol[];
  assignment: Buffer = emptyAssignment;
  /** Joined in the current rebalance and not yet given a generation: expires on its join timeout. */
  isNew = false;
  private joinWaiter: ((outcome: JoinOutcome) => void) | undefined;
  private syncWaiter: ((outcome: SyncOutcome) => void) | undefined;

  constructor(init: MemberInit) {
    this.memberId = init.memberId;
    this.groupInstanceId = init.groupInstanceId;
    this.clientId = init.clientId;
    this.clientHost = init.clientHost;
    this.rebalanceTimeoutMs = init.rebalanceTimeoutMs;
    this.sessionTimeoutMs = init.sessionTimeoutMs;
    this.protocolType = init.protocolType;
    this.protocols = init.protocols;
  }

  get isStatic(): boolean {
    return this.groupInstanceId !== null;
  }

  get isAwaitingJoin(): boolean {
    return this.joinWaiter !== undefined;
  }

  get isAwaitingSync(): boolean {
    return this.syncWaiter !== undefined;
  }

  /** Members parked in a rebalance count as alive; new members must still join in time. */
  get hasSatisfiedHeartbeat(): boolean {
    return !this.isNew && (this.isAwaitingJoin || this.isAwaitingSync);
  }

  /** Parks a JoinGroup (callers answer any request already parked first). */
  awaitJoin(waiter: (outcome: JoinOutcome) => void): void {
    this.joinWaiter = waiter;
  }

  awaitSync(waiter: (outcome: SyncOutcome) => void): void {
    this.syncWaiter = waiter;
  }

  /** Answers the parked JoinGroup, if any; true when there was one. */
  completeJoin(outcome: JoinOutcome): boolean {
    const waiter = this.joinWaiter;
    this.joinWaiter = undefined;
    waiter?.(outcome);
    return waiter !== undefined;
  }

  completeSync(outcome: SyncOutcome): boolean {
    const waiter = this.syncWaiter;
    this.syncWaiter = undefined;
    waiter?.(outcome);
    return waiter !== undefined;
  }

  /** Same protocols, in the same order, with the same metadata bytes. */
  matches(protocols: readonly GroupProtocol[]): boolean {
    if (protocols.length !== this.protocols.length) return false;
    return protocols.every((p, i) => {
      const own = this.protocols[i] as GroupProtocol;
      return own.name === p.name && own.metadata.equals(p.metadata);
    });
  }

  /** This member's most preferred protocol among `candidates`. */
  vote(candidates: ReadonlySet<string>): string | undefined {
    return this.protocols.find((p) => candidates.has(p.name))?.name;
  }

  metadataFor(protocolName: string | null): Buffer {
    return this.protocols.find((p) => p.name === protocolName)?.metadata ?? emptyAssignment;
  }
}
