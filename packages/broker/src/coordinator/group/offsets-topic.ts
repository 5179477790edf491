// The compacted internal topic __consumer_offsets, where the coordinator keeps group metadata and
// committed offsets. A group lives on partition abs(javaHashCode(groupId)) % partitions, as in
// Kafka, so Kafka's tools find it where they expect. The topic is created on first use (Kafka
// creates it on the first FindCoordinator) and read back in full when the broker starts.

import { decodeBatches, encodeMessages } from "@nagare/protocol/records";
import type { BrokerServices } from "../../broker-services.ts";
import { createTopicWithLogs } from "../../metadata/topic-validation.ts";

export const offsetsTopicName = "__consumer_offsets";

export interface OffsetsTopicRecord {
  readonly key: Buffer;
  /** null: a tombstone. */
  readonly value: Buffer | null;
}

/** Where the coordinator writes; a failed append rejects (StorageError or MetadataError). */
export interface GroupLog {
  append(groupId: string, records: readonly OffsetsTopicRecord[]): Promise<void>;
}

export type StoredRecord = OffsetsTopicRecord & { readonly timestamp: bigint };

/** The whole topic as the coordinator uses it: created on demand, replayed at start-up. */
export interface OffsetsTopicLog extends GroupLog {
  ensureCreated(): Promise<void>;
  readAll(): AsyncIterable<StoredRecord>;
}

/** Java's String.hashCode (UTF-16 code units), as Kafka uses to place a group. */
export function javaStringHash(value: string): number {
  let hash = 0;
  for (let i = 0; i < value.length; i++) hash = (Math.imul(hash, 31) + value.charCodeAt(i)) | 0;
  return hash;
}

export function partitionForGroup(groupId: string, partitions: number): number {
  // Kafka's Utils.abs: masks the sign bit (Math.abs(MIN_VALUE) would stay negative).
  return (javaStringHash(groupId) & 0x7fffffff) % partitions;
}

export type TopicHost = Pick<
  BrokerServices,
  "metadata" | "logs" | "replicas" | "logger" | "config" | "clock"
>;

const readChunkBytes = 1024 * 1024;

export class OffsetsTopic implements OffsetsTopicLog {
  private readonly host: TopicHost;
  private creating: Promise<void> | undefined;

  constructor(host: TopicHost) {
    this.host = host;
  }

  get partitions(): number {
    return (
      this.host.metadata.topic(offsetsTopicName)?.partitions ??
      Number(this.host.config.values["offsets.topic.num.partitions"])
    );
  }

  partitionFor(groupId: string): number {
    return partitionForGroup(groupId, this.partitions);
  }

  /** Creates the topic when it does not exist yet (once, however many callers ask at once). */
  ensureCreated(): Promise<void> {
    if (this.host.metadata.topic(offsetsTopicName)) return Promise.resolve();
    this.creating ??= this.create().finally(() => {
      this.creating = undefined;
    });
    return this.creating;
  }

  private async create(): Promise<void> {
    const values = this.host.config.values;
    await createTopicWithLogs(this.host, offsetsTopicName, Number(values["offsets.topic.num.partitions"]), {
      "cleanup.policy": "compact",
      "segment.bytes": String(values["offsets.topic.segment.bytes"]),
      "compression.type": "producer",
    });
  }

  async append(groupId: string, records: readonly OffsetsTopicRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.ensureCreated();
    const partition = this.host.replicas.partition(offsetsTopicName, this.partitionFor(groupId));
    if (!partition) throw new Error(`${offsetsTopicName} partition for group ${groupId} is not hosted here`);
    const timestamp = BigInt(this.host.clock());
    await partition.append(encodeMessages(records.map((r) => ({ key: r.key, value: r.value, timestamp }))));
  }

  /** Every record of the topic in log order, partition by partition (start-up load). */
  async *readAll(): AsyncGenerator<StoredRecord> {
    const topic = this.host.metadata.topic(offsetsTopicName);
    if (!topic) return;
    for (let index = 0; index < topic.partitions; index++) {
      const partition = this.host.replicas.partition(offsetsTopicName, index);
      if (!partition) continue;
      let offset = partition.log.logStartOffset;
      const end = partition.highWatermark;
      while (offset < end) {
        const { records } = await partition.log.read(offset, {
          maxBytes: readChunkBytes,
          upperBound: end,
          minOneBatch: true,
        });
        if (records.length === 0) break;
        for (const batch of decodeBatches(records, { allowTruncatedTail: true })) {
          offset = batch.baseOffset + BigInt(batch.lastOffsetDelta) + 1n;
          if (batch.isControl) continue;
          const timestamp = batch.maxTimestamp;
          for (const record of batch.records) {
            if (record.key === null) continue;
            yield { key: record.key, value: record.value, timestamp };
          }
        }
      }
    }
  }
}
