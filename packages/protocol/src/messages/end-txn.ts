// EndTxn (key 26). v1 changes nothing on the wire, the broker answers before applying a quota
// throttle (KIP-219); v2 may return PRODUCER_FENCED (KIP-588); v3 is the first flexible version
// (KIP-482); v4 may return TRANSACTION_ABORTABLE (KIP-890); v5 is transactions v2 (KIP-890 part 2):
// the epoch is bumped at the end of every transaction, so the response returns the producer id
// and epoch to use for the next one.

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const EndTxn = defineApi({
  name: "EndTxn",
  apiKey: 26,
  validVersions: "0-5",
  flexibleVersions: "3+",
  request: {
    name: "EndTxnRequest",
    fields: [
      {
        name: "transactionalId",
        type: "string",
        versions: "0+",
        entityType: "transactionalId",
        about: "The transactional id of the transaction to end.",
      },
      {
        name: "producerId",
        type: "int64",
        versions: "0+",
        entityType: "producerId",
        about: "The producer id.",
      },
      {
        name: "producerEpoch",
        type: "int16",
        versions: "0+",
        about: "The epoch that goes with the producer id.",
      },
      {
        name: "committed",
        type: "bool",
        versions: "0+",
        about: "True to commit the transaction, false to abort it.",
      },
    ],
  },
  response: {
    name: "EndTxnResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0 on success." },
      {
        name: "producerId",
        type: "int64",
        versions: "5+",
        default: -1n,
        entityType: "producerId",
        about: "The producer id to use for the next transaction.",
      },
      {
        name: "producerEpoch",
        type: "int16",
        versions: "5+",
        default: -1,
        about: "The producer epoch to use for the next transaction.",
      },
    ],
  },
});

export type EndTxnRequest = RequestValue<typeof EndTxn>;
export type EndTxnResponse = ResponseValue<typeof EndTxn>;
export type EndTxnRequestInput = RequestInput<typeof EndTxn>;
export type EndTxnResponseInput = ResponseInput<typeof EndTxn>;
