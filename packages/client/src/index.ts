// @nagare/client: a Kafka client on @nagare/protocol.

export {
  Admin,
  type AdminOptions,
  type CommittedOffset,
  type GroupDescription,
  type GroupListing,
  type GroupMemberDescription,
  type NewTopic,
  type PartitionLag,
} from "./admin/admin.ts";
export type {
  ConfigEntry,
  ConfigOp,
  ConfigResource,
  ConfigResourceType,
  ConfigSource,
} from "./admin/configs.ts";
export type { OffsetSpec } from "./admin/offset-spec.ts";
export type { ResetTarget } from "./admin/reset-offsets.ts";
export {
  type BrokerInfo,
  Cluster,
  type ClusterOptions,
  type CoordinatorType,
  type MetadataSnapshot,
  type PartitionInfo,
  parseBrokerList,
  type TopicInfo,
} from "./cluster/cluster.ts";
export {
  type BrokerAddress,
  BrokerConnection,
  type ConnectionOptions,
  type SendOptions,
} from "./connection/index.ts";
export {
  type AssignorName,
  type AutoOffsetReset,
  type CommitCallback,
  CommitFailedError,
  Consumer,
  type ConsumerBatch,
  type ConsumerEvent,
  type ConsumerGroupMetadata,
  type ConsumerOptions,
  ConsumerProtocolError,
  cooperativeStickyAssignor,
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
  type IsolationLevel,
  NoOffsetForPartitionError,
  type PartitionAssignor,
  type PartitionBatch,
  type RebalanceListener,
  rangeAssignor,
  roundRobinAssignor,
  type TopicPartitionOffset,
} from "./consumer/index.ts";
export {
  KafkaClientError,
  KafkaConnectionError,
  KafkaProtocolError,
  KafkaTimeoutError,
  throwIfError,
} from "./errors.ts";
export { type BatchOptions, batchesOf } from "./patterns/batching.ts";
export {
  type DeadLetterOptions,
  deadLetterHeaders,
  deadLetterRecord,
  type Outcome,
  processWithRetry,
  type RetryOptions,
} from "./patterns/retry.ts";
export { closeOnSignals, type ShutdownOptions } from "./patterns/shutdown.ts";
export {
  type Acks,
  type CompressionName,
  keyPartition,
  murmur2,
  type Partitioner,
  type PartitionerArgs,
  Producer,
  type ProducerOptions,
  type SendOffsetsArgs,
  Transaction,
  type TransactionState,
  type TxnGroupMetadata,
  type TxnOffset,
  toPositive,
} from "./producer/index.ts";
export { backoffDelay, sleep } from "./retry.ts";
export { bytes, type Deserializer, json, type Serde, type Serializer, string } from "./serde.ts";
export type {
  ConsumerRecord,
  ProducerRecord,
  RecordHeader,
  RecordMetadata,
  TopicPartition,
} from "./types.ts";
