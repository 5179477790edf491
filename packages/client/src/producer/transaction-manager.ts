// The transactional side of the producer (KIP-98), after Java's TransactionManager: the state
// machine (uninitialized → ready → in transaction → committing/aborting → ready), the partitions
// added to the transaction (AddPartitionsToTxn before the first batch to each), offsets sent with
// it (AddOffsetsToTxn, then TxnOffsetCommit to the group coordinator) and EndTxn. An error that
// only spoils the current transaction makes it "abortable": commit() fails, abort() recovers (and
// bumps the epoch, so sequences start over). Fencing makes the producer unusable for good.

import { AddOffsetsToTxn, AddPartitionsToTxn, EndTxn, TxnOffsetCommit } from "@nagare/protocol";
import type { Cluster } from "../cluster/cluster.ts";
import type { BrokerConnection } from "../connection/broker-connection.ts";
import { KafkaClientError, KafkaProtocolError } from "../errors.ts";
import type { TopicPartition } from "../types.ts";
import { callCoordinator } from "./coordinator-call.ts";
import type { SequenceBook } from "./idempotence.ts";
import { initProducerId } from "./producer-id.ts";

export type TransactionState =
  | "uninitialized"
  | "initializing"
  | "ready"
  | "inTransaction"
  | "committing"
  | "aborting"
  | "abortableError"
  | "fatalError";

/** What a consumer in a group reports for transactional offset commits (KIP-447). */
export interface TxnGroupMetadata {
  readonly groupId: string;
  readonly generationId?: number;
  readonly memberId?: string;
  readonly groupInstanceId?: string | null;
}

export interface TxnOffset extends TopicPartition {
  /** The next offset to consume (last processed + 1). */
  readonly offset: bigint | number;
  readonly metadata?: string | null;
  readonly leaderEpoch?: number;
}

export interface SendOffsetsArgs {
  readonly groupId?: string;
  readonly consumerGroupMetadata?: TxnGroupMetadata;
  readonly offsets: readonly TxnOffset[];
}

/** Errors after which no request with this producer id/epoch can succeed (Java: fatal). */
const fatalCodes = new Set([31, 35, 47, 52, 53, 90]);
// CLUSTER_AUTHORIZATION_FAILED, UNSUPPORTED_VERSION, INVALID_PRODUCER_EPOCH,
// TRANSACTION_COORDINATOR_FENCED, TRANSACTIONAL_ID_AUTHORIZATION_FAILED, PRODUCER_FENCED
const PRODUCER_FENCED = 90;
const INVALID_PRODUCER_EPOCH = 47;

export interface TransactionManagerOptions {
  readonly cluster: Cluster;
  readonly transactionalId: string;
  readonly transactionTimeoutMs: number;
  readonly maxBlockMs: number;
  /** Aborted when the producer closes: coordinator retries stop. */
  readonly signal: AbortSignal;
  readonly sequences: SequenceBook;
  /** Waits until every queued and in-flight batch has completed. */
  readonly flush: () => Promise<void>;
  /** Fails the batches not sent yet (abort). */
  readonly failQueued: (error: Error) => void;
  /** The sender should look at its queues again (a partition was added). */
  readonly wake: () => void;
}

function tpKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

export class TransactionManager {
  private readonly options: TransactionManagerOptions;
  private stateValue: TransactionState = "uninitialized";
  private error: Error | undefined;
  private readonly added = new Set<string>();
  private readonly pending = new Map<string, TopicPartition>();
  private adding: Promise<void> | undefined;
  /** Offsets were added to this transaction (EndTxn needed even without partitions). */
  private offsetsAdded = false;

  constructor(options: TransactionManagerOptions) {
    this.options = options;
  }

  get state(): TransactionState {
    return this.stateValue;
  }

  get transactionalId(): string {
    return this.options.transactionalId;
  }

  get inTransaction(): boolean {
    return this.stateValue === "inTransaction";
  }

  /** The error a batch drained now should fail with (abortable or fatal state), if any. */
  get batchError(): Error | undefined {
    return this.stateValue === "abortableError" ||
      this.stateValue === "fatalError" ||
      this.stateValue === "aborting"
      ? (this.error ?? new KafkaClientError("the transaction is being aborted", false))
      : undefined;
  }

  get fatal(): Error | undefined {
    return this.stateValue === "fatalError" ? this.error : undefined;
  }

  private deadline(): number {
    return Date.now() + this.options.maxBlockMs;
  }

  /** Throws unless the producer is in one of `states`. */
  private expect(action: string, ...states: TransactionState[]): void {
    if (this.stateValue === "fatalError") throw this.error as Error;
    if (this.stateValue === "abortableError" && !states.includes("abortableError"))
      throw new KafkaClientError(
        `cannot ${action}: the transaction failed and must be aborted (${this.error?.message})`,
        false,
        { cause: this.error },
      );
    if (!states.includes(this.stateValue))
      throw new KafkaClientError(`cannot ${action} in state ${this.stateValue}`, false);
  }

