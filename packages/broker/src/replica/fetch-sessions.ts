// Incremental fetch sessions (KIP-227). A full fetch (epoch 0) creates a session holding the
// partitions it asked for; later requests (epoch 1, 2, …) name only the partitions whose fetch
// position changed, plus those to forget, and the answer lists only partitions with something new
// (records, a changed high watermark or log start offset, an error). Epoch -1 asks for a
// sessionless full fetch and closes the named session.
//
// Follows Kafka's FetchSession.scala: a session error answers FETCH_SESSION_ID_NOT_FOUND or
// INVALID_FETCH_SESSION_EPOCH with no partitions; a partition that must be answered moves to the
// end of the session's order (round-robin across partitions under the response's maxBytes); an
// error resets the cached high watermark to -1, so the partition is sent again once it recovers.
// Bounded: `maxSessions` (Kafka's max.incremental.fetch.session.cache.slots, 1000); when full, the
// least recently used session idle for `evictionMs` (min.incremental.fetch.session.eviction.ms,
// 120 s) makes room, otherwise the fetch is answered without a session (session id 0).

import { randomInt } from "node:crypto";
import { ErrorCode } from "@nagare/protocol";

export interface FetchTarget {
  readonly topic: string;
  readonly partition: number;
  readonly fetchOffset: bigint;
  readonly maxBytes: number;
  readonly currentLeaderEpoch: number;
}

/** What the handler read for one partition. */
export interface FetchOutcome {
  readonly target: FetchTarget;
  readonly errorCode: number;
  readonly highWatermark: bigint;
  readonly lastStableOffset: bigint;
  readonly logStartOffset: bigint;
  readonly records: Buffer;
  /** read_committed: aborted transactions overlapping the records; null for read_uncommitted. */
  readonly abortedTransactions:
    | readonly { readonly producerId: bigint; readonly firstOffset: bigint }[]
    | null;
}

interface CachedPartition {
  target: FetchTarget;
  /** Last values sent; -1 forces the partition into the next answer. */
  highWatermark: bigint;
  lastStableOffset: bigint;
  logStartOffset: bigint;
}

interface FetchSession {
  readonly id: number;
  epoch: number;
  lastUsedMs: number;
  readonly partitions: Map<string, CachedPartition>;
}

export type FetchContext =
  | { readonly kind: "error"; readonly errorCode: number }
  | { readonly kind: "sessionless" | "full"; readonly targets: readonly FetchTarget[] }
  | {
      readonly kind: "incremental";
      readonly session: FetchSession;
      readonly targets: readonly FetchTarget[];
    };

export interface FetchSessionCacheOptions {
  readonly clock: () => number;
  readonly maxSessions?: number;
  readonly evictionMs?: number;
}

export interface FetchRequestSession {
  readonly sessionId: number;
  readonly sessionEpoch: number;
  /** In request order; a partition named twice keeps its first position and its last values. */
  readonly targets: readonly FetchTarget[];
  readonly forgotten: readonly { readonly topic: string; readonly partitions: readonly number[] }[];
}

const finalEpoch = -1;
const initialEpoch = 0;

