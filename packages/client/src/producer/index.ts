// The producer: Producer, its transactions, options and the Java-compatible partitioner.

export type { Acks, CompressionName, ProducerOptions } from "./options.ts";
export { keyPartition, murmur2, type Partitioner, type PartitionerArgs, toPositive } from "./partitioner.ts";
export { Producer } from "./producer.ts";
export { Transaction } from "./transaction.ts";
export type {
  SendOffsetsArgs,
  TransactionState,
  TxnGroupMetadata,
  TxnOffset,
} from "./transaction-manager.ts";
