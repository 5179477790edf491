// Fetching (Kafka's Fetcher/FetchCollector): one Fetch at a time to each partition leader, for the
// positioned, unpaused partitions; responses are decoded as they arrive and queued per partition
// until poll drains them. poll sends the next fetches before it returns records, so the network
// works while the application processes (prefetch). Fetch sessions are not used: every request is
// a full fetch (session id 0, epoch -1), which KIP-227 allows.
//
// Unlike Java, a partition with one completed fetch still buffered is fetched again, from where
// that fetch ends (a queue of at most maxQueuedFetches per partition). Waiting for the buffer to
// empty first, as Java does, leaves the consumer idle for a round trip per fetch, and splits the
// partitions of one leader into requests of their own as they drain at different times; then a
// long-poll (fetchMaxWaitMs) on a partition at its end holds back the others behind it. With the
// queue, every partition of a leader goes in each Fetch while the application works.
//
// A buffered fetch is used only if the partition's position still equals the offset it was
// fetched from (a seek or a revocation makes it stale), and a prefetch only if it starts where
// the queue ends. OFFSET_OUT_OF_RANGE resets the position per autoOffsetReset; leader moves and
// other retriable errors refresh the metadata and back off. Errors are acted on only for a fetch
// at the position: a prefetch that fails is dropped and made again, at the position, once the
// records before it are consumed, so the application sees them first.

import { ErrorCode, Fetch } from "@nagare/protocol";
import { BatchHeader, scanBatches } from "@nagare/protocol/records";
import type { Cluster } from "../cluster/cluster.ts";
import { KafkaClientError, KafkaProtocolError } from "../errors.ts";
import type { TopicPartition } from "../types.ts";
import { FetchedBatchReader, type FetchedRecord } from "./fetch-records.ts";
import type { IsolationLevel } from "./options.ts";
import { keyOf, type PartitionState, type SubscriptionState } from "./subscription-state.ts";

export interface FetcherConfig {
  readonly isolationLevel: IsolationLevel;
  readonly fetchMinBytes: number;
  readonly fetchMaxBytes: number;
  readonly maxPartitionFetchBytes: number;
  readonly fetchMaxWaitMs: number;
  readonly retryBackoffMs: number;
  readonly clientRack: string;
  readonly autoOffsetReset: "latest" | "earliest" | "none";
}

/** One partition's share of a Fetch response, waiting to be drained. */
interface CompletedFetch {
  readonly tp: TopicPartition;
  /** Decodes the response's batches one at a time, as their records are drained. */
  readonly reader: FetchedBatchReader;
  /** The records of the batch being drained, from `index` on not yet handed out. */
  records: FetchedRecord[];
  index: number;
  /** The offset of the next record to hand out (the fetch offset until one is taken). */
  consumedTo: bigint;
  /** A batch that would not decode: thrown to the application once the records before it are taken. */
  failure: Error | undefined;
  readonly nextOffset: bigint;
  readonly highWatermark: bigint;
  readonly lastStableOffset: bigint;
  readonly logStartOffset: bigint;
}

export interface DrainedPartition {
  readonly tp: TopicPartition;
  readonly records: FetchedRecord[];
  readonly highWatermark: bigint;
  readonly lastStableOffset: bigint;
}

/** Completed fetches buffered per partition: the one being drained and one prefetched. */
const maxQueuedFetches = 2;

/** Errors after which the partition's leader must be looked up again. */
const refreshErrors: ReadonlySet<number> = new Set([
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.REPLICA_NOT_AVAILABLE,
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.UNKNOWN_TOPIC_ID,
  ErrorCode.FENCED_LEADER_EPOCH,
  ErrorCode.UNKNOWN_LEADER_EPOCH,
  ErrorCode.KAFKA_STORAGE_ERROR,
  ErrorCode.OFFSET_NOT_AVAILABLE,
]);

/**
 * Where a fetch of these batches continues (past the last whole batch ending at or after
 * `fetchOffset`), from the batch headers alone; `fetchOffset` when no such batch is there.
 */
function endOfBatches(buf: Buffer, fetchOffset: bigint): bigint {
  let next = fetchOffset;
  for (const span of scanBatches(buf)) {
    if (span.kind === "truncated") break;
    const header = new BatchHeader(buf, span.position);
    const last = header.baseOffset + BigInt(header.lastOffsetDelta);
    if (last >= next) next = last + 1n;
  }
  return next;
}