  /** Makes a fencing error final and turns any other into an abortable one; returns the error. */
  recordError(error: Error): Error {
    if (this.stateValue === "fatalError") return this.error as Error;
    if (error instanceof KafkaProtocolError && fatalCodes.has(error.code)) {
      this.error =
        error.code === PRODUCER_FENCED || error.code === INVALID_PRODUCER_EPOCH
          ? new KafkaProtocolError(
              PRODUCER_FENCED,
              `transactionalId ${this.transactionalId}: this producer was fenced by a newer one with the same id and cannot be used any more; close it`,
            )
          : error;
      this.stateValue = "fatalError";
      this.options.failQueued(this.error);
      return this.error;
    }
    if (this.stateValue === "inTransaction" || this.stateValue === "committing") {
      this.error = error;
      this.stateValue = "abortableError";
    }
    return error;
  }

  /** InitProducerId with the transactional id: fences older producers, resets sequences. */
  async initTransactions(): Promise<void> {
    this.expect("initialize transactions", "uninitialized");
    this.stateValue = "initializing";
    try {
      const identity = await initProducerId({
        cluster: this.options.cluster,
        transactionalId: this.transactionalId,
        transactionTimeoutMs: this.options.transactionTimeoutMs,
        deadline: this.deadline(),
        signal: this.options.signal,
      });
      this.options.sequences.reset(identity);
      this.stateValue = "ready";
    } catch (error) {
      this.stateValue = "uninitialized";
      if (error instanceof KafkaProtocolError && fatalCodes.has(error.code)) throw this.recordError(error);
      throw error;
    }
  }

  begin(): void {
    this.expect("begin a transaction", "ready");
    this.added.clear();
    this.pending.clear();
    this.offsetsAdded = false;
    this.error = undefined;
    this.stateValue = "inTransaction";
  }

  /** Checked before sending records (outside a transaction there is nothing to send them in). */
  checkCanSend(): void {
    this.expect("send", "inTransaction");
  }

  /**
   * Whether the partition is in the transaction; if not, it is queued for AddPartitionsToTxn and
   * the sender is woken when that completes.
   */
  isAdded(topic: string, partition: number): boolean {
    const key = tpKey(topic, partition);
    if (this.added.has(key)) return true;
    if (this.stateValue !== "inTransaction" && this.stateValue !== "committing") return false;
    this.pending.set(key, { topic, partition });
    this.adding ??= this.addPending().finally(() => {
      this.adding = undefined;
      this.options.wake();
    });
    return false;
  }

  private async addPending(): Promise<void> {
    while (this.pending.size > 0 && !this.batchError) {
      const batch = [...this.pending.values()];
      this.pending.clear();
      const topics = new Map<string, number[]>();
      for (const tp of batch) topics.set(tp.topic, [...(topics.get(tp.topic) ?? []), tp.partition]);
      const { producerId, epoch } = this.options.sequences.current;
      try {
        await this.callTxnCoordinator(
          `AddPartitionsToTxn for ${this.transactionalId}`,
          async (connection) => {
            // v4+ is the broker-to-coordinator form (KIP-890); clients use v3 and below.
            const version = connection.versionFor(AddPartitionsToTxn, 3);
            const response = await connection.send(
              AddPartitionsToTxn,
              {
                v3AndBelowTransactionalId: this.transactionalId,
                v3AndBelowProducerId: producerId,
                v3AndBelowProducerEpoch: epoch,
                v3AndBelowTopics: [...topics].map(([name, partitions]) => ({ name, partitions })),
              },
              version === undefined ? {} : { version },
            );
            // A failed partition makes the others OPERATION_NOT_ATTEMPTED (55): report the cause.
            let errorCode = 0;
            for (const topic of response.resultsByTopicV3AndBelow)
              for (const p of topic.resultsByPartition)
                if (p.partitionErrorCode !== 0 && (errorCode === 0 || errorCode === 55))
                  errorCode = p.partitionErrorCode;
            return { errorCode, result: undefined };
          },
        );
        for (const tp of batch) this.added.add(tpKey(tp.topic, tp.partition));
      } catch (error) {
        this.recordError(error instanceof Error ? error : new Error(String(error)));
        return;
      }
    }
  }

  /** A request to this producer's transaction coordinator, retried until the deadline. */
  private callTxnCoordinator(
    what: string,
    attempt: (connection: BrokerConnection) => Promise<{ errorCode: number; result: undefined }>,
  ): Promise<undefined> {
    return callCoordinator({
      cluster: this.options.cluster,
      type: "transaction",
      key: this.transactionalId,
      what,
      deadline: this.deadline(),
      signal: this.options.signal,
      attempt,
    });
  }

