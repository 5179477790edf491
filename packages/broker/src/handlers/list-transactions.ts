// ListTransactions (key 66), v0–1: the transactional ids this coordinator owns, filtered by state
// (unknown state names are echoed in unknownStateFilters), producer id and (v1) by running longer
// than durationFilter ms. Not served: v2 (a Java regular expression on the id, KIP-1152).

import { ErrorCode, ListTransactions } from "@nagare/protocol";
import { txnStateIds } from "../coordinator/txn/txn-metadata.ts";
import { defineHandler } from "../dispatch/handler.ts";

export const listTransactionsHandler = defineHandler({
  api: ListTransactions,
  minVersion: 0,
  maxVersion: 1,
  async handle(request, ctx) {
    const known = new Set(Object.keys(txnStateIds));
    const states = new Set(request.stateFilters.filter((s) => known.has(s)));
    const unknownStateFilters = request.stateFilters.filter((s) => !known.has(s));
    const producerIds = new Set(request.producerIdFilters);
    const now = ctx.services.clock();
    const minRunning = ctx.apiVersion >= 1 ? Number(request.durationFilter) : -1;
    const transactionStates = [];
    // With only unknown state filters nothing can match (Kafka answers an empty list then).
    if (unknownStateFilters.length === 0 || states.size > 0) {
      for (const txn of ctx.services.transactions.transactions) {
        if (txn.state === "Dead") continue;
        if (states.size > 0 && !states.has(txn.state)) continue;
        if (producerIds.size > 0 && !producerIds.has(txn.producerId)) continue;
        if (minRunning >= 0 && !(txn.state === "Ongoing" && now - txn.startTimestamp > minRunning)) continue;
        transactionStates.push({
          transactionalId: txn.transactionalId,
          producerId: txn.producerId,
          transactionState: txn.state,
        });
      }
    }
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, unknownStateFilters, transactionStates };
  },
  errorResponse: (_request, errorCode) => ({
    throttleTimeMs: 0,
    errorCode,
    unknownStateFilters: [],
    transactionStates: [],
  }),
});
