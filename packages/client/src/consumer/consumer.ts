// The consumer (Kafka's KafkaConsumer, classic group protocol): subscribe to topics and patterns
// as a member of a group, or assign partitions by hand; read through poll(), the record iterator
// or batches(); commit positions automatically (every autoCommitIntervalMs, before a rebalance
// takes partitions away, and on close) or explicitly.
//
// Everything with a side effect on the group — joining, rebalance listeners, auto-commits — runs
// inside poll, so it happens between the application's batches. Heartbeats run on a timer.
//
// Positions follow the iterator: a record counts as consumed once the iterator has handed it out,
// so a commit (or close) inside a for-await loop never covers records the loop has not seen, and
// breaking out of the loop rewinds the positions of the rest of the batch.

import { Cluster } from "../cluster/cluster.ts";
import { KafkaClientError, KafkaProtocolError } from "../errors.ts";
import type { ConsumerRecord, TopicPartition } from "../types.ts";
import { type PartitionAssignor, resolveAssignors } from "./assignors/index.ts";
import { CommitFailedError } from "./consumer-errors.ts";
import { type DrainedPartition, Fetcher } from "./fetcher.ts";
import { GroupMembership } from "./group-membership.ts";
import { commitOffsets, fetchCommitted, listOffsets, type TopicPartitionOffset } from "./offsets.ts";
import {
  type ConsumerOptions,
  type RebalanceListener,
  type ResolvedConsumerConfig,
  resolveConsumerConfig,
} from "./options.ts";
import { updatePositions } from "./positions.ts";
import { keyOf, SubscriptionState, tpKey } from "./subscription-state.ts";

export interface PartitionBatch<K, V> extends TopicPartition {
  readonly records: readonly ConsumerRecord<K, V>[];
  readonly highWatermark: bigint;
  /** -1 unless the broker reported it (Fetch v4+). */
  readonly lastStableOffset: bigint;
}

/** What one poll returned: every record, and the same records per partition. */
export interface ConsumerBatch<K, V> {
  readonly records: readonly ConsumerRecord<K, V>[];
  readonly partitions: readonly PartitionBatch<K, V>[];
}

/** For TransactionalProducer.sendOffsetsToTransaction (KIP-447). */
export interface ConsumerGroupMetadata {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

export type ConsumerEvent = "assigned" | "revoked" | "lost";
export type CommitCallback = (error: Error | null, offsets: readonly TopicPartitionOffset[]) => void;

const ERROR_REBALANCE_IN_PROGRESS = 27;
const ERROR_ILLEGAL_GENERATION = 22;
const ERROR_UNKNOWN_MEMBER_ID = 25;

export class Consumer<K = string | null, V = string | null> implements AsyncIterable<ConsumerRecord<K, V>> {
  private readonly config: ResolvedConsumerConfig<K, V>;
  private readonly cluster: Cluster;
  private readonly state = new SubscriptionState();
  private readonly fetcher: Fetcher;
  private readonly assignors: readonly PartitionAssignor[];
  private readonly requestTimeoutMs: number;
  private membership: GroupMembership | undefined;
  private readonly listeners: Record<ConsumerEvent, RebalanceListener[]> = {
    assigned: [],
    revoked: [],
    lost: [],
  };
  private connecting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private polling = false;
  private nextAutoCommitAt = 0;
  private nextPatternCheckAt = 0;
  /** The iterator's records not yet handed out: the first offset per partition. */
  private readonly undelivered = new Map<string, bigint>();
  private readonly pendingCommits = new Set<Promise<void>>();

  constructor(options: ConsumerOptions<K, V>) {
    this.config = resolveConsumerConfig(options);
    this.assignors = resolveAssignors(this.config.partitionAssignmentStrategy);
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.cluster = new Cluster(options);
    this.fetcher = new Fetcher(this.cluster, this.state, this.config);
    if (options.onAssigned) this.listeners.assigned.push(options.onAssigned);
    if (options.onRevoked) this.listeners.revoked.push(options.onRevoked);
    if (options.onLost) this.listeners.lost.push(options.onLost);
  }

