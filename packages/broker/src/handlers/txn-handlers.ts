// The idempotence and transaction APIs, for the handler list in index.ts: InitProducerId,
// AddPartitionsToTxn, AddOffsetsToTxn, EndTxn, TxnOffsetCommit, DescribeTransactions,
// DescribeProducers, ListTransactions.

import { type Handler, registered } from "../dispatch/handler.ts";
import { addOffsetsToTxnHandler } from "./add-offsets-to-txn.ts";
import { addPartitionsToTxnHandler } from "./add-partitions-to-txn.ts";
import { describeProducersHandler } from "./describe-producers.ts";
import { describeTransactionsHandler } from "./describe-transactions.ts";
import { endTxnHandler } from "./end-txn.ts";
import { initProducerIdHandler } from "./init-producer-id.ts";
import { listTransactionsHandler } from "./list-transactions.ts";
import { txnOffsetCommitHandler } from "./txn-offset-commit.ts";

export const txnHandlers: readonly Handler[] = [
  registered(initProducerIdHandler),
  registered(addPartitionsToTxnHandler),
  registered(addOffsetsToTxnHandler),
  registered(endTxnHandler),
  registered(txnOffsetCommitHandler),
  registered(describeTransactionsHandler),
  registered(describeProducersHandler),
  registered(listTransactionsHandler),
];