export class Fetcher {
  private readonly cluster: Cluster;
  private readonly state: SubscriptionState;
  private readonly config: FetcherConfig;
  /** Per partition, completed fetches in offset order, each starting where the one before ends. */
  private readonly buffered = new Map<string, CompletedFetch[]>();
  private readonly inFlight = new Set<number>();
  /** Partitions whose prefetch failed: fetched again only from the position (queue drained). */
  private readonly noPrefetch = new Set<string>();
  /** Node id → no fetch before this time (after an error). */
  private readonly backoffUntil = new Map<number, number>();
  private waiters: (() => void)[] = [];
  /** An error for the application (e.g. an out-of-range offset with autoOffsetReset "none"). */
  private error: Error | undefined;
  private refreshing: Promise<unknown> | undefined;
  private stopped = false;

  constructor(cluster: Cluster, state: SubscriptionState, config: FetcherConfig) {
    this.cluster = cluster;
    this.state = state;
    this.config = config;
  }

  /** Throws (once) an error a fetch left for the application. */
  throwPendingError(): void {
    const error = this.error;
    this.error = undefined;
    if (error) throw error;
  }

  /** Where the partition's next fetch starts, or undefined when its queue is full. */
  private nextFetchOffset(s: PartitionState): bigint | undefined {
    const key = keyOf(s);
    const queue = this.buffered.get(key);
    if (!queue || queue.length === 0) return s.position ?? undefined;
    if (queue.length >= maxQueuedFetches || this.noPrefetch.has(key)) return undefined;
    return (queue[queue.length - 1] as CompletedFetch).nextOffset;
  }

  /** Whether a fetch from `offset` would find nothing yet (the broker would long-poll it). */
  private caughtUp(s: PartitionState, offset: bigint): boolean {
    const end = this.config.isolationLevel === "read_committed" ? s.lastStableOffset : s.highWatermark;
    return end >= 0n && offset >= end;
  }

  /** Sends a fetch to every leader that has none in flight, for partitions whose queue has room. */
  async sendFetches(): Promise<void> {
    if (this.stopped) return;
    if (!this.state.fetchable().some((s) => this.nextFetchOffset(s) !== undefined)) return;
    const snapshot = await this.cluster.metadata().catch(() => undefined);
    if (this.stopped) return;
    // Taken after the await: positions and queues may have moved meanwhile.
    const byLeader = new Map<number, { s: PartitionState; offset: bigint; epoch: number }[]>();
    const heldBack = new Set<number>();
    for (const s of this.state.fetchable()) {
      const info = snapshot?.topics.get(s.topic)?.partitions.find((p) => p.partition === s.partition);
      const leader = info && info.leader >= 0 ? info.leader : undefined;
      if (leader === undefined) {
        this.refreshMetadata();
        continue;
      }
      if (this.inFlight.has(leader) || (this.backoffUntil.get(leader) ?? 0) > Date.now()) continue;
      const offset = this.nextFetchOffset(s);
      if (offset === undefined) {
        heldBack.add(leader);
        continue;
      }
      const list = byLeader.get(leader);
      const entry = { s, offset, epoch: info?.leaderEpoch ?? -1 };
      if (list) list.push(entry);
      else byLeader.set(leader, [entry]);
    }
    for (const [leader, list] of byLeader) {
      // Only partitions at their end would go while others wait for room in their queues: the
      // broker would hold the request for fetchMaxWaitMs, and the held-back partitions with it
      // (one fetch per leader). They go together once those have room again.
      if (heldBack.has(leader) && list.every((e) => this.caughtUp(e.s, e.offset))) continue;
      this.inFlight.add(leader);
      void this.fetchFrom(leader, list).finally(() => {
        this.inFlight.delete(leader);
        this.wake();
        // The next fetch goes out now, not at the next poll: the broker reads it while this
        // answer is decoded and handed out.
        this.sendFetches().catch(() => undefined);
      });
    }
  }

  private refreshMetadata(): void {
    this.refreshing ??= this.cluster
      .refresh()
      .catch(() => undefined)
      .finally(() => {
        this.refreshing = undefined;
        this.wake();
      });
  }