  /** Reaches a broker and loads metadata (poll does this on first use too). */
  connect(): Promise<void> {
    if (this.closing) return Promise.reject(new KafkaClientError("the consumer is closed", false));
    return this.ensureConnected();
  }

  /** connect() without the closed check: close() still commits through it. */
  private ensureConnected(): Promise<void> {
    this.connecting ??= (async () => {
      await this.cluster.anyConnection();
      await this.cluster.metadata();
    })();
    this.connecting.catch(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /** Group management: topic names and RegExp patterns (patterns are matched on metadata refresh). */
  subscribe(topics: readonly (string | RegExp)[]): void {
    const groupId = this.config.groupId;
    if (groupId === undefined)
      throw new KafkaClientError("subscribe() needs a groupId; use assign() without one", false);
    if (this.state.mode === "assigned")
      throw new KafkaClientError("subscribe() after assign(): unsubscribe first", false);
    this.state.mode = "subscribed";
    this.state.topics = topics.filter((t): t is string => typeof t === "string");
    this.state.patterns = topics.filter((t): t is RegExp => t instanceof RegExp);
    if (this.state.patterns.length === 0) this.state.matchedTopics = [];
    this.nextPatternCheckAt = 0;
    this.cluster.addTopics(this.state.topics);
    this.membership ??= new GroupMembership(
      this.cluster,
      {
        groupId,
        groupInstanceId: this.config.groupInstanceId,
        sessionTimeoutMs: this.config.sessionTimeoutMs,
        heartbeatIntervalMs: this.config.heartbeatIntervalMs,
        maxPollIntervalMs: this.config.maxPollIntervalMs,
        requestTimeoutMs: this.requestTimeoutMs,
        clientRack: this.config.clientRack,
        assignors: this.assignors,
      },
      {
        subscribedTopics: () => this.state.subscribedTopics(),
        ownedPartitions: () => this.state.assigned(),
        beforeJoin: (protocol, lost) => this.beforeJoin(protocol, lost),
        onAssignment: (partitions, protocol) => this.onAssignment(partitions, protocol),
        partitionCounts: (topicList) => this.partitionCounts(topicList),
        wake: () => this.fetcher.wake(),
      },
    );
    this.membership.requestRejoin();
  }

  /** Manual assignment: no group management (commits, if any, are simple commits). */
  assign(partitions: readonly TopicPartition[]): void {
    if (this.state.mode === "subscribed")
      throw new KafkaClientError("assign() after subscribe(): unsubscribe first", false);
    this.state.mode = partitions.length === 0 ? "none" : "assigned";
    this.setAssignment(partitions);
    this.cluster.addTopics(partitions.map((p) => p.topic));
  }

  /** Leaves the group (or drops the manual assignment). */
  async unsubscribe(): Promise<void> {
    if (this.state.mode === "subscribed" && this.membership) {
      await this.commitBeforeLosing();
      await this.emit(this.membership.generationId < 0 ? "lost" : "revoked", this.state.assigned());
      await this.membership.leave("the consumer unsubscribed");
    }
    this.state.mode = "none";
    this.state.topics = [];
    this.state.patterns = [];
    this.state.matchedTopics = [];
    this.setAssignment([]);
  }

  assignment(): TopicPartition[] {
    return this.state.assigned();
  }

  subscription(): (string | RegExp)[] {
    return [...this.state.topics, ...this.state.patterns];
  }

  on(event: ConsumerEvent, listener: RebalanceListener): this {
    this.listeners[event].push(listener);
    return this;
  }

  off(event: ConsumerEvent, listener: RebalanceListener): this {
    this.listeners[event] = this.listeners[event].filter((l) => l !== listener);
    return this;
  }

  /** Records available within `timeoutMs` (at most maxPollRecords); empty when none arrived or closed. */
  async poll(timeoutMs: number): Promise<ConsumerRecord<K, V>[]> {
    return [...((await this.pollBatch(timeoutMs))?.records ?? [])];
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<ConsumerRecord<K, V>, void, undefined> {
    try {
      for (;;) {
        const batch = await this.pollBatch(Number.POSITIVE_INFINITY);
        if (batch === null) return;
        // A poll's records come partition by partition (batch.records is partitions' records in
        // order): each partition's first record is undelivered until its turn.
        const keys = batch.partitions.map((p) => tpKey(p.topic, p.partition));
        for (let i = 0; i < keys.length; i++)
          this.undelivered.set(keys[i] as string, batch.partitions[i]?.records[0]?.offset ?? 0n);
        for (let i = 0; i < batch.partitions.length; i++) {
          const list = (batch.partitions[i] as PartitionBatch<K, V>).records;
          const key = keys[i] as string;
          for (let j = 0; j < list.length; j++) {
            const next = list[j + 1];
            if (next === undefined) this.undelivered.delete(key);
            else this.undelivered.set(key, next.offset);
            yield list[j] as ConsumerRecord<K, V>;
            if (this.closing) return;
          }
        }
      }
    } finally {
      // The loop broke (or the consumer closed): records not handed out are read again later.
      for (const [key, offset] of this.undelivered) {
        const s = this.state.states().find((p) => tpKey(p.topic, p.partition) === key);
        if (s) {
          this.state.seek(s, offset, s.positionEpoch);
          this.fetcher.clear(s);
        }
      }
      this.undelivered.clear();
    }
  }

  /** Every poll's records as one batch, with per-partition detail. */
  async *batches(): AsyncGenerator<ConsumerBatch<K, V>, void, undefined> {
    for (;;) {
      const batch = await this.pollBatch(Number.POSITIVE_INFINITY);
      if (batch === null) return;
      if (batch.records.length > 0) yield batch;
      if (this.closing) return;
    }
  }

  /** One poll: null once the consumer is closing. */
  private async pollBatch(timeoutMs: number): Promise<ConsumerBatch<K, V> | null> {
    if (this.closing) return null;
    if (this.polling)
      throw new KafkaClientError("poll is already running: use one iterator or poll at a time", false);
    this.polling = true;
    try {
      await this.connect();
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (this.closing) return null;
        this.membership?.pollCalled();
        this.fetcher.throwPendingError();
        this.maybeAutoCommit();
        if (this.state.mode === "subscribed" && this.membership) {
          await this.checkMetadata();
          await this.membership.ensureActive();
          if (this.closing) return null;
        }
        await updatePositions(
          this.cluster,
          this.state,
          this.config.groupId,
          this.config.autoOffsetReset,
          this.config.isolationLevel,
        );
        const drained = this.fetcher.drain(this.config.maxPollRecords);
        // Prefetch: the next fetches go out while the application works on these records.
        await this.fetcher.sendFetches();
        if (drained.length > 0) return this.toBatch(drained);
        const remaining = deadline - Date.now();
        if (remaining <= 0) return { records: [], partitions: [] };
        if (!this.fetcher.hasData()) await this.fetcher.waitForData(Math.min(remaining, 1000));
      }
    } catch (error) {
      if (this.closing) return null;
      throw error;
    } finally {
      this.polling = false;
    }
  }

  private toBatch(drained: readonly DrainedPartition[]): ConsumerBatch<K, V> {
    const { keyDeserializer, valueDeserializer } = this.config;
    const partitions: PartitionBatch<K, V>[] = [];
    for (const d of drained) {
      const topic = d.tp.topic;
      // Deserialized in place: the decoder's record objects are the application's (no copy per
      // record). They were just drained and are referenced nowhere else.
      for (const r of d.records) {
        r.key = keyDeserializer.deserialize(r.key as Buffer | null, topic);
        r.value = valueDeserializer.deserialize(r.value as Buffer | null, topic);
      }
      partitions.push({
        ...d.tp,
        records: d.records as ConsumerRecord<unknown, unknown>[] as ConsumerRecord<K, V>[],
        highWatermark: d.highWatermark,
        lastStableOffset: d.lastStableOffset,
      });
    }
    const first = partitions[0];
    const records =
      partitions.length === 1 && first ? first.records.slice() : partitions.flatMap((p) => p.records);
    return { records, partitions };
  }

  /** Pattern subscriptions: match every topic name (periodically); the leader watches partition counts. */
  private async checkMetadata(): Promise<void> {
    const membership = this.membership;
    if (!membership) return;
    if (this.state.patterns.length > 0 && Date.now() >= this.nextPatternCheckAt) {
      this.nextPatternCheckAt = Date.now() + this.config.metadataMaxAgeMs;
      const topics = await this.cluster.allTopics();
      const matched = [...topics.values()]
        .filter((t) => t.errorCode === 0 && !(t.isInternal && this.config.excludeInternalTopics))
        .map((t) => t.name)
        .filter((name) =>
          this.state.patterns.some((p) => new RegExp(p.source, p.flags.replace("g", "")).test(name)),
        )
        .sort();
      if (matched.join("\n") !== [...this.state.matchedTopics].join("\n")) {
        this.state.matchedTopics = matched;
        this.cluster.addTopics(matched);
        membership.requestRejoin();
      }
    }
    const snapshot = membership.assignmentSnapshot;
    if (snapshot && !membership.needsJoin) {
      const topics = [...new Set([...snapshot.keys(), ...this.state.subscribedTopics()])];
      const counts = await this.partitionCounts(topics);
      const changed =
        counts.size !== snapshot.size || [...counts].some(([topic, count]) => snapshot.get(topic) !== count);
      if (changed) membership.requestRejoin();
    }
  }

  private async partitionCounts(topics: readonly string[]): Promise<Map<string, number>> {
    const snapshot = await this.cluster.metadata([...topics]);
    const counts = new Map<string, number>();
    for (const topic of topics) {
      const info = snapshot.topics.get(topic);
      if (info && info.errorCode === 0 && info.partitions.length > 0)
        counts.set(topic, info.partitions.length);
    }
    return counts;
  }

  private setAssignment(partitions: readonly TopicPartition[]): void {
    const keep = new Set(partitions.map(keyOf));
    for (const tp of this.state.assigned()) if (!keep.has(keyOf(tp))) this.fetcher.clear(tp);
    this.state.setAssignment(partitions);
  }

  private async emit(event: ConsumerEvent, partitions: readonly TopicPartition[]): Promise<void> {
    if (partitions.length === 0) return;
    for (const listener of [...this.listeners[event]]) await listener([...partitions]);
  }

  /** Kafka's onJoinPrepare. */
  private async beforeJoin(protocol: "eager" | "cooperative", lost: boolean): Promise<void> {
    const owned = this.state.assigned();
    if (lost) {
      await this.emit("lost", owned);
      this.setAssignment([]);
      return;
    }
    if (protocol === "eager") {
      await this.commitBeforeLosing();
      await this.emit("revoked", owned);
      this.setAssignment([]);
      return;
    }
    // Cooperative: only partitions of topics no longer subscribed go now.
    const subscribed = new Set(this.state.subscribedTopics());
    const revoked = owned.filter((tp) => !subscribed.has(tp.topic));
    if (revoked.length === 0) return;
    await this.commitBeforeLosing(revoked);
    await this.emit("revoked", revoked);
    this.setAssignment(owned.filter((tp) => subscribed.has(tp.topic)));
  }

  /** Kafka's onJoinComplete. */
  private async onAssignment(partitions: TopicPartition[], protocol: "eager" | "cooperative"): Promise<void> {
    const owned = this.state.assigned();
    const newKeys = new Set(partitions.map(keyOf));
    const ownedKeys = new Set(owned.map(keyOf));
    const added = partitions.filter((tp) => !ownedKeys.has(keyOf(tp)));
    if (protocol === "cooperative") {
      const revoked = owned.filter((tp) => !newKeys.has(keyOf(tp)));
      if (revoked.length > 0) {
        // KIP-429: give these up, then rejoin so the next round can hand them to their new owner.
        await this.commitBeforeLosing(revoked);
        await this.emit("revoked", revoked);
        this.membership?.requestRejoin();
      }
    }
    this.setAssignment(partitions);
    this.nextAutoCommitAt = Date.now() + this.config.autoCommitIntervalMs;
    await this.emit("assigned", added);
  }

  /** Auto-commit before partitions go away (errors are not fatal: the new owner re-reads). */
  private async commitBeforeLosing(partitions?: readonly TopicPartition[]): Promise<void> {
    if (!this.config.enableAutoCommit || this.config.groupId === undefined) return;
    const only = partitions ? new Set(partitions.map(keyOf)) : undefined;
    const offsets = this.consumedOffsets().filter((o) => !only || only.has(keyOf(o)));
    await this.doCommit(offsets).catch(() => undefined);
  }

  private maybeAutoCommit(): void {
    if (!this.config.enableAutoCommit || this.config.groupId === undefined) return;
    if (Date.now() < this.nextAutoCommitAt) return;
    this.nextAutoCommitAt = Date.now() + this.config.autoCommitIntervalMs;
    if (this.state.mode === "subscribed" && !this.membership?.inStableGroup) return;
    const offsets = this.consumedOffsets();
    if (offsets.length > 0) this.commitAsync(offsets);
  }

  /** Positions of every assigned partition, as the iterator has handed records out. */
  private consumedOffsets(): TopicPartitionOffset[] {
    const result: TopicPartitionOffset[] = [];
    for (const [key, p] of this.state.positions()) {
      const undelivered = this.undelivered.get(key);
      result.push({
        ...p.tp,
        offset: undelivered ?? p.offset,
        leaderEpoch: undelivered === undefined ? p.leaderEpoch : -1,
        metadata: null,
      });
    }
    return result;
  }

  /** Commits the consumed positions, or `offsets` (the next offset to read, per partition). */
  async commit(offsets?: readonly TopicPartitionOffset[]): Promise<void> {
    await this.doCommit(offsets ?? this.consumedOffsets());
  }

  /** Commits without waiting; `callback` hears the outcome. close() waits for these. */
  commitAsync(offsets?: readonly TopicPartitionOffset[], callback?: CommitCallback): void {
    const list = offsets ?? this.consumedOffsets();
    const pending: Promise<void> = this.doCommit(list).then(
      () => callback?.(null, list),
      (error: unknown) => callback?.(error instanceof Error ? error : new Error(String(error)), list),
    );
    this.pendingCommits.add(pending);
    void pending.finally(() => this.pendingCommits.delete(pending));
  }

  private async doCommit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    const groupId = this.config.groupId;
    if (groupId === undefined) throw new KafkaClientError("committing offsets needs a groupId", false);
    if (offsets.length === 0) return;
    await this.ensureConnected();
    const membership = this.state.mode === "subscribed" ? this.membership : undefined;
    if (membership && membership.generationId < 0)
      throw new CommitFailedError(
        "the consumer is not part of an active group generation: poll to rejoin",
        undefined,
      );
    const identity = membership
      ? {
          generationId: membership.generationId,
          memberId: membership.memberId,
          groupInstanceId: this.config.groupInstanceId,
        }
      : { generationId: -1, memberId: "", groupInstanceId: null };
    try {
      await commitOffsets(this.cluster, groupId, identity, offsets);
    } catch (error) {
      if (error instanceof KafkaProtocolError && membership) {
        if (error.code === ERROR_ILLEGAL_GENERATION || error.code === ERROR_UNKNOWN_MEMBER_ID) {
          membership.resetGeneration();
          throw new CommitFailedError(`the group moved on without this member (${error.type})`, error);
        }
        if (error.code === ERROR_REBALANCE_IN_PROGRESS) membership.requestRejoin();
      }
      throw error;
    }
  }

  /** The group's committed offsets for `partitions` (those without a commit are left out). */
  async committed(partitions: readonly TopicPartition[]): Promise<TopicPartitionOffset[]> {
    const groupId = this.config.groupId;
    if (groupId === undefined) throw new KafkaClientError("committed() needs a groupId", false);
    await this.connect();
    const found = await fetchCommitted(this.cluster, groupId, partitions);
    return partitions.flatMap((tp) => {
      const c = found.get(keyOf(tp));
      return c ? [{ ...tp, offset: c.offset, leaderEpoch: c.leaderEpoch, metadata: c.metadata }] : [];
    });
  }

  /** The offset of the next record the application will get (undefined until known). */
  position(tp: TopicPartition): bigint | undefined {
    return this.undelivered.get(keyOf(tp)) ?? this.state.require(tp).position ?? undefined;
  }

  seek(tp: TopicPartition, offset: bigint | number): void {
    this.state.seek(tp, BigInt(offset));
    this.fetcher.clear(tp);
    this.undelivered.delete(keyOf(tp));
  }

  /** Seeks to the first offset whose timestamp is ≥ `timestampMs`, or to the end when none is. */
  async seekToTimestamp(tp: TopicPartition, timestampMs: number): Promise<void> {
    this.state.require(tp);
    await this.connect();
    const listed = await listOffsets(
      this.cluster,
      [tp],
      { timestamp: timestampMs },
      this.config.isolationLevel,
    );
    const answer = listed.get(keyOf(tp));
    if (answer && answer.offset >= 0n) this.seek(tp, answer.offset);
    else this.seekToEnd([tp]);
  }

  /** Lazily: the position is looked up at the next poll. Default: every assigned partition. */
  seekToBeginning(partitions: readonly TopicPartition[] = this.state.assigned()): void {
    this.requestReset(partitions, "earliest");
  }

  seekToEnd(partitions: readonly TopicPartition[] = this.state.assigned()): void {
    this.requestReset(partitions, "latest");
  }

  private requestReset(partitions: readonly TopicPartition[], to: "earliest" | "latest"): void {
    for (const tp of partitions) {
      this.state.require(tp).pendingReset = to;
      this.fetcher.clear(tp);
      this.undelivered.delete(keyOf(tp));
    }
  }

  pause(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.state.require(tp).paused = true;
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.state.require(tp).paused = false;
    this.fetcher.wake();
  }

  paused(): TopicPartition[] {
    return this.state
      .states()
      .filter((s) => s.paused)
      .map(({ topic, partition }) => ({ topic, partition }));
  }

  groupMetadata(): ConsumerGroupMetadata {
    const groupId = this.config.groupId;
    if (groupId === undefined) throw new KafkaClientError("groupMetadata() needs a groupId", false);
    return {
      groupId,
      generationId: this.membership?.generationId ?? -1,
      memberId: this.membership?.memberId ?? "",
      groupInstanceId: this.config.groupInstanceId,
    };
  }

  /**
   * Ends iteration, commits the consumed positions (auto-commit), waits for async commits, gives
   * up the partitions (listeners run), leaves the group unless static, and disconnects.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.fetcher.stop();
    const connected = await this.connecting?.then(
      () => true,
      () => false,
    );
    try {
      if (connected) {
        const membership = this.state.mode === "subscribed" ? this.membership : undefined;
        if (!membership || membership.generationId >= 0) await this.commitBeforeLosing();
        await Promise.allSettled([...this.pendingCommits]);
        if (membership) {
          await this.emit(membership.generationId < 0 ? "lost" : "revoked", this.state.assigned());
          await membership.leave("the consumer is being closed");
        }
      }
    } finally {
      this.membership?.stop();
      this.state.setAssignment([]);
      this.fetcher.clear();
      await this.cluster.close();
    }
  }
}
