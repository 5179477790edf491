// What the consumer reads: its subscription (topic names and patterns, or a manual assignment),
// the assigned partitions, and per partition the position (the offset of the next record to hand
// to the application, with the leader epoch of the record before it), pause state and any
// pending offset reset (Kafka's SubscriptionState).

import type { TopicPartition } from "../types.ts";

export type ResetStrategy = "earliest" | "latest";

export interface PartitionState {
  readonly topic: string;
  readonly partition: number;
  /** Null until initialised from the committed offset or a reset. */
  position: bigint | null;
  /** Leader epoch of the last consumed record (-1 when unknown); committed with the offset. */
  positionEpoch: number;
  paused: boolean;
  /** A reset to carry out before the next fetch (seekToBeginning/End, or autoOffsetReset). */
  pendingReset: ResetStrategy | null;
  highWatermark: bigint;
  lastStableOffset: bigint;
  logStartOffset: bigint;
}

export type SubscriptionMode = "none" | "subscribed" | "assigned";

export const tpKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;
export const keyOf = (tp: TopicPartition): string => tpKey(tp.topic, tp.partition);

export class SubscriptionState {
  mode: SubscriptionMode = "none";
  /** Names from subscribe(). */
  topics: readonly string[] = [];
  patterns: readonly RegExp[] = [];
  /** Topics the patterns matched at the last metadata check. */
  matchedTopics: readonly string[] = [];
  private readonly partitions = new Map<string, PartitionState>();

  /** Every topic the subscription stands for right now (names plus pattern matches), sorted. */
  subscribedTopics(): string[] {
    return [...new Set([...this.topics, ...this.matchedTopics])].sort();
  }

  /** Replaces the assignment; partitions kept keep their state. */
  setAssignment(partitions: readonly TopicPartition[]): void {
    const keep = new Set(partitions.map(keyOf));
    for (const key of [...this.partitions.keys()]) if (!keep.has(key)) this.partitions.delete(key);
    for (const tp of partitions) {
      const key = keyOf(tp);
      if (this.partitions.has(key)) continue;
      this.partitions.set(key, {
        topic: tp.topic,
        partition: tp.partition,
        position: null,
        positionEpoch: -1,
        paused: false,
        pendingReset: null,
        highWatermark: -1n,
        lastStableOffset: -1n,
        logStartOffset: -1n,
      });
    }
  }

  assigned(): TopicPartition[] {
    return [...this.partitions.values()].map(({ topic, partition }) => ({ topic, partition }));
  }

  states(): PartitionState[] {
    return [...this.partitions.values()];
  }

  get(tp: TopicPartition): PartitionState | undefined {
    return this.partitions.get(keyOf(tp));
  }

  /** The partition's state, or an error naming it when it is not assigned (Kafka's IllegalStateException). */
  require(tp: TopicPartition): PartitionState {
    const state = this.get(tp);
    if (!state) throw new Error(`${tp.topic}-${tp.partition} is not assigned to this consumer`);
    return state;
  }

  seek(tp: TopicPartition, offset: bigint, epoch = -1): void {
    const state = this.require(tp);
    state.position = offset;
    state.positionEpoch = epoch;
    state.pendingReset = null;
  }

  /** Fetchable: assigned, positioned, not paused. */
  fetchable(): PartitionState[] {
    return this.states().filter((s) => s.position !== null && s.pendingReset === null && !s.paused);
  }

  /** Positions of every positioned partition, to commit. */
  positions(): Map<string, { tp: TopicPartition; offset: bigint; leaderEpoch: number }> {
    const result = new Map<string, { tp: TopicPartition; offset: bigint; leaderEpoch: number }>();
    for (const s of this.partitions.values())
      if (s.position !== null)
        result.set(tpKey(s.topic, s.partition), {
          tp: { topic: s.topic, partition: s.partition },
          offset: s.position,
          leaderEpoch: s.positionEpoch,
        });
    return result;
  }
}
