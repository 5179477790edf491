// EndTxn (key 26), v0–4: commits or aborts the producer's transaction. The answer comes once
// PrepareCommit/PrepareAbort is in __transaction_state; the markers follow (until they are
// written, the producer's next transactional request gets CONCURRENT_TRANSACTIONS and retries).
// A retried EndTxn for a completed transaction answers NONE; the wrong outcome INVALID_TXN_STATE.
//
// Not served: v5 (transactions v2, KIP-890 part 2, which bumps the epoch at every commit).

import { EndTxn } from "@nagare/protocol";
import { defineHandler } from "../dispatch/handler.ts";
import { fencedForVersion } from "./producer-fenced.ts";

export const endTxnHandler = defineHandler({
  api: EndTxn,
  minVersion: 0,
  maxVersion: 4,
  async handle(request, ctx) {
    const result = await ctx.services.transactions.endTxn(
      request.transactionalId,
      request.producerId,
      request.producerEpoch,
      request.committed,
    );
    return { throttleTimeMs: 0, ...result, errorCode: fencedForVersion(result.errorCode, ctx.apiVersion, 2) };
  },
  errorResponse: (_request, errorCode) => ({
    throttleTimeMs: 0,
    errorCode,
    producerId: -1n,
    producerEpoch: -1,
  }),
});