  private async fetchFrom(
    leader: number,
    targets: readonly { s: PartitionState; offset: bigint; epoch: number }[],
  ): Promise<void> {
    const offsets = new Map(targets.map((t) => [keyOf(t.s), t.offset]));
    const byTopic = new Map<string, { s: PartitionState; offset: bigint; epoch: number }[]>();
    for (const t of targets) {
      const list = byTopic.get(t.s.topic);
      if (list) list.push(t);
      else byTopic.set(t.s.topic, [t]);
    }
    try {
      const connection = await this.cluster.connectToNode(leader);
      // Fetch v13+ names topics by id; v12 is the newest that names them.
      const version = connection.versionFor(Fetch, 12);
      const response = await connection.send(
        Fetch,
        {
          replicaId: -1,
          maxWaitMs: this.config.fetchMaxWaitMs,
          minBytes: this.config.fetchMinBytes,
          maxBytes: this.config.fetchMaxBytes,
          isolationLevel: this.config.isolationLevel === "read_committed" ? 1 : 0,
          sessionId: 0,
          sessionEpoch: -1,
          topics: [...byTopic].map(([topic, list]) => ({
            topic,
            partitions: list.map((t) => ({
              partition: t.s.partition,
              currentLeaderEpoch: t.epoch,
              fetchOffset: t.offset,
              logStartOffset: -1n,
              partitionMaxBytes: this.config.maxPartitionFetchBytes,
            })),
          })),
          forgottenTopicsData: [],
          rackId: this.config.clientRack,
        },
        version === undefined ? {} : { version },
      );
      if (response.errorCode !== 0) throw new KafkaProtocolError(response.errorCode, "Fetch");
      let needRefresh = false;
      for (const topic of response.responses)
        for (const p of topic.partitions) {
          const tp = { topic: topic.topic, partition: p.partitionIndex };
          const key = keyOf(tp);
          const fetchOffset = offsets.get(key);
          const current = this.state.get(tp);
          // Revoked, or moved by a seek while the fetch was out: the answer is stale.
          if (fetchOffset === undefined || !current || this.expectedFetchOffset(current) !== fetchOffset)
            continue;
          const prefetch = current.position !== fetchOffset;
          if (p.errorCode === ErrorCode.NONE) this.complete(tp, fetchOffset, p, current, prefetch, leader);
          else if (prefetch) {
            this.noPrefetch.add(key);
            if (refreshErrors.has(p.errorCode)) needRefresh = true;
          } else if (p.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) {
            if (this.config.autoOffsetReset === "none")
              this.error = new KafkaProtocolError(
                p.errorCode,
                `Fetch ${tp.topic}-${tp.partition} at ${fetchOffset}`,
              );
            else current.pendingReset = this.config.autoOffsetReset;
          } else if (refreshErrors.has(p.errorCode)) needRefresh = true;
          else this.error = new KafkaProtocolError(p.errorCode, `Fetch ${tp.topic}-${tp.partition}`);
        }
      if (needRefresh) {
        this.backoffUntil.set(leader, Date.now() + this.config.retryBackoffMs);
        this.refreshMetadata();
      }
    } catch (error) {
      // Non-retriable broker errors and undecodable records (a corrupt batch) go to the application.
      if (!(error instanceof KafkaClientError) || !error.retriable) this.error = error as Error;
      // A lost connection or a timeout: the leader may have moved.
      this.backoffUntil.set(leader, Date.now() + this.config.retryBackoffMs);
      this.refreshMetadata();
    }
  }

  private complete(
    tp: TopicPartition,
    fetchOffset: bigint,
    p: {
      highWatermark: bigint;
      lastStableOffset: bigint;
      logStartOffset: bigint;
      abortedTransactions: { producerId: bigint; firstOffset: bigint }[] | null;
      records: Buffer | null;
    },
    current: PartitionState,
    prefetch: boolean,
    leader: number,
  ): void {
    current.highWatermark = p.highWatermark;
    current.lastStableOffset = p.lastStableOffset;
    current.logStartOffset = p.logStartOffset;
    if (p.records === null || p.records.length === 0) return;
    const key = keyOf(tp);
    let nextOffset: bigint;
    try {
      nextOffset = endOfBatches(p.records, fetchOffset);
    } catch (error) {
      // Undecodable records go to the application once it reaches them.
      if (prefetch) this.noPrefetch.add(key);
      else {
        this.error = error as Error;
        this.backoffUntil.set(leader, Date.now() + this.config.retryBackoffMs);
      }
      return;
    }
    if (nextOffset === fetchOffset) return;
    let queue = this.buffered.get(key);
    if (!queue) {
      queue = [];
      this.buffered.set(key, queue);
    }
    queue.push({
      tp,
      reader: new FetchedBatchReader(
        p.records,
        tp,
        fetchOffset,
        this.config.isolationLevel,
        p.abortedTransactions,
      ),
      records: [],
      index: 0,
      consumedTo: fetchOffset,
      failure: undefined,
      nextOffset,
      highWatermark: p.highWatermark,
      lastStableOffset: p.lastStableOffset,
      logStartOffset: p.logStartOffset,
    });
  }

