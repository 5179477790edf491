// ListTransactions (key 66), part of the tooling for finding hanging transactions (KIP-664):
// lists the transactions a coordinator owns, optionally filtered. Flexible from v0. v1 adds a
// filter on how long transactions have been running (KIP-994); v2 adds a regular-expression filter
// on the transactional id (KIP-1152). The response schema is the same in every version.

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const ListTransactions = defineApi({
  name: "ListTransactions",
  apiKey: 66,
  validVersions: "0-2",
  flexibleVersions: "0+",
  request: {
    name: "ListTransactionsRequest",
    fields: [
      {
        name: "stateFilters",
        type: "[]string",
        versions: "0+",
        about: "Only list transactions in one of these states; all states if empty.",
      },
      {
        name: "producerIdFilters",
        type: "[]int64",
        versions: "0+",
        entityType: "producerId",
        about: "Only list transactions of these producer ids; all if empty.",
      },
      {
        name: "durationFilter",
        type: "int64",
        versions: "1+",
        default: -1n,
        about: "Only list transactions running longer than this many ms; all if negative.",
      },
      {
        name: "transactionalIdPattern",
        type: "string",
        versions: "2+",
        nullableVersions: "2+",
        default: null,
        about: "Only list transactional ids matching this regular expression; all if null or empty.",
      },
    ],
  },
  response: {
    name: "ListTransactionsResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0 on success." },
      {
        name: "unknownStateFilters",
        type: "[]string",
        versions: "0+",
        about: "The requested state filters the coordinator does not know.",
      },
      {
        name: "transactionStates",
        type: "[]",
        struct: "TransactionState",
        versions: "0+",
        about: "The matching transactions.",
        fields: [
          {
            name: "transactionalId",
            type: "string",
            versions: "0+",
            entityType: "transactionalId",
            about: "The transactional id.",
          },
          {
            name: "producerId",
            type: "int64",
            versions: "0+",
            entityType: "producerId",
            about: "The producer id the transactional id uses.",
          },
          {
            name: "transactionState",
            type: "string",
            versions: "0+",
            about: "The transaction's current state.",
          },
        ],
      },
    ],
  },
});

export type ListTransactionsRequest = RequestValue<typeof ListTransactions>;
export type ListTransactionsResponse = ResponseValue<typeof ListTransactions>;
export type ListTransactionsRequestInput = RequestInput<typeof ListTransactions>;
export type ListTransactionsResponseInput = ResponseInput<typeof ListTransactions>;
