// DescribeTransactions (key 65), part of the tooling for finding hanging transactions (KIP-664):
// the transaction coordinator's view of given transactional ids. Only v0 exists; it is flexible.

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const DescribeTransactions = defineApi({
  name: "DescribeTransactions",
  apiKey: 65,
  validVersions: "0",
  flexibleVersions: "0+",
  request: {
    name: "DescribeTransactionsRequest",
    fields: [
      {
        name: "transactionalIds",
        type: "[]string",
        versions: "0+",
        entityType: "transactionalId",
        about: "The transactional ids to describe; none are described if empty.",
      },
    ],
  },
  response: {
    name: "DescribeTransactionsResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      {
        name: "transactionStates",
        type: "[]",
        struct: "TransactionState",
        versions: "0+",
        about: "The state of each transactional id.",
        fields: [
          { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0 on success." },
          {
            name: "transactionalId",
            type: "string",
            versions: "0+",
            entityType: "transactionalId",
            about: "The transactional id.",
          },
          {
            name: "transactionState",
            type: "string",
            versions: "0+",
            about: "The transaction's state (Ongoing, PrepareCommit, …).",
          },
          {
            name: "transactionTimeoutMs",
            type: "int32",
            versions: "0+",
            about: "The transaction timeout in ms.",
          },
          {
            name: "transactionStartTimeMs",
            type: "int64",
            versions: "0+",
            about: "When the ongoing transaction started, in ms since the epoch.",
          },
          {
            name: "producerId",
            type: "int64",
            versions: "0+",
            entityType: "producerId",
            about: "The producer id the transactional id uses.",
          },
          {
            name: "producerEpoch",
            type: "int16",
            versions: "0+",
            about: "The epoch that goes with the producer id.",
          },
          {
            name: "topics",
            type: "[]",
            struct: "TopicData",
            versions: "0+",
            about: "The partitions in the transaction, without those already marked while it completes.",
            fields: [
              {
                name: "topic",
                type: "string",
                versions: "0+",
                entityType: "topicName",
                about: "The topic name.",
              },
              { name: "partitions", type: "[]int32", versions: "0+", about: "The partition indexes." },
            ],
          },
        ],
      },
    ],
  },
});

export type DescribeTransactionsRequest = RequestValue<typeof DescribeTransactions>;
export type DescribeTransactionsResponse = ResponseValue<typeof DescribeTransactions>;
export type DescribeTransactionsRequestInput = RequestInput<typeof DescribeTransactions>;
export type DescribeTransactionsResponseInput = ResponseInput<typeof DescribeTransactions>;
