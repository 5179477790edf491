// The producer (Kafka's KafkaProducer): send() serializes a record, picks its partition, waits
// for buffer memory and appends it to the accumulator; the sender delivers batches in the
// background and settles each record's promise with its offset. Idempotence (on by default) and
// transactions follow the Java client; see sender.ts, idempotence.ts and transaction-manager.ts.

import { InitProducerId } from "@nagare/protocol";
import { Cluster, type MetadataSnapshot, type TopicInfo } from "../cluster/cluster.ts";
import { KafkaClientError, KafkaProtocolError, KafkaTimeoutError } from "../errors.ts";
import { sleep } from "../retry.ts";
import { type Serializer, string } from "../serde.ts";
import type { ProducerRecord, RecordMetadata } from "../types.ts";
import { RecordAccumulator } from "./accumulator.ts";
import {
  type AppendedRecord,
  BATCH_OVERHEAD,
  estimateRecordSize,
  type RejectRecord,
  type ResolveRecord,
} from "./batch.ts";
import { headersSize, toBatchHeaders } from "./headers.ts";
import { SequenceBook } from "./idempotence.ts";
import { MemoryLimit } from "./memory-limit.ts";
import { type ProducerOptions, type ResolvedProducerOptions, resolveProducerOptions } from "./options.ts";
import { keyPartition, StickyPartitions } from "./partitioner.ts";
import { initProducerId } from "./producer-id.ts";
import { Sender } from "./sender.ts";
import { Transaction } from "./transaction.ts";
import { TransactionManager } from "./transaction-manager.ts";

const MESSAGE_TOO_LARGE = 10;

interface TopicPartitions {
  readonly count: number;
  /** Partitions with a leader (the sticky partitioner prefers them). */
  readonly available: readonly number[];
}

function topicPartitions(info: TopicInfo): TopicPartitions {
  return {
    count: info.partitions.length,
    available: info.partitions.filter((p) => p.leader >= 0).map((p) => p.partition),
  };
}

/** A send that waits its turn; `prepared` once serialized. */
interface WaitingSend<K, V> {
  readonly record: ProducerRecord<K, V>;
  prepared: PreparedRecord | undefined;
  readonly resolve: ResolveRecord;
  readonly reject: RejectRecord;
}

/** A record serialized and measured, ready to go into a batch. */
interface PreparedRecord extends AppendedRecord {
  readonly topic: string;
  readonly explicitPartition: number | undefined;
  readonly size: number;
  /** When send() began, for maxBlockMs. */
  readonly started: number;
}

export class Producer<K = string | null, V = string | null> {
  private readonly options: ResolvedProducerOptions;
  private readonly cluster: Cluster;
  private readonly ownsCluster: boolean;
  private readonly keySerializer: Serializer<K>;
  private readonly valueSerializer: Serializer<V>;
  private readonly memory: MemoryLimit;
  private readonly accumulator: RecordAccumulator;
  private readonly sticky = new StickyPartitions();
  private readonly sequences = new SequenceBook();
  private readonly transactions: TransactionManager | undefined;
  private sender: Sender | undefined;
  private idempotent: boolean;
  private connecting: Promise<void> | undefined;
  /**
   * Sends that must wait (to connect, for metadata or for buffer memory), in call order: while
   * any wait, later sends queue behind them so records keep the call order.
   */
  private waiting: (WaitingSend<K, V> | undefined)[] = [];
  /** Index of the first waiting send (a moving head: shift() is linear in V8 for long arrays). */
  private waitingHead = 0;
  /** The loop appending waiting sends (undefined when none wait). */
  private pumping: Promise<void> | undefined;
  /** Partition lists of the metadata snapshot they were taken from (rebuilt when it changes). */
  private partitionsSnapshot: MetadataSnapshot | undefined;
  private readonly partitionsByTopic = new Map<string, TopicPartitions>();
  private closed = false;
  private closing: Promise<void> | undefined;
  /** Aborted by close(): background retries (epoch bumps, coordinator lookups) stop. */
  private readonly lifetime = new AbortController();

