// DescribeTransactions (key 65), v0: the state of each transactional id (KIP-664 tooling):
// producer id and epoch, state name, timeout, start time and partitions. Unknown ids answer
// TRANSACTIONAL_ID_NOT_FOUND; an empty id INVALID_REQUEST.

import { DescribeTransactions, ErrorCode } from "@nagare/protocol";
import { defineHandler } from "../dispatch/handler.ts";

function notDescribed(transactionalId: string, errorCode: number) {
  return {
    errorCode,
    transactionalId,
    transactionState: "",
    transactionTimeoutMs: 0,
    transactionStartTimeMs: -1n,
    producerId: -1n,
    producerEpoch: -1,
    topics: [],
  };
}

export const describeTransactionsHandler = defineHandler({
  api: DescribeTransactions,
  minVersion: 0,
  maxVersion: 0,
  async handle(request, ctx) {
    const transactionStates = request.transactionalIds.map((id) => {
      if (id === "") return notDescribed(id, ErrorCode.INVALID_REQUEST);
      const txn = ctx.services.transactions.transaction(id);
      if (!txn || txn.state === "Dead") return notDescribed(id, ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
      return {
        errorCode: ErrorCode.NONE,
        transactionalId: id,
        transactionState: txn.state,
        transactionTimeoutMs: txn.timeoutMs,
        transactionStartTimeMs: BigInt(txn.startTimestamp),
        producerId: txn.producerId,
        producerEpoch: txn.producerEpoch,
        topics: [...txn.partitions].map(([topic, partitions]) => ({ topic, partitions: [...partitions] })),
      };
    });
    return { throttleTimeMs: 0, transactionStates };
  },
  errorResponse: (request, errorCode) => ({
    throttleTimeMs: 0,
    transactionStates: request.transactionalIds.map((id) => notDescribed(id, errorCode)),
  }),
});
