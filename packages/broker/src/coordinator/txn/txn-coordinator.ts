// The transaction coordinator (Kafka's TransactionCoordinator, transactions v1): producer ids and
// epochs (InitProducerId), the partitions of each transaction (AddPartitionsToTxn,
// AddOffsetsToTxn), and its end (EndTxn): PrepareCommit/PrepareAbort is written to
// __transaction_state and acknowledged, then markers go to every partition, then
// CompleteCommit/CompleteAbort is written. Requests that arrive while a state change or the
// markers are in flight get CONCURRENT_TRANSACTIONS (clients retry).
//
// - A new InitProducerId for a transactional id with an ongoing transaction fences the old
//   producer: the epoch is bumped and the transaction aborted with the new epoch (its markers
//   reject the zombie's later writes); the caller retries and gets the epoch after that.
// - Transactions open longer than their timeout are fenced and aborted the same way.
// - At start-up every transaction found prepared is completed (its markers written again —
//   markers are idempotent for readers), so a transaction ends fully committed or fully aborted.
// - Transactional ids unused for transactional.id.expiration.ms are removed (tombstones).

import { ErrorCode } from "@nagare/protocol";
import type { Logger } from "../../logger.ts";
import type { StateTopicLog } from "../state-topic.ts";
import type { ProducerIdManager } from "./producer-ids.ts";
import { decodeTxnLogKey, decodeTxnLogValue, encodeTxnLogKey, encodeTxnLogValue } from "./txn-log-records.ts";
import type { TxnMarkerWriter } from "./txn-markers.ts";
import {
  maxProducerEpoch,
  noProducerEpoch,
  noProducerId,
  TransactionMetadata,
  type TxnSnapshot,
  type TxnState,
} from "./txn-metadata.ts";

export interface TxnSettings {
  readonly maxTimeoutMs: number;
  readonly abortTimedOutIntervalMs: number;
  readonly idExpirationMs: number;
  readonly removeExpiredIntervalMs: number;
}

export interface TxnCoordinatorOptions {
  readonly topic: StateTopicLog;
  readonly producerIds: ProducerIdManager;
  readonly markers: TxnMarkerWriter;
  readonly settings: TxnSettings;
  readonly clock: () => number;
  readonly logger: Logger;
}

export interface ProducerIdAndEpoch {
  readonly errorCode: number;
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

export interface InitProducerIdRequest {
  readonly transactionalId: string | null;
  readonly transactionTimeoutMs: number;
  /** KIP-360 (v3+): the id and epoch the producer had, or -1 / -1. */
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

export interface TxnPartitions {
  readonly topic: string;
  readonly partitions: readonly number[];
}

const failed = (errorCode: number): ProducerIdAndEpoch => ({ errorCode, producerId: -1n, producerEpoch: -1 });

export class TransactionCoordinator {
  /** __transaction_state. */
  readonly topic: StateTopicLog;
  private readonly txns = new Map<string, TransactionMetadata>();
  private readonly options: TxnCoordinatorOptions;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly completing = new Set<Promise<void>>();

  constructor(options: TxnCoordinatorOptions) {
    this.options = options;
    this.topic = options.topic;
  }

  private now(): number {
    return this.options.clock();
  }

  // ---- start / stop ----------------------------------------------------------------------------