  constructor(options: ProducerOptions<K, V>) {
    this.options = resolveProducerOptions(options);
    if (options.cluster) {
      this.cluster = options.cluster;
      this.ownsCluster = false;
    } else {
      if (!options.brokers || options.brokers.length === 0)
        throw new KafkaClientError("invalid producer options: give brokers or a cluster", false);
      this.cluster = new Cluster({
        brokers: options.brokers,
        ...(options.clientId !== undefined ? { clientId: options.clientId } : {}),
        requestTimeoutMs: this.options.requestTimeoutMs,
        ...(options.retryBackoffMs !== undefined ? { retryBackoffMs: options.retryBackoffMs } : {}),
        ...(options.retryBackoffMaxMs !== undefined ? { retryBackoffMaxMs: options.retryBackoffMaxMs } : {}),
      });
      this.ownsCluster = true;
    }
    this.keySerializer = options.keySerializer ?? (string as unknown as Serializer<K>);
    this.valueSerializer = options.valueSerializer ?? (string as unknown as Serializer<V>);
    this.idempotent = this.options.idempotent;
    this.memory = new MemoryLimit(this.options.bufferMemory);
    this.accumulator = new RecordAccumulator({
      batchSize: this.options.batchSize,
      lingerMs: this.options.lingerMs,
      memory: this.memory,
      onBatchClosed: (topic, partition) => this.sticky.batchClosed(topic, partition),
      wake: () => this.sender?.wake(),
    });
    if (this.options.transactionalId !== undefined)
      this.transactions = new TransactionManager({
        cluster: this.cluster,
        transactionalId: this.options.transactionalId,
        transactionTimeoutMs: this.options.transactionTimeoutMs,
        maxBlockMs: this.options.maxBlockMs,
        signal: this.lifetime.signal,
        sequences: this.sequences,
        flush: () => this.accumulator.flush(),
        failQueued: (error) => this.accumulator.failQueued(error),
        wake: () => this.sender?.wake(),
      });
  }

  /** Whether batches carry a producer id and sequences (known after connect()). */
  get isIdempotent(): boolean {
    return this.idempotent;
  }