function keyOf(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

export class FetchSessionCache {
  private readonly sessions = new Map<number, FetchSession>();
  private readonly clock: () => number;
  private readonly maxSessions: number;
  private readonly evictionMs: number;

  constructor(options: FetchSessionCacheOptions) {
    this.clock = options.clock;
    this.maxSessions = options.maxSessions ?? 1000;
    this.evictionMs = options.evictionMs ?? 120_000;
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Resolves the request against the cache (bumping an incremental session's epoch). */
  newContext(request: FetchRequestSession): FetchContext {
    const targets = dedupe(request.targets);
    const { sessionId, sessionEpoch } = request;
    if (sessionEpoch === finalEpoch || sessionEpoch === initialEpoch) {
      // Any session named in a full fetch is closed.
      if (sessionId !== 0) this.sessions.delete(sessionId);
      return { kind: sessionEpoch === finalEpoch ? "sessionless" : "full", targets };
    }
    const session = this.sessions.get(sessionId);
    if (!session) return { kind: "error", errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND };
    if (session.epoch !== sessionEpoch)
      return { kind: "error", errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH };
    for (const target of targets) {
      const key = keyOf(target.topic, target.partition);
      const cached = session.partitions.get(key);
      if (cached) cached.target = target;
      else
        session.partitions.set(key, {
          target,
          highWatermark: -1n,
          lastStableOffset: -1n,
          logStartOffset: -1n,
        });
    }
    for (const topic of request.forgotten)
      for (const partition of topic.partitions) session.partitions.delete(keyOf(topic.topic, partition));
    if (session.partitions.size === 0) {
      this.sessions.delete(session.id);
      return { kind: "sessionless", targets };
    }
    this.touch(session);
    session.epoch = session.epoch === 0x7fffffff ? 1 : session.epoch + 1;
    return { kind: "incremental", session, targets: [...session.partitions.values()].map((c) => c.target) };
  }

  /**
   * The session id to answer with and the partitions to include, in order. A full context creates
   * its session here, from what was read (as Kafka does when it builds the response).
   */
  respond(
    context: FetchContext,
    outcomes: readonly FetchOutcome[],
  ): { sessionId: number; outcomes: FetchOutcome[] } {
    switch (context.kind) {
      case "error":
        return { sessionId: 0, outcomes: [] };
      case "sessionless":
        return { sessionId: 0, outcomes: [...outcomes] };
      case "full": {
        const session = this.create();
        if (session)
          for (const outcome of outcomes) {
            const cached: CachedPartition = {
              target: outcome.target,
              highWatermark: -1n,
              lastStableOffset: -1n,
              logStartOffset: -1n,
            };
            remember(cached, outcome);
            session.partitions.set(keyOf(outcome.target.topic, outcome.target.partition), cached);
          }
        return { sessionId: session?.id ?? 0, outcomes: [...outcomes] };
      }
      case "incremental": {
        const { session } = context;
        const included: FetchOutcome[] = [];
        for (const outcome of outcomes) {
          const key = keyOf(outcome.target.topic, outcome.target.partition);
          const cached = session.partitions.get(key);
          if (!cached) continue; // forgotten meanwhile
          const mustRespond =
            outcome.records.length > 0 ||
            outcome.errorCode !== ErrorCode.NONE ||
            cached.highWatermark !== outcome.highWatermark ||
            cached.lastStableOffset !== outcome.lastStableOffset ||
            cached.logStartOffset !== outcome.logStartOffset;
          remember(cached, outcome);
          if (!mustRespond) continue;
          included.push(outcome);
          session.partitions.delete(key);
          session.partitions.set(key, cached);
        }
        return { sessionId: session.id, outcomes: included };
      }
    }
  }

  clear(): void {
    this.sessions.clear();
  }

  private create(): FetchSession | undefined {
    const now = this.clock();
    if (this.sessions.size >= this.maxSessions) {
      // Map order is least recently used first (touch re-inserts).
      const oldest = this.sessions.values().next().value;
      if (!oldest || now - oldest.lastUsedMs < this.evictionMs) return undefined;
      this.sessions.delete(oldest.id);
    }
    for (let attempt = 0; attempt < 16; attempt++) {
      const id = randomInt(1, 0x7fffffff);
      if (this.sessions.has(id)) continue;
      const session: FetchSession = { id, epoch: 1, lastUsedMs: now, partitions: new Map() };
      this.sessions.set(id, session);
      return session;
    }
    return undefined;
  }

  private touch(session: FetchSession): void {
    session.lastUsedMs = this.clock();
    this.sessions.delete(session.id);
    this.sessions.set(session.id, session);
  }
}

function remember(cached: CachedPartition, outcome: FetchOutcome): void {
  cached.highWatermark = outcome.errorCode === ErrorCode.NONE ? outcome.highWatermark : -1n;
  cached.lastStableOffset = outcome.lastStableOffset;
  cached.logStartOffset = outcome.logStartOffset;
}

function dedupe(targets: readonly FetchTarget[]): FetchTarget[] {
  const byKey = new Map<string, FetchTarget>();
  for (const target of targets) byKey.set(keyOf(target.topic, target.partition), target);
  return [...byKey.values()];
}