  /** Replays __transaction_state, completes prepared transactions, starts the timers. */
  async start(): Promise<void> {
    const { logger, settings } = this.options;
    for await (const entry of this.options.topic.readAll()) {
      if (entry.kind !== "record") continue;
      try {
        const id = decodeTxnLogKey(entry.key);
        if (id === undefined) continue;
        if (entry.value === null) {
          this.txns.delete(id);
          continue;
        }
        const snapshot = decodeTxnLogValue(entry.value);
        const txn = new TransactionMetadata(id, snapshot.producerId, snapshot.timeoutMs, this.now());
        txn.apply(snapshot);
        this.txns.set(id, txn);
      } catch (error) {
        logger.warn({ error: String(error) }, "skipping an unreadable __transaction_state record");
      }
    }
    for (const txn of this.txns.values())
      if (txn.state === "PrepareCommit" || txn.state === "PrepareAbort")
        this.track(this.completeTransaction(txn));
    if (this.txns.size > 0)
      logger.info({ transactions: this.txns.size }, "transactions loaded from __transaction_state");
    const every = (ms: number, task: () => void) => {
      const timer = setInterval(task, ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(settings.abortTimedOutIntervalMs, () => this.abortTimedOut());
    every(settings.removeExpiredIntervalMs, () => void this.removeExpired());
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.options.markers.stop();
    await Promise.allSettled([...this.completing]);
  }

  private track(work: Promise<void>): void {
    this.completing.add(work);
    void work.finally(() => this.completing.delete(work));
  }

  // ---- InitProducerId --------------------------------------------------------------------------

  async initProducerId(request: InitProducerIdRequest): Promise<ProducerIdAndEpoch> {
    const { transactionalId } = request;
    if (transactionalId === null) {
      // Idempotence only: a fresh producer id, epoch 0.
      return {
        errorCode: ErrorCode.NONE,
        producerId: await this.options.producerIds.generate(),
        producerEpoch: 0,
      };
    }
    if (transactionalId === "") return failed(ErrorCode.INVALID_REQUEST);
    const timeout = request.transactionTimeoutMs;
    if (timeout <= 0 || timeout > this.options.settings.maxTimeoutMs)
      return failed(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    let txn = this.txns.get(transactionalId);
    if (!txn) {
      const producerId = await this.options.producerIds.generate();
      txn =
        this.txns.get(transactionalId) ??
        new TransactionMetadata(transactionalId, producerId, timeout, this.now());
      this.txns.set(transactionalId, txn);
    }
    if (txn.pending) return failed(ErrorCode.CONCURRENT_TRANSACTIONS);
    const expected = request.producerId === noProducerId ? undefined : request;
    if (expected && !this.isValidProducerId(txn, expected.producerId, expected.producerEpoch))
      return failed(ErrorCode.PRODUCER_FENCED);
    switch (txn.state) {
      case "PrepareCommit":
      case "PrepareAbort":
        return failed(ErrorCode.CONCURRENT_TRANSACTIONS);
      case "Ongoing":
        // The previous incarnation of this producer is fenced: abort its transaction first.
        this.track(this.fenceAndAbort(txn));
        return failed(ErrorCode.CONCURRENT_TRANSACTIONS);
      default:
        return this.bumpEpoch(txn, timeout, expected?.producerEpoch);
    }
  }

  private isValidProducerId(txn: TransactionMetadata, producerId: bigint, epoch: number): boolean {
    return (
      txn.producerEpoch === noProducerEpoch ||
      producerId === txn.producerId ||
      (producerId === txn.previousProducerId && epoch >= maxProducerEpoch)
    );
  }

  /** The next epoch (or a new producer id once epochs run out), persisted before it is handed out. */
  private async bumpEpoch(
    txn: TransactionMetadata,
    timeoutMs: number,
    expectedEpoch: number | undefined,
  ): Promise<ProducerIdAndEpoch> {
    const next = { ...txn.snapshot(), timeoutMs, state: "Empty" as TxnState, partitions: new Map() };
    const now = this.now();
    if (
      txn.producerEpoch >= maxProducerEpoch &&
      (expectedEpoch === undefined || expectedEpoch === txn.producerEpoch)
    ) {
      next.previousProducerId = txn.producerId;
      next.producerId = await this.options.producerIds.generate();
      next.producerEpoch = 0;
      next.lastProducerEpoch = noProducerEpoch;
    } else if (expectedEpoch === undefined || expectedEpoch === txn.producerEpoch) {
      next.lastProducerEpoch = txn.producerEpoch;
      next.producerEpoch = txn.producerEpoch + 1;
    } else if (expectedEpoch !== txn.lastProducerEpoch) {
      return failed(ErrorCode.PRODUCER_FENCED);
    } // else: a retry of the bump whose answer was lost: hand out the current epoch again
    next.startTimestamp = -1;
    next.lastUpdateTimestamp = now;
    const errorCode = await this.persist(txn, next);
    if (errorCode !== ErrorCode.NONE) return failed(errorCode);
    return { errorCode, producerId: txn.producerId, producerEpoch: txn.producerEpoch };
  }

  // ---- AddPartitionsToTxn / AddOffsetsToTxn ----------------------------------------------------

  /** Validates the producer for a request that changes its transaction; NONE when it may proceed. */
  private check(txn: TransactionMetadata | undefined, producerId: bigint, epoch: number): number {
    if (!txn) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (txn.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (txn.producerEpoch !== epoch) return ErrorCode.PRODUCER_FENCED;
    if (txn.pending || txn.state === "PrepareCommit" || txn.state === "PrepareAbort")
      return ErrorCode.CONCURRENT_TRANSACTIONS;
    return ErrorCode.NONE;
  }

  async addPartitions(
    transactionalId: string,
    producerId: bigint,
    producerEpoch: number,
    partitions: readonly TxnPartitions[],
  ): Promise<number> {
    if (transactionalId === "") return ErrorCode.INVALID_REQUEST;
    const txn = this.txns.get(transactionalId);
    const errorCode = this.check(txn, producerId, producerEpoch);
    if (errorCode !== ErrorCode.NONE || !txn) return errorCode;
    const missing = partitions.some((t) => t.partitions.some((p) => !txn.hasPartition(t.topic, p)));
    if (txn.state === "Ongoing" && !missing) return ErrorCode.NONE;
    const next = txn.snapshot();
    const merged = new Map([...next.partitions].map(([t, ps]) => [t, new Set(ps)]));
    for (const t of partitions) {
      const set = merged.get(t.topic) ?? new Set<number>();
      for (const p of t.partitions) set.add(p);
      merged.set(t.topic, set);
    }
    const now = this.now();
    return this.persist(txn, {
      ...next,
      partitions: merged,
      state: "Ongoing",
      startTimestamp: txn.state === "Ongoing" ? txn.startTimestamp : now,
      lastUpdateTimestamp: now,
    });
  }

  // ---- EndTxn ----------------------------------------------------------------------------------

  async endTxn(
    transactionalId: string,
    producerId: bigint,
    producerEpoch: number,
    commit: boolean,
  ): Promise<ProducerIdAndEpoch> {
    if (transactionalId === "") return failed(ErrorCode.INVALID_REQUEST);
    const txn = this.txns.get(transactionalId);
    if (!txn || txn.producerId !== producerId) return failed(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    if (producerEpoch !== txn.producerEpoch) return failed(ErrorCode.PRODUCER_FENCED);
    if (txn.pending) return failed(ErrorCode.CONCURRENT_TRANSACTIONS);
    const current = {
      errorCode: ErrorCode.NONE,
      producerId: txn.producerId,
      producerEpoch: txn.producerEpoch,
    };
    switch (txn.state) {
      case "Ongoing": {
        const errorCode = await this.prepareEnd(txn, commit);
        if (errorCode !== ErrorCode.NONE) return failed(errorCode);
        this.track(this.completeTransaction(txn));
        return current;
      }
      case "CompleteCommit":
        return commit ? current : failed(ErrorCode.INVALID_TXN_STATE);
      case "CompleteAbort":
        return commit ? failed(ErrorCode.INVALID_TXN_STATE) : current;
      case "PrepareCommit":
        return failed(commit ? ErrorCode.CONCURRENT_TRANSACTIONS : ErrorCode.INVALID_TXN_STATE);
      case "PrepareAbort":
        return failed(commit ? ErrorCode.INVALID_TXN_STATE : ErrorCode.CONCURRENT_TRANSACTIONS);
      default:
        return failed(ErrorCode.INVALID_TXN_STATE);
    }
  }

  private prepareEnd(
    txn: TransactionMetadata,
    commit: boolean,
    producerEpoch = txn.producerEpoch,
  ): Promise<number> {
    return this.persist(txn, {
      ...txn.snapshot(),
      producerEpoch,
      state: commit ? "PrepareCommit" : "PrepareAbort",
      lastUpdateTimestamp: this.now(),
    });
  }

  /** Markers to every partition, then the Complete state. */
  private async completeTransaction(txn: TransactionMetadata): Promise<void> {
    const commit = txn.state === "PrepareCommit";
    const written = await this.options.markers.write({
      producerId: txn.producerId,
      producerEpoch: txn.producerEpoch,
      commit,
      partitions: txn.partitions,
    });
    if (!written) return; // stopping: completed after the restart
    for (let attempt = 0; attempt < 10; attempt++) {
      const errorCode = await this.persist(txn, {
        ...txn.snapshot(),
        state: commit ? "CompleteCommit" : "CompleteAbort",
        partitions: new Map(),
        lastUpdateTimestamp: this.now(),
      });
      if (errorCode === ErrorCode.NONE) return;
      await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)).unref());
    }
    this.options.logger.error(
      { transactionalId: txn.transactionalId },
      "could not record a completed transaction",
    );
  }

  /** Bumps the epoch (fencing the current producer) and aborts the ongoing transaction with it. */
  private async fenceAndAbort(txn: TransactionMetadata): Promise<void> {
    if (txn.pending || txn.state !== "Ongoing") return;
    const fencedEpoch = txn.producerEpoch < maxProducerEpoch ? txn.producerEpoch + 1 : txn.producerEpoch;
    txn.lastProducerEpoch = noProducerEpoch;
    const errorCode = await this.prepareEnd(txn, false, fencedEpoch);
    if (errorCode === ErrorCode.NONE) await this.completeTransaction(txn);
  }

  private abortTimedOut(): void {
    const now = this.now();
    for (const txn of this.txns.values()) {
      if (txn.state !== "Ongoing" || txn.pending) continue;
      if (txn.startTimestamp >= 0 && now - txn.startTimestamp > txn.timeoutMs) {
        this.options.logger.info(
          { transactionalId: txn.transactionalId },
          "aborting a timed-out transaction",
        );
        this.track(this.fenceAndAbort(txn));
      }
    }
  }

  private async removeExpired(): Promise<void> {
    const now = this.now();
    for (const txn of [...this.txns.values()]) {
      const idle = txn.state === "Empty" || txn.state === "CompleteCommit" || txn.state === "CompleteAbort";
      if (!idle || txn.pending || now - txn.lastUpdateTimestamp < this.options.settings.idExpirationMs)
        continue;
      try {
        await this.options.topic.append(txn.transactionalId, [
          { key: encodeTxnLogKey(txn.transactionalId), value: null },
        ]);
        if (this.txns.get(txn.transactionalId) === txn && !txn.pending) this.txns.delete(txn.transactionalId);
      } catch (error) {
        this.options.logger.warn({ error: String(error) }, "removing an expired transactional id failed");
      }
    }
  }

  /** Writes the next state, then adopts it; NONE or the error the client gets. */
  private async persist(txn: TransactionMetadata, next: TxnSnapshot): Promise<number> {
    txn.pending = true;
    try {
      await this.options.topic.append(txn.transactionalId, [
        { key: encodeTxnLogKey(txn.transactionalId), value: encodeTxnLogValue(next) },
      ]);
      txn.apply(next);
      return ErrorCode.NONE;
    } catch (error) {
      this.options.logger.warn(
        { transactionalId: txn.transactionalId, error: String(error) },
        "writing to __transaction_state failed",
      );
      return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    } finally {
      txn.pending = false;
    }
  }

  // ---- admin views -----------------------------------------------------------------------------

  transaction(transactionalId: string): TransactionMetadata | undefined {
    return this.txns.get(transactionalId);
  }

  get transactions(): Iterable<TransactionMetadata> {
    return this.txns.values();
  }
}