  /** AddOffsetsToTxn, then TxnOffsetCommit to the group coordinator (KIP-98, KIP-447). */
  async sendOffsets(args: SendOffsetsArgs): Promise<void> {
    this.expect("send offsets", "inTransaction");
    const group = args.consumerGroupMetadata;
    const groupId = group?.groupId ?? args.groupId;
    if (groupId === undefined || groupId === "")
      throw new KafkaClientError("sendOffsets needs a groupId or consumerGroupMetadata", false);
    const { producerId, epoch } = this.options.sequences.current;
    try {
      await this.callTxnCoordinator(`AddOffsetsToTxn for ${this.transactionalId}`, async (connection) => {
        const response = await connection.send(AddOffsetsToTxn, {
          transactionalId: this.transactionalId,
          producerId,
          producerEpoch: epoch,
          groupId,
        });
        return { errorCode: response.errorCode, result: undefined };
      });
      this.offsetsAdded = true;
      const topics = new Map<string, TxnOffset[]>();
      for (const o of args.offsets) topics.set(o.topic, [...(topics.get(o.topic) ?? []), o]);
      await callCoordinator({
        cluster: this.options.cluster,
        type: "group",
        key: groupId,
        what: `TxnOffsetCommit for group ${groupId}`,
        deadline: this.deadline(),
        signal: this.options.signal,
        attempt: async (connection) => {
          // v5 assumes transactions v2 (KIP-890), which this producer does not use.
          const version = connection.versionFor(TxnOffsetCommit, 4);
          const response = await connection.send(
            TxnOffsetCommit,
            {
              transactionalId: this.transactionalId,
              groupId,
              producerId,
              producerEpoch: epoch,
              generationId: group?.generationId ?? -1,
              memberId: group?.memberId ?? "",
              groupInstanceId: group?.groupInstanceId ?? null,
              topics: [...topics].map(([name, list]) => ({
                name,
                partitions: list.map((o) => ({
                  partitionIndex: o.partition,
                  committedOffset: BigInt(o.offset),
                  committedLeaderEpoch: o.leaderEpoch ?? -1,
                  committedMetadata: o.metadata ?? "",
                })),
              })),
            },
            version === undefined ? {} : { version },
          );
          let errorCode = 0;
          for (const t of response.topics)
            for (const p of t.partitions) if (p.errorCode !== 0) errorCode = p.errorCode;
          return { errorCode, result: undefined };
        },
      });
    } catch (error) {
      throw this.recordError(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** Flushes, then EndTxn(commit). A failed batch or request leaves the transaction to abort. */
  async commit(): Promise<void> {
    this.expect("commit", "inTransaction");
    this.stateValue = "committing";
    await this.options.flush();
    await this.adding;
    if (this.stateValue !== "committing") this.expect("commit", "committing");
    try {
      await this.endTxn(true);
    } catch (error) {
      throw this.recordError(error instanceof Error ? error : new Error(String(error)));
    }
    this.stateValue = "ready";
  }

  /**
   * Drops unsent records, waits for those in flight, then EndTxn(abort). After an error the
   * epoch is bumped (InitProducerId with the current id/epoch), so sequences restart cleanly.
   */
  async abort(): Promise<void> {
    this.expect("abort", "inTransaction", "abortableError");
    const hadError = this.stateValue === "abortableError";
    this.stateValue = "aborting";
    this.options.failQueued(new KafkaClientError("the transaction was aborted", false));
    await this.options.flush();
    await this.adding;
    try {
      await this.endTxn(false);
      if (hadError) {
        const identity = await initProducerId({
          cluster: this.options.cluster,
          transactionalId: this.transactionalId,
          transactionTimeoutMs: this.options.transactionTimeoutMs,
          current: this.options.sequences.current,
          deadline: this.deadline(),
          signal: this.options.signal,
        });
        this.options.sequences.reset(identity);
      }
    } catch (error) {
      const recorded = this.recordError(error instanceof Error ? error : new Error(String(error)));
      if (this.stateValue === "aborting") {
        this.error = recorded;
        this.stateValue = "abortableError";
      }
      throw recorded;
    }
    this.stateValue = "ready";
  }

  private async endTxn(committed: boolean): Promise<void> {
    // Nothing reached the coordinator: there is no transaction to end (Java skips EndTxn too).
    if (this.added.size === 0 && !this.offsetsAdded) return;
    const { producerId, epoch } = this.options.sequences.current;
    await this.callTxnCoordinator(
      `EndTxn(${committed ? "commit" : "abort"}) for ${this.transactionalId}`,
      async (connection) => {
        // v5 bumps the epoch per transaction (KIP-890 part 2), which this producer does not do.
        const version = connection.versionFor(EndTxn, 4);
        const response = await connection.send(
          EndTxn,
          { transactionalId: this.transactionalId, producerId, producerEpoch: epoch, committed },
          version === undefined ? {} : { version },
        );
        return { errorCode: response.errorCode, result: undefined };
      },
    );
  }
}
