// Kafka's Sender: takes sendable batches from the accumulator, groups them by partition leader
// into one Produce request per broker (one batch per partition, up to maxRequestSize, at most
// maxInFlightRequestsPerConnection requests per broker) and settles them from the response.
// Retriable failures (leader moved, network, timeouts) go back to the accumulator after a backoff
// and a metadata refresh, until retries or deliveryTimeoutMs run out. With idempotence each
// partition keeps at most five batches outstanding, and a retry goes out only when nothing else
// of its partition is in flight, so sequences reach the broker in order.

import { Produce, type ProduceResponse } from "@nagare/protocol";
import type { CompressionType } from "@nagare/protocol/records";
import type { Cluster, MetadataSnapshot } from "../cluster/cluster.ts";
import { KafkaClientError, KafkaProtocolError, KafkaTimeoutError } from "../errors.ts";
import type { RecordAccumulator } from "./accumulator.ts";
import type { ProducerBatch } from "./batch.ts";
import type { SequenceBook } from "./idempotence.ts";
import type { TransactionManager } from "./transaction-manager.ts";

const DUPLICATE_SEQUENCE_NUMBER = 46;
const OUT_OF_ORDER_SEQUENCE_NUMBER = 45;
const UNKNOWN_PRODUCER_ID = 59;
/** Errors that say the cached leader is wrong: refresh metadata before retrying. */
const staleMetadata = new Set([3, 5, 6, 74, 75]);
// UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE, NOT_LEADER_OR_FOLLOWER, FENCED/UNKNOWN_LEADER_EPOCH
/** Produce v12 assumes transactions v2 and v13 topic ids (KIP-890, KIP-516): not used. */
const maxProduceVersion = 11;

export interface SenderOptions {
  readonly cluster: Cluster;
  readonly accumulator: RecordAccumulator;
  readonly acks: 0 | 1 | -1;
  readonly compression: CompressionType;
  readonly snappyFormat: "raw" | "xerial";
  readonly maxInFlight: number;
  readonly maxRequestSize: number;
  readonly retries: number;
  readonly deliveryTimeoutMs: number;
  readonly requestTimeoutMs: number;
  /** Idempotence state (undefined when idempotence is off). */
  readonly sequences: SequenceBook | undefined;
  readonly transactions: TransactionManager | undefined;
  /** Bumps the idempotent producer's epoch (InitProducerId with the current id/epoch). */
  readonly bumpEpoch: () => Promise<void>;
}

function tpKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

export class Sender {
  private readonly options: SenderOptions;
  private readonly inFlightByNode = new Map<number, number>();
  private readonly inFlightByPartition = new Map<string, number>();
  private inFlightRequests = 0;
  private scheduled = false;
  private running = false;
  private rerun = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private bumping = false;
  private stopped = false;
  /** Fails the producer for good (fatal idempotence error outside a transaction). */
  fatal: Error | undefined;

  constructor(options: SenderOptions) {
    this.options = options;
  }

