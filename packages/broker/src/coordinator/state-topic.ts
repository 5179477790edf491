// A compacted internal topic where a coordinator keeps its state (__consumer_offsets for groups,
// __transaction_state for transactions). A key lives on partition abs(javaHashCode(key)) %
// partitions, as in Kafka, so Kafka's tools find it where they expect. The topic is created on
// first use (Kafka creates it on the first FindCoordinator) and read back in full at start-up,
// batch by batch, so a reader can tell transactional records and their markers apart.

import { ControlRecordType, decodeBatches, encodeMessages, readEndTxnMarker } from "@nagare/protocol/records";
import type { BrokerServices } from "../broker-services.ts";
import { createTopicWithLogs } from "../metadata/topic-validation.ts";

export interface StateRecord {
  readonly key: Buffer;
  /** null: a tombstone. */
  readonly value: Buffer | null;
}

/** What a replay sees: plain or transactional records, and transaction markers. */
export type StoredEntry =
  | (StateRecord & {
      readonly kind: "record";
      readonly partition: number;
      readonly timestamp: bigint;
      /** The producer of a transactional batch, else undefined. */
      readonly transactionalProducer: bigint | undefined;
    })
  | {
      readonly kind: "marker";
      readonly partition: number;
      readonly producerId: bigint;
      readonly commit: boolean;
    };

/** A transactional write: the producer whose transaction the records belong to. */
export interface TxnWrite {
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

/** Where a coordinator writes; a failed append rejects (StorageError or MetadataError). */
export interface StateLog {
  /** Appends to the partition of `key`; with `txn`, as part of that producer's transaction. */
  append(key: string, records: readonly StateRecord[], txn?: TxnWrite): Promise<void>;
  /** The partition a key's records go to. */
  partitionFor(key: string): number;
}

/** The whole topic as a coordinator uses it: created on demand, replayed at start-up. */
export interface StateTopicLog extends StateLog {
  ensureCreated(): Promise<void>;
  readAll(): AsyncIterable<StoredEntry>;
}

/** Java's String.hashCode (UTF-16 code units), as Kafka uses to place a group or transaction. */
export function javaStringHash(value: string): number {
  let hash = 0;
  for (let i = 0; i < value.length; i++) hash = (Math.imul(hash, 31) + value.charCodeAt(i)) | 0;
  return hash;
}

export function partitionForKey(key: string, partitions: number): number {
  // Kafka's Utils.abs: masks the sign bit (Math.abs(MIN_VALUE) would stay negative).
  return (javaStringHash(key) & 0x7fffffff) % partitions;
}

export type TopicHost = Pick<
  BrokerServices,
  "metadata" | "logs" | "replicas" | "logger" | "config" | "clock"
>;

export interface StateTopicSpec {
  readonly name: string;
  /** Broker config with the partition count, e.g. offsets.topic.num.partitions. */
  readonly partitionsConfig: string;
  /** Broker config with the segment size, e.g. offsets.topic.segment.bytes. */
  readonly segmentBytesConfig: string;
}

const readChunkBytes = 1024 * 1024;

export class StateTopic implements StateTopicLog {
  readonly spec: StateTopicSpec;
  private readonly host: TopicHost;
  private creating: Promise<void> | undefined;

  constructor(host: TopicHost, spec: StateTopicSpec) {
    this.host = host;
    this.spec = spec;
  }

  get partitions(): number {
    return (
      this.host.metadata.topic(this.spec.name)?.partitions ??
      Number(this.host.config.values[this.spec.partitionsConfig])
    );
  }

  partitionFor(key: string): number {
    return partitionForKey(key, this.partitions);
  }

  /** Creates the topic when it does not exist yet (once, however many callers ask at once). */
  ensureCreated(): Promise<void> {
    if (this.host.metadata.topic(this.spec.name)) return Promise.resolve();
    this.creating ??= this.create().finally(() => {
      this.creating = undefined;
    });
    return this.creating;
  }

  private async create(): Promise<void> {
    const values = this.host.config.values;
    await createTopicWithLogs(this.host, this.spec.name, Number(values[this.spec.partitionsConfig]), {
      "cleanup.policy": "compact",
      "segment.bytes": String(values[this.spec.segmentBytesConfig]),
      "compression.type": "producer",
    });
  }

  async append(key: string, records: readonly StateRecord[], txn?: TxnWrite): Promise<void> {
    if (records.length === 0) return;
    await this.ensureCreated();
    const partition = this.host.replicas.partition(this.spec.name, this.partitionFor(key));
    if (!partition) throw new Error(`${this.spec.name} partition for ${key} is not hosted here`);
    const timestamp = BigInt(this.host.clock());
    const batch = encodeMessages(
      records.map((r) => ({ key: r.key, value: r.value, timestamp })),
      txn ? { producerId: txn.producerId, producerEpoch: txn.producerEpoch, isTransactional: true } : {},
    );
    await partition.append(batch, txn ? { origin: "coordinator" } : undefined);
  }

  /** Every entry of the topic in log order, partition by partition (start-up load). */
  async *readAll(): AsyncGenerator<StoredEntry> {
    const topic = this.host.metadata.topic(this.spec.name);
    if (!topic) return;
    for (let index = 0; index < topic.partitions; index++) {
      const partition = this.host.replicas.partition(this.spec.name, index);
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
          if (batch.isControl) {
            const marker = readEndTxnMarker(batch);
            if (marker)
              yield {
                kind: "marker",
                partition: index,
                producerId: batch.producerId,
                commit: marker.type === ControlRecordType.COMMIT,
              };
            continue;
          }
          const transactionalProducer = batch.isTransactional ? batch.producerId : undefined;
          for (const record of batch.records) {
            if (record.key === null) continue;
            yield {
              kind: "record",
              partition: index,
              key: record.key,
              value: record.value,
              timestamp: batch.maxTimestamp,
              transactionalProducer,
            };
          }
        }
      }
    }
  }
}