  /** Bootstraps, checks what the brokers support and (idempotent only) gets a producer id. */
  connect(): Promise<void> {
    this.connecting ??= this.doConnect().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  private async doConnect(): Promise<void> {
    if (this.closed) throw new KafkaClientError("the producer is closed", false);
    const connection = await this.cluster.anyConnection();
    if (this.idempotent && !connection.supports(InitProducerId)) {
      if (this.options.idempotenceExplicit)
        throw new KafkaProtocolError(35, "the broker does not support idempotent or transactional producers");
      this.idempotent = false; // Kafka's default-on idempotence gives way on old brokers.
    }
    if (this.idempotent && !this.transactions)
      this.sequences.reset(
        await initProducerId({
          cluster: this.cluster,
          transactionalId: null,
          transactionTimeoutMs: this.options.transactionTimeoutMs,
          deadline: Date.now() + this.options.maxBlockMs,
          signal: this.lifetime.signal,
        }),
      );
    this.sender = new Sender({
      cluster: this.cluster,
      accumulator: this.accumulator,
      acks: this.options.acks,
      compression: this.options.compression,
      snappyFormat: this.options.snappyFormat,
      maxInFlight: this.options.maxInFlight,
      maxRequestSize: this.options.maxRequestSize,
      retries: this.options.retries,
      deliveryTimeoutMs: this.options.deliveryTimeoutMs,
      requestTimeoutMs: this.options.requestTimeoutMs,
      sequences: this.idempotent ? this.sequences : undefined,
      transactions: this.transactions,
      bumpEpoch: async () =>
        this.sequences.setIdentity(
          await initProducerId({
            cluster: this.cluster,
            transactionalId: null,
            transactionTimeoutMs: this.options.transactionTimeoutMs,
            current: this.sequences.current,
            deadline: Date.now() + this.options.maxBlockMs,
            signal: this.lifetime.signal,
          }),
        ),
    });
    this.sender.wake();
  }

  /** Sends one record; resolves when the broker has it (as `acks` says), with its offset. */
  send(record: ProducerRecord<K, V>): Promise<RecordMetadata> {
    if (this.closed) return Promise.reject(new KafkaClientError("the producer is closed", false));
    try {
      this.checkUsable();
    } catch (error) {
      return Promise.reject(error);
    }
    // One promise per record, settled by its batch. Fast path: connected, nothing waiting ahead,
    // metadata cached and buffer memory free — the record goes into its batch now.
    return new Promise<RecordMetadata>((resolve, reject) => {
      if (this.waitingHead === this.waiting.length && this.sender !== undefined) {
        const prepared = this.prepare(record, Date.now());
        const partitions = this.cachedPartitions(prepared.topic);
        if (partitions !== undefined && this.memory.tryReserve(prepared.size)) {
          this.appendReserved(prepared, partitions, resolve, reject);
          return;
        }
        this.waiting.push({ record, prepared, resolve, reject });
      } else this.waiting.push({ record, prepared: undefined, resolve, reject });
      this.pumping ??= this.pump().finally(() => {
        this.pumping = undefined;
      });
    });
  }

  /**
   * Appends the waiting sends in order, each once it can go: a send waits at most maxBlockMs
   * (from its turn, as a blocking send() in Java) for metadata and buffer memory. Sends that find room append one after the
   * other without a promise of their own; a wait is one promise for all behind it.
   */
  private async pump(): Promise<void> {
    while (this.waitingHead < this.waiting.length) {
      const next = this.waiting[this.waitingHead] as WaitingSend<K, V>;
      try {
        if (this.sender === undefined) await this.connect();
        if (next.prepared === undefined) this.checkUsable();
        const prepared = next.prepared ?? this.prepare(next.record, Date.now());
        next.prepared = prepared;
        const deadline = prepared.started + this.options.maxBlockMs;
        const partitions = await this.partitionsOf(prepared.topic, deadline);
        if (!this.memory.tryReserve(prepared.size))
          await this.memory.reserve(prepared.size, Math.max(0, deadline - Date.now()));
        this.appendReserved(prepared, partitions, next.resolve, next.reject);
      } catch (error) {
        next.reject(error instanceof Error ? error : new Error(String(error)));
      }
      this.waiting[this.waitingHead++] = undefined; // appended: let it be collected
      if (this.waitingHead >= 1024 && this.waitingHead * 2 >= this.waiting.length) {
        this.waiting = this.waiting.slice(this.waitingHead);
        this.waitingHead = 0;
      }
    }
    this.waiting = [];
    this.waitingHead = 0;
  }

  /** Sends records in order; resolves when all are delivered (rejects with the first failure). */
  sendBatch(records: readonly ProducerRecord<K, V>[]): Promise<RecordMetadata[]> {
    return Promise.all(records.map((record) => this.send(record)));
  }

  /** Makes every buffered record sendable now and waits until all have completed. */
  async flush(): Promise<void> {
    await this.pumping;
    await this.accumulator.flush();
  }

  /** Begins a transaction (initializing transactions on first use). */
  async transaction(): Promise<Transaction<K, V>> {
    const manager = this.transactions;
    if (!manager) throw new KafkaClientError("transaction() needs a transactionalId", false);
    if (this.closed) throw new KafkaClientError("the producer is closed", false);
    await this.connect();
    if (manager.state === "uninitialized") await manager.initTransactions();
    manager.begin();
    return new Transaction<K, V>(this, manager);
  }

  /** Flushes, aborts a transaction left open, then closes the connections. */
  close(): Promise<void> {
    this.closed = true;
    this.closing ??= (async () => {
      await this.pumping;
      if (this.connecting) {
        await this.connecting.catch(() => undefined);
        await this.accumulator.flush().catch(() => undefined);
        if (this.transactions?.inTransaction) await this.transactions.abort().catch(() => undefined);
      }
      this.lifetime.abort();
      this.sender?.stop();
      this.memory.abort(new KafkaClientError("the producer is closed", false));
      if (this.ownsCluster) await this.cluster.close();
    })();
    return this.closing;
  }

  private checkUsable(): void {
    const fatal = this.transactions?.fatal ?? this.sender?.fatal;
    if (fatal) throw fatal;
    this.transactions?.checkCanSend();
  }

  /** Serializes and measures a record (throws for one larger than maxRequestSize). */
  private prepare(record: ProducerRecord<K, V>, started: number): PreparedRecord {
    const topic = record.topic;
    const key = record.key === undefined ? null : this.keySerializer.serialize(record.key, topic);
    const value = this.valueSerializer.serialize(record.value, topic);
    const headers = toBatchHeaders(record.headers);
    const timestamp = record.timestamp ?? Date.now();
    const size = estimateRecordSize({ key, value }, headers.length === 0 ? 0 : headersSize(headers));
    if (size + BATCH_OVERHEAD > this.options.maxRequestSize)
      throw new KafkaProtocolError(
        MESSAGE_TOO_LARGE,
        `a record of about ${size} bytes is larger than maxRequestSize (${this.options.maxRequestSize})`,
      );
    return { topic, explicitPartition: record.partition, key, value, headers, timestamp, size, started };
  }

  /** Appends a record whose buffer memory is reserved (released again if it cannot go). */
  private appendReserved(
    prepared: PreparedRecord,
    partitions: TopicPartitions,
    resolve: ResolveRecord,
    reject: RejectRecord,
  ): void {
    const { topic, size } = prepared;
    const partition = this.choosePartition(prepared.explicitPartition, topic, prepared.key, partitions, size);
    if (partition === undefined) {
      this.memory.release(size);
      throw new KafkaClientError(
        `partition ${prepared.explicitPartition} of topic ${topic} does not exist (it has ${partitions.count})`,
        false,
      );
    }
    // Java adds the partition to the transaction as the record is appended, ahead of its batch.
    this.transactions?.isAdded(topic, partition);
    this.accumulator.add(topic, partition, prepared, size, size, resolve, reject);
  }

  /** The topic's partitions from cached metadata, or undefined when they must be waited for. */
  private cachedPartitions(topic: string): TopicPartitions | undefined {
    const snapshot = this.cluster.cachedMetadata();
    if (snapshot === undefined) return undefined;
    if (snapshot !== this.partitionsSnapshot) {
      this.partitionsSnapshot = snapshot;
      this.partitionsByTopic.clear();
    }
    let partitions = this.partitionsByTopic.get(topic);
    if (partitions === undefined) {
      const info = snapshot.topics.get(topic);
      if (info?.errorCode !== 0 || info.partitions.length === 0) return undefined;
      partitions = topicPartitions(info);
      this.partitionsByTopic.set(topic, partitions);
    }
    return partitions;
  }

  private choosePartition(
    explicit: number | undefined,
    topic: string,
    key: Buffer | null,
    partitions: TopicPartitions,
    size: number,
  ): number | undefined {
    const count = partitions.count;
    let partition: number;
    if (explicit !== undefined) partition = explicit;
    else if (this.options.partitioner)
      partition = this.options.partitioner({ topic, key, partitionCount: count });
    else if (key !== null) partition = keyPartition(key, count);
    else {
      // KIP-480: a record that would open a new batch on the sticky partition moves on instead.
      partition = this.sticky.partition(topic, count, partitions.available);
      if (
        !this.accumulator.fitsOpenBatch(topic, partition, size) &&
        this.accumulator.hasQueue(topic, partition)
      ) {
        this.sticky.batchClosed(topic, partition);
        partition = this.sticky.partition(topic, count, partitions.available);
      }
    }
    return Number.isInteger(partition) && partition >= 0 && partition < count ? partition : undefined;
  }

  /** The topic's partitions from metadata, waiting (up to the deadline) for an auto-created one. */
  private async partitionsOf(topic: string, deadline: number): Promise<TopicPartitions> {
    const cached = this.cachedPartitions(topic);
    if (cached) return cached;
    let snapshot = await this.cluster.metadata([topic]);
    for (let attempt = 0; ; attempt++) {
      const info = snapshot.topics.get(topic);
      if (info && info.errorCode === 0 && info.partitions.length > 0) return topicPartitions(info);
      if (info && info.errorCode !== 0) {
        const error = new KafkaProtocolError(info.errorCode, `topic ${topic}`);
        if (!error.retriable) throw error;
      }
      const left = deadline - Date.now();
      if (left <= 0)
        throw new KafkaTimeoutError(
          `topic ${topic} not present in metadata after maxBlockMs (${this.options.maxBlockMs} ms)`,
        );
      await sleep(Math.min(this.cluster.backoff(attempt), left));
      snapshot = await this.cluster.refresh();
    }
  }
}
