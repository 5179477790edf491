// One hosted partition: its log plus the replication state the cluster will need. On one node this
// broker is the leader at epoch 0 and the high watermark follows the log end offset after each
// append — but it is kept apart from it, so reads capped by the HW already behave as they will
// with followers (DESIGN.md, "Seams for the cluster").

import type { AppendResult, PartitionLog } from "@nagare/storage";
import type { Partition, PartitionAppendOptions } from "./replica-manager.ts";

export interface LocalPartitionOptions {
  readonly topic: string;
  readonly index: number;
  readonly log: PartitionLog;
  readonly leaderEpoch?: number;
  /** Called after the high watermark advanced over `bytes` newly appended bytes. */
  readonly onAppend?: (partition: LocalPartition, bytes: number) => void;
}

/** The replica manager's key of a partition (topic names cannot contain ':'). */
export function partitionKey(topic: string, index: number): string {
  return `${topic}:${index}`;
}

export class LocalPartition implements Partition {
  readonly topic: string;
  readonly index: number;
  readonly log: PartitionLog;
  readonly leaderEpoch: number;
  readonly key: string;
  private hw: bigint;
  private readonly onAppend: ((partition: LocalPartition, bytes: number) => void) | undefined;

  constructor(options: LocalPartitionOptions) {
    this.topic = options.topic;
    this.index = options.index;
    this.log = options.log;
    this.leaderEpoch = options.leaderEpoch ?? 0;
    this.key = partitionKey(this.topic, this.index);
    this.onAppend = options.onAppend;
    // Alone, every offset in the log is replicated to the whole ISR (this broker) at start-up.
    this.hw = this.log.logEndOffset;
  }

  get highWatermark(): bigint {
    // A truncation (replica fetcher, later) may pull the log end below a stale HW.
    const end = this.log.logEndOffset;
    if (end < this.hw) return end;
    return this.hw;
  }

  get lastStableOffset(): bigint {
    const hw = this.highWatermark;
    const firstUnstable = this.log.firstUnstableOffset;
    return firstUnstable !== undefined && firstUnstable < hw ? firstUnstable : hw;
  }

  async append(records: Buffer, options: PartitionAppendOptions = {}): Promise<AppendResult> {
    const result = await this.log.append(records, {
      leaderEpoch: this.leaderEpoch,
      origin: options.origin ?? "client",
    });
    if (result.batches.length === 0) return result;
    // Only up to this append's own end: a later append still in flight (e.g. waiting for its
    // fsync with flush.messages=1) is not acknowledged yet and must not become readable first.
    const end = result.lastOffset + 1n;
    if (end > this.hw) this.hw = end;
    this.onAppend?.(this, records.length);
    return result;
  }
}
