// FindCoordinator (key 10). v1 adds the key type (group or transaction) and, in the response,
// throttle time and an error message; v2 throttles after answering (KIP-219); v3 is the first
// flexible version (KIP-482); v4 looks up a batch of keys at once (KIP-699); v5 may return
// TRANSACTION_ABORTABLE (KIP-890); v6 adds the share-group key type (KIP-932). v0 is deprecated
// and gone from Kafka 4 brokers (KIP-896).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const FindCoordinator = defineApi({
  name: "FindCoordinator",
  apiKey: 10,
  validVersions: "0-6",
  deprecatedVersions: "0",
  flexibleVersions: "3+",
  request: {
    name: "FindCoordinatorRequest",
    fields: [
      { name: "key", type: "string", versions: "0-3", about: "The key to find the coordinator of." },
      {
        name: "keyType",
        type: "int8",
        versions: "1+",
        default: 0,
        about: "The key type: 0 group, 1 transaction, 2 share group.",
      },
      {
        name: "coordinatorKeys",
        type: "[]string",
        versions: "4+",
        about: "The keys to find the coordinators of.",
      },
    ],
  },
  response: {
    name: "FindCoordinatorResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "1+", about: "Throttle duration in ms, or zero." },
      { name: "errorCode", type: "int16", versions: "0-3", about: "The error code, or 0." },
      {
        name: "errorMessage",
        type: "string",
        versions: "1-3",
        nullableVersions: "1-3",
        about: "The error message, or null.",
      },
      {
        name: "nodeId",
        type: "int32",
        versions: "0-3",
        entityType: "brokerId",
        about: "The coordinator's node id.",
      },
      { name: "host", type: "string", versions: "0-3", about: "The coordinator's host." },
      { name: "port", type: "int32", versions: "0-3", about: "The coordinator's port." },
      {
        name: "coordinators",
        type: "[]",
        struct: "Coordinator",
        versions: "4+",
        about: "The result for each requested key.",
        fields: [
          { name: "key", type: "string", versions: "4+", about: "The requested key." },
          {
            name: "nodeId",
            type: "int32",
            versions: "4+",
            entityType: "brokerId",
            about: "The coordinator's node id.",
          },
          { name: "host", type: "string", versions: "4+", about: "The coordinator's host." },
          { name: "port", type: "int32", versions: "4+", about: "The coordinator's port." },
          { name: "errorCode", type: "int16", versions: "4+", about: "The error code, or 0." },
          {
            name: "errorMessage",
            type: "string",
            versions: "4+",
            nullableVersions: "4+",
            about: "The error message, or null.",
          },
        ],
      },
    ],
  },
});

export type FindCoordinatorRequest = RequestValue<typeof FindCoordinator>;
export type FindCoordinatorResponse = ResponseValue<typeof FindCoordinator>;
export type FindCoordinatorRequestInput = RequestInput<typeof FindCoordinator>;
export type FindCoordinatorResponseInput = ResponseInput<typeof FindCoordinator>;
