// The records applications send and receive.

export interface RecordHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

export interface ProducerRecord<K, V> {
  readonly topic: string;
  readonly key?: K;
  readonly value: V;
  /** Chosen by the partitioner when omitted. */
  readonly partition?: number;
  readonly headers?: readonly RecordHeader[] | Readonly<Record<string, string | Buffer>>;
  /** Milliseconds since the epoch (CreateTime); now when omitted. */
  readonly timestamp?: number;
}

export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  /** -1 for acks=0 (the broker does not say). */
  readonly offset: bigint;
  /** The broker's time for LogAppendTime topics, else the record's timestamp. */
  readonly timestamp: number;
}

export interface ConsumerRecord<K, V> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly timestamp: number;
  readonly timestampType: "CreateTime" | "LogAppendTime";
  readonly key: K;
  readonly value: V;
  readonly headers: readonly RecordHeader[];
  /** The partition leader epoch of the record's batch (-1 when unknown). */
  readonly leaderEpoch: number;
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}
