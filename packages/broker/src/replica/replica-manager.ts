// The partitions this broker hosts. Each Partition owns its log plus replication state (leader
// epoch, high watermark kept apart from the log end offset — on one node HW = LEO after each
// append) and wakes delayed fetches when data arrives.

import type { AppendResult, PartitionLog } from "@nagare/storage";
import type { TopicMetadata } from "../metadata/metadata-image.ts";
import type { FetchSessionCache } from "./fetch-sessions.ts";

export interface Partition {
  readonly topic: string;
  readonly index: number;
  readonly log: PartitionLog;
  readonly leaderEpoch: number;
  readonly highWatermark: bigint;
  /** The high watermark, or the first offset of an ongoing transaction below it (read_committed). */
  readonly lastStableOffset: bigint;
  /** Validates, assigns offsets, appends; advances the high watermark and wakes waiting fetches. */
  append(records: Buffer, options?: PartitionAppendOptions): Promise<AppendResult>;
}

export interface PartitionAppendOptions {
  /**
   * "coordinator": written by a coordinator of this broker (transactional offset commits carry
   * no sequence numbers; transaction markers are control batches only a coordinator may write).
   */
  readonly origin?: "client" | "coordinator";
}

export interface ReplicaManager {
  partition(topic: string, index: number): Partition | undefined;
  /** Opens (creating when missing) the logs of every partition of `topic`. */
  ensurePartitions(topic: TopicMetadata): Promise<void>;
  /** Closes and deletes the topic's logs from disk. */
  removeTopic(name: string): Promise<void>;
  /** Applies changed topic configs to the open logs (retention, compaction, segments). */
  updateTopicConfig(topic: TopicMetadata): void;
  /**
   * Long polling (Fetch): resolves once `bytes` more bytes were appended to any of `partitions`,
   * one of them was removed, or `maxWaitMs` passed. Never rejects.
   */
  awaitAppends(
    partitions: readonly { readonly topic: string; readonly partition: number }[],
    bytes: number,
    maxWaitMs: number,
  ): Promise<void>;
  /** KIP-227 incremental fetch sessions. */
  readonly fetchSessions: FetchSessionCache;
  close(): Promise<void>;
}