  /** True when some fetchable partition has buffered data. */
  hasData(): boolean {
    for (const s of this.state.fetchable()) if ((this.buffered.get(keyOf(s))?.length ?? 0) > 0) return true;
    return false;
  }

  /**
   * The offset the partition's next fetch response must start at to be used: where its queue
   * ends, or its position (a queue left stale by a position change is dropped first).
   */
  private expectedFetchOffset(s: PartitionState): bigint | null {
    const key = keyOf(s);
    const queue = this.buffered.get(key);
    if (queue && queue.length > 0) {
      if (s.position === (queue[0] as CompletedFetch).consumedTo)
        return (queue[queue.length - 1] as CompletedFetch).nextOffset;
      this.clear(s);
    }
    return s.position;
  }

  /**
   * Takes up to `maxRecords` buffered records of fetchable partitions and advances their
   * positions past them (past the whole fetch once it is used up).
   */
  drain(maxRecords: number): DrainedPartition[] {
    const result: DrainedPartition[] = [];
    let budget = maxRecords;
    for (const s of this.state.fetchable()) {
      if (budget <= 0) break;
      const key = keyOf(s);
      const queue = this.buffered.get(key);
      if (!queue) continue;
      let taken: FetchedRecord[] = [];
      let fetch: CompletedFetch | undefined;
      // Through the queue's fetches in order (each starts where the one before ends).
      while (budget > 0 && queue.length > 0) {
        fetch = queue[0] as CompletedFetch;
        // Stale: the position moved (seek) since the fetch was sent.
        if (s.position !== fetch.consumedTo) {
          this.clear(s);
          break;
        }
        if (!this.fill(fetch)) {
          this.finish(s, queue, fetch);
          continue;
        }
        if (fetch.failure) {
          this.error = fetch.failure;
          this.clear(s);
          break;
        }
        const start = fetch.index;
        const end = Math.min(fetch.records.length, start + budget);
        const part =
          start === 0 && end === fetch.records.length ? fetch.records : fetch.records.slice(start, end);
        fetch.index = end;
        budget -= part.length;
        taken = taken.length === 0 ? part : taken.concat(part);
        const last = part[part.length - 1] as FetchedRecord;
        fetch.consumedTo = last.offset + 1n;
        s.position = fetch.consumedTo;
        s.positionEpoch = last.leaderEpoch;
        // Used up (no batch with records left): the position moves past the whole fetch now, as
        // when the fetch was decoded at once, not at the next drain.
        if (!this.fill(fetch)) this.finish(s, queue, fetch);
      }
      if (queue.length === 0) this.clear(s);
      if (taken.length > 0 && fetch)
        result.push({
          tp: { topic: s.topic, partition: s.partition },
          records: taken,
          highWatermark: fetch.highWatermark,
          lastStableOffset: fetch.lastStableOffset,
        });
    }
    return result;
  }

  /**
   * Makes the fetch's next records ready, decoding its next batches when the current one is used
   * up (decoding is lazy, so the next Fetch is on its way meanwhile). False once none is left; a
   * batch that will not decode counts as left (its error is thrown when it is reached).
   */
  private fill(fetch: CompletedFetch): boolean {
    if (fetch.index < fetch.records.length || fetch.failure) return true;
    try {
      const records = fetch.reader.next();
      if (records === null) return false;
      fetch.records = records;
      fetch.index = 0;
    } catch (error) {
      fetch.failure = error as Error;
    }
    return true;
  }

  /** A used-up fetch leaves the queue; the position moves past its last batch. */
  private finish(s: PartitionState, queue: CompletedFetch[], fetch: CompletedFetch): void {
    queue.shift();
    s.position = fetch.nextOffset;
    const epoch = fetch.reader.lastEpoch;
    if (epoch >= 0) s.positionEpoch = epoch;
  }

  /** Drops buffered data (after a seek, a revocation, or for every partition). */
  clear(tp?: TopicPartition): void {
    if (tp) {
      this.buffered.delete(keyOf(tp));
      this.noPrefetch.delete(keyOf(tp));
    } else {
      this.buffered.clear();
      this.noPrefetch.clear();
    }
  }

  /** Waits until a fetch completes, `timeoutMs` passes, or wake() is called. */
  waitForData(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, timeoutMs));
      const waiter = (): void => done();
      this.waiters.push(waiter);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.waiters = self.waiters.filter((w) => w !== waiter);
        resolve();
      }
    });
  }

  wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** No more fetches (the consumer is closing). */
  stop(): void {
    this.stopped = true;
    this.wake();
  }
}
