// OffsetDelete (key 47), added with KIP-496 (Kafka 2.4) to delete a group's committed offsets for
// given partitions. Only v0 exists and it was never made flexible.

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const OffsetDelete = defineApi({
  name: "OffsetDelete",
  apiKey: 47,
  validVersions: "0",
  flexibleVersions: "none",
  request: {
    name: "OffsetDeleteRequest",
    fields: [
      { name: "groupId", type: "string", versions: "0+", entityType: "groupId", about: "The group id." },
      {
        name: "topics",
        type: "[]",
        struct: "OffsetDeleteRequestTopic",
        versions: "0+",
        about: "The topics whose offsets are deleted.",
        fields: [
          { name: "name", type: "string", versions: "0+", entityType: "topicName", about: "The topic name." },
          {
            name: "partitions",
            type: "[]",
            struct: "OffsetDeleteRequestPartition",
            versions: "0+",
            about: "The partitions whose offsets are deleted.",
            fields: [
              { name: "partitionIndex", type: "int32", versions: "0+", about: "The partition index." },
            ],
          },
        ],
      },
    ],
  },
  response: {
    name: "OffsetDeleteResponse",
    fields: [
      { name: "errorCode", type: "int16", versions: "0+", about: "The top-level error code, or 0." },
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      {
        name: "topics",
        type: "[]",
        struct: "OffsetDeleteResponseTopic",
        versions: "0+",
        about: "The results per topic.",
        fields: [
          { name: "name", type: "string", versions: "0+", entityType: "topicName", about: "The topic name." },
          {
            name: "partitions",
            type: "[]",
            struct: "OffsetDeleteResponsePartition",
            versions: "0+",
            about: "The results per partition.",
            fields: [
              { name: "partitionIndex", type: "int32", versions: "0+", about: "The partition index." },
              { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0." },
            ],
          },
        ],
      },
    ],
  },
});

export type OffsetDeleteRequest = RequestValue<typeof OffsetDelete>;
export type OffsetDeleteResponse = ResponseValue<typeof OffsetDelete>;
export type OffsetDeleteRequestInput = RequestInput<typeof OffsetDelete>;
export type OffsetDeleteResponseInput = ResponseInput<typeof OffsetDelete>;
