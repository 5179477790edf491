// CreatePartitions (key 37), adds partitions to existing topics (KIP-195). v1 is unchanged on the
// wire but the response is sent before throttling; v2 is the first flexible version; v3 may return
// THROTTLING_QUOTA_EXCEEDED (KIP-599).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const CreatePartitions = defineApi({
  name: "CreatePartitions",
  apiKey: 37,
  validVersions: "0-3",
  flexibleVersions: "2+",
  request: {
    name: "CreatePartitionsRequest",
    fields: [
      {
        name: "topics",
        type: "[]",
        struct: "CreatePartitionsTopic",
        versions: "0+",
        about: "The topics to grow.",
        fields: [
          { name: "name", type: "string", versions: "0+", entityType: "topicName", about: "The topic name." },
          { name: "count", type: "int32", versions: "0+", about: "The new total partition count." },
          {
            name: "assignments",
            type: "[]",
            struct: "CreatePartitionsAssignment",
            versions: "0+",
            nullableVersions: "0+",
            about: "Replica placement of the new partitions, or null for automatic.",
            fields: [
              {
                name: "brokerIds",
                type: "[]int32",
                versions: "0+",
                entityType: "brokerId",
                about: "The brokers holding the new partition's replicas.",
              },
            ],
          },
        ],
      },
      {
        name: "timeoutMs",
        type: "int32",
        versions: "0+",
        about: "How long to wait for the partitions to be created, in ms.",
      },
      {
        name: "validateOnly",
        type: "bool",
        versions: "0+",
        about: "If true, only validate the request without changing anything.",
      },
    ],
  },
  response: {
    name: "CreatePartitionsResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      {
        name: "results",
        type: "[]",
        struct: "CreatePartitionsTopicResult",
        versions: "0+",
        about: "One result per topic.",
        fields: [
          { name: "name", type: "string", versions: "0+", entityType: "topicName", about: "The topic name." },
          { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0." },
          {
            name: "errorMessage",
            type: "string",
            versions: "0+",
            nullableVersions: "0+",
            default: null,
            about: "The error message, or null.",
          },
        ],
      },
    ],
  },
});

export type CreatePartitionsRequest = RequestValue<typeof CreatePartitions>;
export type CreatePartitionsResponse = ResponseValue<typeof CreatePartitions>;
export type CreatePartitionsRequestInput = RequestInput<typeof CreatePartitions>;
export type CreatePartitionsResponseInput = ResponseInput<typeof CreatePartitions>;
