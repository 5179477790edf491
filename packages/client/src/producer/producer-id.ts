// InitProducerId: the producer id and epoch an idempotent or transactional producer writes with.
// A transactional id goes to its transaction coordinator (which bumps the epoch and so fences any
// older producer with that id); an idempotent-only producer asks any broker. v3+ carries the id
// and epoch currently held (KIP-360), which lets the coordinator bump the epoch after an error
// instead of treating the producer as a zombie.

import { InitProducerId } from "@nagare/protocol";
import type { Cluster } from "../cluster/cluster.ts";
import { KafkaClientError, KafkaProtocolError, KafkaTimeoutError } from "../errors.ts";
import { sleep } from "../retry.ts";
import { callCoordinator } from "./coordinator-call.ts";
import { NO_PRODUCER, type ProducerIdAndEpoch } from "./idempotence.ts";

export interface InitProducerIdArgs {
  readonly cluster: Cluster;
  readonly transactionalId: string | null;
  readonly transactionTimeoutMs: number;
  readonly current?: ProducerIdAndEpoch;
  readonly deadline: number;
  /** Aborted when the producer closes: stop retrying. */
  readonly signal?: AbortSignal;
}

export async function initProducerId(args: InitProducerIdArgs): Promise<ProducerIdAndEpoch> {
  const current = args.current ?? NO_PRODUCER;
  const body = {
    transactionalId: args.transactionalId,
    // An idempotent-only producer has no transaction to time out (Java sends Integer.MAX_VALUE).
    transactionTimeoutMs: args.transactionalId === null ? 0x7fffffff : args.transactionTimeoutMs,
    producerId: current.producerId,
    producerEpoch: current.epoch,
  };
  if (args.transactionalId !== null)
    return callCoordinator({
      cluster: args.cluster,
      type: "transaction",
      key: args.transactionalId,
      what: `InitProducerId for transactionalId ${args.transactionalId}`,
      deadline: args.deadline,
      ...(args.signal ? { signal: args.signal } : {}),
      attempt: async (connection) => {
        const response = await connection.send(InitProducerId, body);
        return {
          errorCode: response.errorCode,
          result: { producerId: response.producerId, epoch: response.producerEpoch },
        };
      },
    });
  let last: unknown;
  for (let attempt = 0; Date.now() < args.deadline; attempt++) {
    if (args.signal?.aborted) throw new KafkaClientError("InitProducerId: the producer is closed", false);
    try {
      const connection = await args.cluster.anyConnection();
      const response = await connection.send(InitProducerId, body);
      if (response.errorCode === 0) return { producerId: response.producerId, epoch: response.producerEpoch };
      last = new KafkaProtocolError(response.errorCode, "InitProducerId");
      if (!(last as KafkaProtocolError).retriable) throw last;
    } catch (error) {
      if (error instanceof KafkaProtocolError && !error.retriable) throw error;
      last = error;
    }
    await sleep(args.cluster.backoff(attempt));
  }
  throw last instanceof Error ? last : new KafkaTimeoutError("InitProducerId did not complete in time");
}
