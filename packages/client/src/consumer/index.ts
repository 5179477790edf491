// The consumer's public surface.

export {
  type AssignorName,
  cooperativeStickyAssignor,
  type GroupMember,
  type PartitionAssignor,
  type RebalanceProtocol,
  rangeAssignor,
  roundRobinAssignor,
} from "./assignors/index.ts";
export {
  type CommitCallback,
  Consumer,
  type ConsumerBatch,
  type ConsumerEvent,
  type ConsumerGroupMetadata,
  type PartitionBatch,
} from "./consumer.ts";
export { CommitFailedError, NoOffsetForPartitionError } from "./consumer-errors.ts";
export {
  type Assignment,
  CONSUMER_PROTOCOL_TYPE,
  ConsumerProtocolError,
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
  type Subscription,
} from "./consumer-protocol.ts";
export {
  type AbortedTransaction,
  FetchedBatchReader,
  type FetchedRecord,
  recordsFromFetch,
} from "./fetch-records.ts";
export type { TopicPartitionOffset } from "./offsets.ts";
export type { AutoOffsetReset, ConsumerOptions, IsolationLevel, RebalanceListener } from "./options.ts";
