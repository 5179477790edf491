// A group coordinator on a manual clock and an in-memory __consumer_offsets, for driving the
// membership protocol step by step: timers fire only when the test advances time.

import { ErrorCode } from "@nagare/protocol";
import { GroupCoordinator } from "../../../src/coordinator/group/group-coordinator.ts";
import type { JoinOutcome, SyncOutcome } from "../../../src/coordinator/group/group-member.ts";
import type { GroupSettings } from "../../../src/coordinator/group/group-settings.ts";
import type { JoinRequest } from "../../../src/coordinator/group/membership.ts";
import type { Scheduler } from "../../../src/coordinator/group/scheduler.ts";
import type {
  StateRecord,
  StateTopicLog,
  StoredEntry,
  TxnWrite,
} from "../../../src/coordinator/state-topic.ts";
import { silentLogger } from "../../../src/logger.ts";

export class ManualClock implements Scheduler {
  now = 1_000_000;
  private readonly tasks = new Map<string, { due: number; task: () => void }>();

  schedule(key: string, delayMs: number, task: () => void): void {
    this.tasks.set(key, { due: this.now + delayMs, task });
  }

  cancel(key: string): void {
    this.tasks.delete(key);
  }

  cancelAll(): void {
    this.tasks.clear();
  }

  /** Moves time forward, running every timer that falls due, in due order. */
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      let next: [string, { due: number; task: () => void }] | undefined;
      for (const entry of this.tasks)
        if (entry[1].due <= until && (!next || entry[1].due < next[1].due)) next = entry;
      if (!next) break;
      this.tasks.delete(next[0]);
      this.now = next[1].due;
      next[1].task();
    }
    this.now = until;
  }
}

export class MemoryOffsetsLog implements StateTopicLog {
  readonly records: StoredEntry[] = [];
  failWith: Error | undefined;

  async ensureCreated(): Promise<void> {}

  async append(_key: string, records: readonly StateRecord[], txn?: TxnWrite): Promise<void> {
    if (this.failWith) throw this.failWith;
    for (const r of records)
      this.records.push({
        kind: "record",
        partition: 0,
        ...r,
        timestamp: 0n,
        transactionalProducer: txn?.producerId,
      });
  }

  /** A transaction marker, as the transaction coordinator writes it. */
  marker(producerId: bigint, commit: boolean): void {
    this.records.push({ kind: "marker", partition: 0, producerId, commit });
  }

  partitionFor(_key: string): number {
    return 0;
  }

  async *readAll(): AsyncGenerator<StoredEntry> {
    yield* this.records;
  }
}

export const testSettings: GroupSettings = {
  minSessionTimeoutMs: 1000,
  maxSessionTimeoutMs: 60_000,
  initialRebalanceDelayMs: 100,
  maxSize: 10,
  offsetMetadataMaxBytes: 4096,
  offsetsRetentionMs: 60_000,
  offsetsRetentionCheckIntervalMs: 3_600_000,
};

export async function coordinator(
  log = new MemoryOffsetsLog(),
  settings: Partial<GroupSettings> = {},
  clock = new ManualClock(),
): Promise<{ groups: GroupCoordinator; clock: ManualClock; log: MemoryOffsetsLog }> {
  const groups = new GroupCoordinator({
    topic: log,
    settings: { ...testSettings, ...settings },
    clock: () => clock.now,
    logger: silentLogger,
    scheduler: clock,
  });
  await groups.start(silentLogger);
  return { groups, clock, log };
}

/** A consumer-protocol subscription (v0): version, topics, no user data. */
export function subscription(...topics: string[]): Buffer {
  const parts = [Buffer.from([0, 0]), Buffer.alloc(4)];
  parts[1]?.writeInt32BE(topics.length);
  for (const t of topics) {
    const len = Buffer.alloc(2);
    len.writeInt16BE(Buffer.byteLength(t));
    parts.push(len, Buffer.from(t));
  }
  parts.push(Buffer.from([0xff, 0xff, 0xff, 0xff]));
  return Buffer.concat(parts);
}

export function joinRequest(overrides: Partial<JoinRequest> = {}): JoinRequest {
  return {
    groupId: "g",
    memberId: "",
    groupInstanceId: null,
    protocolType: "consumer",
    protocols: [{ name: "range", metadata: subscription("t") }],
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    clientId: "client",
    clientHost: "/127.0.0.1",
    requireKnownMemberId: true,
    supportsSkipAssignment: true,
    ...overrides,
  };
}

/** A promise's state without waiting for it. */
export async function settled<T>(promise: Promise<T>): Promise<T | "pending"> {
  const marker = Symbol("pending");
  const result = await Promise.race([
    promise,
    new Promise<typeof marker>((r) => setImmediate(() => r(marker))),
  ]);
  return result === marker ? "pending" : (result as T);
}

/** v4+ join: MEMBER_ID_REQUIRED first, then the real join (parked until the rebalance completes). */
export async function joinNew(
  groups: GroupCoordinator,
  overrides: Partial<JoinRequest> = {},
): Promise<{ memberId: string; join: Promise<JoinOutcome> }> {
  const first = await groups.membership.joinGroup(joinRequest(overrides));
  if (first.errorCode !== ErrorCode.MEMBER_ID_REQUIRED)
    throw new Error(`expected MEMBER_ID_REQUIRED, got ${first.errorCode}`);
  return {
    memberId: first.memberId,
    join: groups.membership.joinGroup(joinRequest({ ...overrides, memberId: first.memberId })),
  };
}

export function sync(
  groups: GroupCoordinator,
  memberId: string,
  generationId: number,
  assignments: { memberId: string; assignment: Buffer }[] = [],
  groupId = "g",
): Promise<SyncOutcome> {
  return groups.membership.syncGroup({
    groupId,
    generationId,
    memberId,
    groupInstanceId: null,
    protocolType: "consumer",
    protocolName: "range",
    assignments,
  });
}