  /** Looks at the queues again soon (coalesced). */
  wake(): void {
    if (this.stopped || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.run();
    });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(at: number): void {
    if (this.stopped || !Number.isFinite(at) || at >= this.timerAt) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timerAt = Number.POSITIVE_INFINITY;
        this.wake();
      },
      Math.max(0, at - Date.now()),
    );
  }

  private async run(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.rerun = false;
        await this.runOnce();
      } while (this.rerun && !this.stopped);
    } finally {
      this.running = false;
    }
  }

  private async runOnce(): Promise<void> {
    const { accumulator, sequences } = this.options;
    const now = accumulator.now();
    this.expireQueued(now);
    if (sequences?.bumpRequired) {
      // The new epoch may only be taken when nothing is in flight (Java waits the same way).
      if (this.inFlightRequests === 0 && !this.bumping) await this.bump();
      return;
    }
    const { batches, nextReadyAt } = accumulator.ready(now);
    this.schedule(nextReadyAt);
    if (batches.length === 0) return;
    let snapshot: MetadataSnapshot;
    try {
      snapshot = await this.options.cluster.metadata([...new Set(batches.map((b) => b.topic))]);
    } catch {
      this.schedule(Date.now() + this.options.cluster.backoff(0));
      return;
    }
    const byNode = new Map<number, ProducerBatch[]>();
    let refresh = false;
    for (const batch of batches) {
      const leader = snapshot.topics
        .get(batch.topic)
        ?.partitions.find((p) => p.partition === batch.partition)?.leader;
      if (leader === undefined || leader < 0) {
        refresh = true;
        continue;
      }
      if (!this.canSend(batch)) continue;
      const list = byNode.get(leader) ?? [];
      list.push(batch);
      byNode.set(leader, list);
    }
    if (refresh) {
      // Look again after a backoff, not at once: a partition may stay leaderless for a while.
      const later = () => this.schedule(Date.now() + this.options.cluster.backoff(0));
      void this.options.cluster.refresh().then(later, later);
    }
    for (const [node, list] of byNode) {
      if ((this.inFlightByNode.get(node) ?? 0) >= this.options.maxInFlight) continue;
      const drained: ProducerBatch[] = [];
      let bytes = 0;
      for (const batch of list) {
        // The estimate (uncompressed) bounds the request before a sequence is given out.
        if (drained.length > 0 && bytes + batch.estimatedBytes > this.options.maxRequestSize) break;
        if (!this.prepare(batch)) continue;
        accumulator.drain(batch);
        drained.push(batch);
        bytes += batch.estimatedBytes;
      }
      if (drained.length > 0) void this.sendRequest(node, drained);
    }
  }

  /** Ordering and transaction rules that may hold a partition's head batch back. */
  private canSend(batch: ProducerBatch): boolean {
    const { sequences, transactions } = this.options;
    const key = tpKey(batch.topic, batch.partition);
    if (transactions) {
      const error = transactions.batchError;
      if (error) {
        this.options.accumulator.drain(batch);
        this.options.accumulator.complete(batch, error);
        return false;
      }
      if (!transactions.isAdded(batch.topic, batch.partition)) return false;
    }
    if (!sequences) return true;
    if (batch.hasSequence) return (this.inFlightByPartition.get(key) ?? 0) === 0;
    return sequences.canSendNew(batch.topic, batch.partition);
  }

  /** Gives a first-time batch its producer id, epoch and sequence. */
  private prepare(batch: ProducerBatch): boolean {
    const { sequences, transactions } = this.options;
    if (sequences && !batch.hasSequence) {
      if (!sequences.canSendNew(batch.topic, batch.partition)) return false;
      sequences.assign(batch, transactions !== undefined);
    }
    return true;
  }

  private async sendRequest(node: number, batches: ProducerBatch[]): Promise<void> {
    const { cluster, acks, transactions } = this.options;
    this.inFlightRequests++;
    this.inFlightByNode.set(node, (this.inFlightByNode.get(node) ?? 0) + 1);
    for (const b of batches) {
      const key = tpKey(b.topic, b.partition);
      this.inFlightByPartition.set(key, (this.inFlightByPartition.get(key) ?? 0) + 1);
      b.attempts++;
    }
    try {
      const connection = await cluster.connectToNode(node);
      const version = connection.versionFor(Produce, maxProduceVersion);
      if (version === undefined || version < 3)
        throw new KafkaProtocolError(35, `broker ${node} does not support Produce v3+ (record batch v2)`);
      const topics = new Map<string, ProducerBatch[]>();
      for (const b of batches) topics.set(b.topic, [...(topics.get(b.topic) ?? []), b]);
      const body = {
        transactionalId: transactions?.transactionalId ?? null,
        acks,
        timeoutMs: this.options.requestTimeoutMs,
        topicData: [...topics].map(([name, list]) => ({
          name,
          partitionData: list.map((b) => ({
            index: b.partition,
            records: b.encode(this.options.compression, this.options.snappyFormat),
          })),
        })),
      };
      if (acks === 0) {
        await connection.sendOnly(Produce, body, { version });
        for (const b of batches) this.succeeded(b, -1n, -1n);
        return;
      }
      const response = await connection.send(Produce, body, {
        version,
        timeoutMs: this.options.requestTimeoutMs,
      });
      this.handleResponse(batches, response);
    } catch (error) {
      const failure =
        error instanceof KafkaClientError
          ? error
          : new KafkaClientError(String(error), false, { cause: error });
      for (const b of batches) this.failedAttempt(b, failure);
    } finally {
      this.inFlightRequests--;
      this.inFlightByNode.set(node, (this.inFlightByNode.get(node) ?? 1) - 1);
      for (const b of batches) {
        const key = tpKey(b.topic, b.partition);
        this.inFlightByPartition.set(key, (this.inFlightByPartition.get(key) ?? 1) - 1);
      }
      this.wake();
    }
  }

  private handleResponse(batches: readonly ProducerBatch[], response: ProduceResponse): void {
    const answers = new Map<string, ProduceResponse["responses"][number]["partitionResponses"][number]>();
    for (const topic of response.responses)
      for (const p of topic.partitionResponses) answers.set(tpKey(topic.name, p.index), p);
    for (const batch of batches) {
      const answer = answers.get(tpKey(batch.topic, batch.partition));
      if (!answer) {
        this.failedAttempt(batch, new KafkaClientError("the Produce response left out a partition", true));
        continue;
      }
      // A duplicate is a batch the broker already has: this is the retry of a lost response.
      if (answer.errorCode === 0 || answer.errorCode === DUPLICATE_SEQUENCE_NUMBER)
        this.succeeded(batch, answer.baseOffset, answer.logAppendTimeMs);
      else {
        const error = new KafkaProtocolError(
          answer.errorCode,
          `Produce to ${batch.topic}-${batch.partition}${answer.errorMessage ? ` (${answer.errorMessage})` : ""}`,
        );
        this.failedAttempt(batch, error, answer.logStartOffset);
      }
    }
  }

  private succeeded(batch: ProducerBatch, baseOffset: bigint, logAppendTimeMs: bigint): void {
    this.options.sequences?.acknowledged(batch);
    this.options.accumulator.complete(batch, { baseOffset, logAppendTimeMs });
  }

  private failedAttempt(batch: ProducerBatch, error: KafkaClientError, logStartOffset = -1n): void {
    if (!(error instanceof KafkaProtocolError) || staleMetadata.has(error.code))
      void this.options.cluster.refresh().catch(() => undefined);
    const now = this.options.accumulator.now();
    const withinLimits =
      this.options.acks !== 0 &&
      batch.attempts <= this.options.retries &&
      now - batch.createdAt < this.options.deliveryTimeoutMs &&
      !this.stopped;
    if (withinLimits && this.shouldRetry(batch, error, logStartOffset)) {
      batch.retryAt = now + this.options.cluster.backoff(batch.attempts - 1);
      this.options.accumulator.reenqueue(batch);
      return;
    }
    const final =
      withinLimits || !error.retriable
        ? error
        : new KafkaTimeoutError(
            `${batch.recordCount} record(s) for ${batch.topic}-${batch.partition} not delivered within deliveryTimeoutMs or retries (last error: ${error.message})`,
          );
    this.fail(batch, final, error);
  }

  /** Java's Sender/TransactionManager.canRetry, for idempotent sequence errors included. */
  private shouldRetry(batch: ProducerBatch, error: KafkaClientError, logStartOffset: bigint): boolean {
    const { sequences, transactions } = this.options;
    if (!(error instanceof KafkaProtocolError) || !sequences) return error.retriable;
    if (error.code === UNKNOWN_PRODUCER_ID) {
      // Without a log start offset the broker cannot say yet why it lost us; ask again.
      if (logStartOffset === -1n || batch.sequenceReset) return true;
      if (transactions) return false;
      sequences.requestEpochBump(batch.topic, batch.partition);
      return true;
    }
    if (error.code === OUT_OF_ORDER_SEQUENCE_NUMBER) {
      // Not the next batch: an earlier one failed and is being retried; this one follows it.
      if (batch.sequenceReset || !sequences.isNextSequence(batch)) return true;
      if (transactions) return false;
      // A real gap (the broker lost our state): a new epoch restarts the sequences from 0.
      sequences.requestEpochBump(batch.topic, batch.partition);
      return true;
    }
    return error.retriable;
  }

  private fail(batch: ProducerBatch, error: KafkaClientError, cause: KafkaClientError): void {
    const { sequences, transactions } = this.options;
    if (sequences && batch.hasSequence) {
      sequences.failed(batch);
      // The batch's sequences may or may not be in the log: only a new epoch makes the next
      // sequences unambiguous (Java's requestEpochBumpForPartition after a failed batch).
      if (!transactions) sequences.requestEpochBump(batch.topic, batch.partition);
    }
    const final = transactions ? transactions.recordError(error) : error;
    if (
      !transactions &&
      cause instanceof KafkaProtocolError &&
      (cause.code === 47 || cause.code === 90) // INVALID_PRODUCER_EPOCH, PRODUCER_FENCED
    )
      this.fatal = cause;
    this.options.accumulator.complete(batch, final === error ? error : final);
  }

  /** Fails batches that waited in the queue longer than deliveryTimeoutMs (never sent, or backing off). */
  private expireQueued(now: number): void {
    const expired: ProducerBatch[] = [];
    let nextExpiry = Number.POSITIVE_INFINITY;
    // Each queue is ordered by creation time: only its expired prefix needs looking at, which
    // keeps this check O(partitions) per send loop rather than O(queued batches).
    for (const queue of this.options.accumulator.partitionQueues()) {
      for (const batch of queue) {
        const expiresAt = batch.createdAt + this.options.deliveryTimeoutMs;
        if (expiresAt > now) {
          nextExpiry = Math.min(nextExpiry, expiresAt);
          break;
        }
        expired.push(batch);
      }
    }
    this.schedule(nextExpiry);
    for (const batch of expired) {
      this.options.accumulator.drain(batch);
      const error = new KafkaTimeoutError(
        `expiring ${batch.recordCount} record(s) for ${batch.topic}-${batch.partition}: ${now - batch.createdAt} ms have passed since the batch was created (deliveryTimeoutMs ${this.options.deliveryTimeoutMs})`,
      );
      if (batch.hasSequence) this.fail(batch, error, error);
      else this.options.accumulator.complete(batch, this.options.transactions?.recordError(error) ?? error);
    }
  }

  private async bump(): Promise<void> {
    this.bumping = true;
    try {
      await this.options.bumpEpoch();
    } catch (error) {
      this.fatal = error instanceof Error ? error : new Error(String(error));
      this.options.accumulator.failQueued(this.fatal);
    } finally {
      this.bumping = false;
      this.wake();
    }
  }
}
