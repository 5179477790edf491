// AddOffsetsToTxn (key 25). v1 changes nothing on the wire, the broker answers before applying a
// quota throttle (KIP-219); v2 may return PRODUCER_FENCED (KIP-588); v3 is the first flexible
// version (KIP-482); v4 may return TRANSACTION_ABORTABLE (KIP-890).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const AddOffsetsToTxn = defineApi({
  name: "AddOffsetsToTxn",
  apiKey: 25,
  validVersions: "0-4",
  flexibleVersions: "3+",
  request: {
    name: "AddOffsetsToTxnRequest",
    fields: [
      {
        name: "transactionalId",
        type: "string",
        versions: "0+",
        entityType: "transactionalId",
        about: "The transactional id of the transaction.",
      },
      {
        name: "producerId",
        type: "int64",
        versions: "0+",
        entityType: "producerId",
        about: "The producer id the transactional id currently uses.",
      },
      {
        name: "producerEpoch",
        type: "int16",
        versions: "0+",
        about: "The epoch that goes with the producer id.",
      },
      {
        name: "groupId",
        type: "string",
        versions: "0+",
        entityType: "groupId",
        about: "The group whose offsets the transaction will commit.",
      },
    ],
  },
  response: {
    name: "AddOffsetsToTxnResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0 on success." },
    ],
  },
});

export type AddOffsetsToTxnRequest = RequestValue<typeof AddOffsetsToTxn>;
export type AddOffsetsToTxnResponse = ResponseValue<typeof AddOffsetsToTxn>;
export type AddOffsetsToTxnRequestInput = RequestInput<typeof AddOffsetsToTxn>;
export type AddOffsetsToTxnResponseInput = ResponseInput<typeof AddOffsetsToTxn>;
