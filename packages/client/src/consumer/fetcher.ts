// Fetching (Kafka's Fetcher/FetchCollector): one Fetch at a time to each partition leader, for the
// positioned, unpaused partitions that have nothing buffered; responses are decoded as they arrive
// and kept per partition until poll drains them. poll sends the next fetches before it returns
// records, so the network works while the application processes (prefetch). Fetch sessions are
// not used: every request is a full fetch (session id 0, epoch -1), which KIP-227 allows.
//
// A buffered fetch is used only if the partition's position still equals the offset it was
// fetched from (a seek or a revocation makes it stale). OFFSET_OUT_OF_RANGE resets the position
// per autoOffsetReset; leader moves and other retriable errors refresh the metadata and back off.

import { ErrorCode, Fetch } from "@nagare/protocol";
import { decodeBatches } from "@nagare/protocol/records";
import type { Cluster } from "../cluster/cluster.ts";
import { KafkaClientError, KafkaProtocolError } from "../errors.ts";
import type { TopicPartition } from "../types.ts";
import { type RawRecord, recordsFromBatches } from "./fetch-records.ts";
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
  readonly fetchOffset: bigint;
  readonly records: RawRecord[];
  index: number;
  readonly nextOffset: bigint;
  readonly lastEpoch: number;
  readonly highWatermark: bigint;
  readonly lastStableOffset: bigint;
  readonly logStartOffset: bigint;
}

export interface DrainedPartition {
  readonly tp: TopicPartition;
  readonly records: RawRecord[];
  readonly highWatermark: bigint;
  readonly lastStableOffset: bigint;
}

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

export class Fetcher {
  private readonly cluster: Cluster;
  private readonly state: SubscriptionState;
  private readonly config: FetcherConfig;
  private readonly buffered = new Map<string, CompletedFetch>();
  private readonly inFlight = new Set<number>();
  /** Node id → no fetch before this time (after an error). */
  private readonly backoffUntil = new Map<number, number>();
  private waiters: (() => void)[] = [];
  /** An error for the application (e.g. an out-of-range offset with autoOffsetReset "none"). */
  private error: Error | undefined;
  private refreshing: Promise<unknown> | undefined;

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

  /** Sends a fetch to every leader that has none in flight, for partitions with nothing buffered. */
  async sendFetches(): Promise<void> {
    const byLeader = new Map<number, PartitionState[]>();
    const wanted = this.state.fetchable().filter((s) => !this.buffered.has(keyOf(s)));
    if (wanted.length === 0) return;
    const snapshot = await this.cluster.metadata().catch(() => undefined);
    for (const s of wanted) {
      const info = snapshot?.topics.get(s.topic)?.partitions.find((p) => p.partition === s.partition);
      const leader = info && info.leader >= 0 ? info.leader : undefined;
      if (leader === undefined) {
        this.refreshMetadata();
        continue;
      }
      if (this.inFlight.has(leader) || (this.backoffUntil.get(leader) ?? 0) > Date.now()) continue;
      const list = byLeader.get(leader);
      if (list) list.push(s);
      else byLeader.set(leader, [s]);
    }
    for (const [leader, partitions] of byLeader) {
      this.inFlight.add(leader);
      const epochs = new Map(
        partitions.map((s) => [
          keyOf(s),
          snapshot?.topics.get(s.topic)?.partitions.find((p) => p.partition === s.partition)?.leaderEpoch ??
            -1,
        ]),
      );
      void this.fetchFrom(leader, partitions, epochs).finally(() => {
        this.inFlight.delete(leader);
        this.wake();
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
    partitions: readonly PartitionState[],
    leaderEpochs: ReadonlyMap<string, number>,
  ): Promise<void> {
    const offsets = new Map(partitions.map((s) => [keyOf(s), s.position as bigint]));
    const byTopic = new Map<string, PartitionState[]>();
    for (const s of partitions) {
      const list = byTopic.get(s.topic);
      if (list) list.push(s);
      else byTopic.set(s.topic, [s]);
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
            partitions: list.map((s) => ({
              partition: s.partition,
              currentLeaderEpoch: leaderEpochs.get(keyOf(s)) ?? -1,
              fetchOffset: offsets.get(keyOf(s)) as bigint,
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
          const fetchOffset = offsets.get(keyOf(tp));
          const current = this.state.get(tp);
          // Revoked, or moved by a seek while the fetch was out: the answer is stale.
          if (fetchOffset === undefined || !current || current.position !== fetchOffset) continue;
          if (p.errorCode === ErrorCode.NONE) this.complete(tp, fetchOffset, p, current);
          else if (p.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) {
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
  ): void {
    current.highWatermark = p.highWatermark;
    current.lastStableOffset = p.lastStableOffset;
    current.logStartOffset = p.logStartOffset;
    if (p.records === null || p.records.length === 0) return;
    const batches = decodeBatches(p.records, { allowTruncatedTail: true });
    const decoded = recordsFromBatches(
      batches,
      fetchOffset,
      this.config.isolationLevel,
      p.abortedTransactions,
    );
    if (decoded.records.length === 0 && decoded.nextOffset === fetchOffset) return;
    this.buffered.set(keyOf(tp), {
      tp,
      fetchOffset,
      records: decoded.records,
      index: 0,
      nextOffset: decoded.nextOffset,
      lastEpoch: decoded.lastEpoch,
      highWatermark: p.highWatermark,
      lastStableOffset: p.lastStableOffset,
      logStartOffset: p.logStartOffset,
    });
  }

  /** True when some fetchable partition has buffered data. */
  hasData(): boolean {
    for (const s of this.state.fetchable()) if (this.buffered.has(keyOf(s))) return true;
    return false;
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
      const fetch = this.buffered.get(key);
      if (!fetch) continue;
      // Stale: the position moved (seek) since the fetch was sent.
      const expected =
        fetch.index === 0 ? fetch.fetchOffset : (fetch.records[fetch.index - 1] as RawRecord).offset + 1n;
      if (s.position !== expected) {
        this.buffered.delete(key);
        continue;
      }
      const taken = fetch.records.slice(fetch.index, fetch.index + budget);
      fetch.index += taken.length;
      budget -= taken.length;
      if (fetch.index >= fetch.records.length) {
        this.buffered.delete(key);
        s.position = fetch.nextOffset;
        s.positionEpoch = fetch.lastEpoch >= 0 ? fetch.lastEpoch : s.positionEpoch;
      } else {
        const last = taken.at(-1) as RawRecord;
        s.position = last.offset + 1n;
        s.positionEpoch = last.leaderEpoch;
      }
      if (taken.length > 0)
        result.push({
          tp: { topic: s.topic, partition: s.partition },
          records: taken,
          highWatermark: fetch.highWatermark,
          lastStableOffset: fetch.lastStableOffset,
        });
    }
    return result;
  }

  /** Drops buffered data (after a seek, a revocation, or for every partition). */
  clear(tp?: TopicPartition): void {
    if (tp) this.buffered.delete(keyOf(tp));
    else this.buffered.clear();
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
}
