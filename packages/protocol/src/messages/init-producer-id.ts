// InitProducerId (key 22). v1 changes nothing on the wire, the broker answers before applying a
// quota throttle (KIP-219); v2 is the first flexible version (KIP-482); v3 adds the current
// producer id and epoch to the request so a producer can recover after a fencing error (KIP-360);
// v4 may return PRODUCER_FENCED (KIP-588); v5 may return TRANSACTION_ABORTABLE (KIP-890).
// Kafka also has an unstable v6 for two-phase commit (KIP-939), not declared here.

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const InitProducerId = defineApi({
  name: "InitProducerId",
  apiKey: 22,
  validVersions: "0-5",
  flexibleVersions: "2+",
  request: {
    name: "InitProducerIdRequest",
    fields: [
      {
        name: "transactionalId",
        type: "string",
        versions: "0+",
        nullableVersions: "0+",
        entityType: "transactionalId",
        about: "The transactional id, or null for an idempotent-only producer.",
      },
      {
        name: "transactionTimeoutMs",
        type: "int32",
        versions: "0+",
        about: "How long in ms a transaction may stay idle before it is aborted (transactional only).",
      },
      {
        name: "producerId",
        type: "int64",
        versions: "3+",
        default: -1n,
        entityType: "producerId",
        about: "The producer id currently held, or -1; tells apart reuses of an expired transactional id.",
      },
      {
        name: "producerEpoch",
        type: "int16",
        versions: "3+",
        default: -1,
        about: "The producer epoch currently held, or -1; must match the broker's.",
      },
    ],
  },
  response: {
    name: "InitProducerIdResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0 on success." },
      {
        name: "producerId",
        type: "int64",
        versions: "0+",
        default: -1n,
        entityType: "producerId",
        about: "The producer id assigned.",
      },
      {
        name: "producerEpoch",
        type: "int16",
        versions: "0+",
        about: "The epoch that goes with the producer id.",
      },
    ],
  },
});

export type InitProducerIdRequest = RequestValue<typeof InitProducerId>;
export type InitProducerIdResponse = ResponseValue<typeof InitProducerId>;
export type InitProducerIdRequestInput = RequestInput<typeof InitProducerId>;
export type InitProducerIdResponseInput = ResponseInput<typeof InitProducerId>;
