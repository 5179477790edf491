// The handle of one open transaction: records sent through it (or through the producer while it
// is open) and offsets sent with it commit or abort together.

import type { ProducerRecord, RecordMetadata } from "../types.ts";
import type { SendOffsetsArgs, TransactionManager } from "./transaction-manager.ts";

/** What the transaction needs from its producer. */
export interface TransactionalSender<K, V> {
  send(record: ProducerRecord<K, V>): Promise<RecordMetadata>;
  sendBatch(records: readonly ProducerRecord<K, V>[]): Promise<RecordMetadata[]>;
}

export class Transaction<K, V> {
  private readonly producer: TransactionalSender<K, V>;
  private readonly manager: TransactionManager;

  constructor(producer: TransactionalSender<K, V>, manager: TransactionManager) {
    this.producer = producer;
    this.manager = manager;
  }

  /** Whether records and offsets may still be added. */
  get isActive(): boolean {
    return this.manager.inTransaction;
  }

  send(record: ProducerRecord<K, V>): Promise<RecordMetadata> {
    return this.producer.send(record);
  }

  sendBatch(records: readonly ProducerRecord<K, V>[]): Promise<RecordMetadata[]> {
    return this.producer.sendBatch(records);
  }

  /** Commits consumed offsets as part of the transaction (visible only if it commits). */
  sendOffsets(args: SendOffsetsArgs): Promise<void> {
    return this.manager.sendOffsets(args);
  }

  /** Flushes every record of the transaction, then commits it. */
  commit(): Promise<void> {
    return this.manager.commit();
  }

  /** Drops unsent records and aborts: read_committed consumers never see its records. */
  abort(): Promise<void> {
    return this.manager.abort();
  }
}
