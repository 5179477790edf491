// A request to a coordinator (transaction or group), retried the way Kafka's TransactionManager
// does: a coordinator that moved or is loading is looked up again, CONCURRENT_TRANSACTIONS (the
// previous transaction's markers are still being written) is retried after a short backoff, and
// so are network errors — until the deadline.

import type { Cluster, CoordinatorType } from "../cluster/cluster.ts";
import type { BrokerConnection } from "../connection/broker-connection.ts";
import { KafkaClientError, KafkaProtocolError, KafkaTimeoutError } from "../errors.ts";
import { sleep } from "../retry.ts";

/** Codes that mean "ask the coordinator again later". */
const coordinatorMoved = new Set([14, 15, 16]); // COORDINATOR_LOAD_IN_PROGRESS, _NOT_AVAILABLE, NOT_COORDINATOR
const CONCURRENT_TRANSACTIONS = 51;

export interface CoordinatorCall<T> {
  readonly cluster: Cluster;
  readonly type: CoordinatorType;
  readonly key: string;
  readonly what: string;
  readonly deadline: number;
  /** Aborted when the producer closes: stop retrying. */
  readonly signal?: AbortSignal;
  /** Sends the request; returns the error code that decides a retry, and the result. */
  readonly attempt: (connection: BrokerConnection) => Promise<{ errorCode: number; result: T }>;
}

export async function callCoordinator<T>(call: CoordinatorCall<T>): Promise<T> {
  let last: unknown;
  for (let attempt = 0; ; attempt++) {
    if (call.signal?.aborted) throw new KafkaClientError(`${call.what}: the producer is closed`, false);
    if (Date.now() >= call.deadline)
      throw last instanceof KafkaClientError && !(last instanceof KafkaProtocolError)
        ? last
        : new KafkaTimeoutError(
            `${call.what} did not complete in time${last instanceof Error ? ` (last error: ${last.message})` : ""}`,
          );
    let delay = call.cluster.backoff(attempt);
    try {
      const connection = await call.cluster.coordinator(call.type, call.key);
      const { errorCode, result } = await call.attempt(connection);
      if (errorCode === 0) return result;
      last = new KafkaProtocolError(errorCode, call.what);
      if (coordinatorMoved.has(errorCode)) call.cluster.forgetCoordinator(call.type, call.key);
      else if (errorCode === CONCURRENT_TRANSACTIONS) delay = Math.min(delay, 20 * (attempt + 1));
      else throw last;
    } catch (error) {
      if (error instanceof KafkaProtocolError && !error.retriable) throw error;
      if (!(error instanceof KafkaClientError)) throw error;
      last = error;
      if (!(error instanceof KafkaProtocolError)) call.cluster.forgetCoordinator(call.type, call.key);
    }
    await sleep(Math.max(0, Math.min(delay, call.deadline - Date.now())));
  }
}
