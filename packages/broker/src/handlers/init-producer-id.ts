// InitProducerId (key 22), v0–5: a producer id and epoch for an idempotent producer (no
// transactional id: a fresh id, epoch 0) or for a transactional id (the coordinator bumps the
// epoch, fencing earlier producers; an ongoing transaction of the previous producer is aborted
// first and the caller gets CONCURRENT_TRANSACTIONS, then retries). transactionTimeoutMs must be
// within (0, transaction.max.timeout.ms], else INVALID_TRANSACTION_TIMEOUT. v3+ carry the
// producer's current id/epoch (KIP-360); PRODUCER_FENCED is INVALID_PRODUCER_EPOCH before v4.

import { InitProducerId } from "@nagare/protocol";
import { defineHandler } from "../dispatch/handler.ts";
import { fencedForVersion } from "./producer-fenced.ts";

export const initProducerIdHandler = defineHandler({
  api: InitProducerId,
  minVersion: 0,
  maxVersion: 5,
  async handle(request, ctx) {
    const result = await ctx.services.transactions.initProducerId({
      transactionalId: request.transactionalId,
      transactionTimeoutMs: request.transactionTimeoutMs,
      producerId: ctx.apiVersion >= 3 ? request.producerId : -1n,
      producerEpoch: ctx.apiVersion >= 3 ? request.producerEpoch : -1,
    });
    return { throttleTimeMs: 0, ...result, errorCode: fencedForVersion(result.errorCode, ctx.apiVersion, 4) };
  },
  errorResponse: (_request, errorCode) => ({
    throttleTimeMs: 0,
    errorCode,
    producerId: -1n,
    producerEpoch: -1,
  }),
});
