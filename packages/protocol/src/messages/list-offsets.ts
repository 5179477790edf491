// ListOffsets (key 2). v1 drops MaxNumOffsets and returns a single offset with its timestamp
// (KIP-79); v2 adds the isolation level to the request and throttle time to the response; v3
// responds before throttling; v4 adds leader epochs for fencing (KIP-320); v5 may return
// OFFSET_NOT_AVAILABLE (KIP-207); v6 is the first flexible version; v7 accepts timestamp -3, max
// timestamp (KIP-734); v8 accepts -4, local log start offset (KIP-405); v9 accepts -5, last tiered
// offset (KIP-1005); v10 adds a timeout for remote-storage lookups (KIP-1075); v11 accepts -6,
// earliest pending upload offset (KIP-1023). Kafka 4 removed v0 (KIP-896).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const ListOffsets = defineApi({
  name: "ListOffsets",
  apiKey: 2,
  validVersions: "0-11",
  deprecatedVersions: "0",
  flexibleVersions: "6+",
  request: {
    name: "ListOffsetsRequest",
    fields: [
      {
        name: "replicaId",
        type: "int32",
        versions: "0+",
        entityType: "brokerId",
        about: "The requesting broker's id, or -1 for a consumer.",
      },
      {
        name: "isolationLevel",
        type: "int8",
        versions: "2+",
        about: "0 sees uncommitted records, 1 only committed ones.",
      },
      {
        name: "topics",
        type: "[]",
        struct: "ListOffsetsTopic",
        versions: "0+",
        about: "The topics to look up.",
        fields: [
          { name: "name", type: "string", versions: "0+", entityType: "topicName", about: "The topic name." },
          {
            name: "partitions",
            type: "[]",
            struct: "ListOffsetsPartition",
            versions: "0+",
            about: "The partitions to look up.",
            fields: [
              { name: "partitionIndex", type: "int32", versions: "0+", about: "The partition index." },
              {
                name: "currentLeaderEpoch",
                type: "int32",
                versions: "4+",
                default: -1,
                about: "The leader epoch known to the requester, or -1.",
              },
              {
                name: "timestamp",
                type: "int64",
                versions: "0+",
                about: "The timestamp to look up, or a negative special value.",
              },
              {
                name: "maxNumOffsets",
                type: "int32",
                versions: "0",
                default: 1,
                about: "How many offsets to return at most.",
              },
            ],
          },
        ],
      },
      {
        name: "timeoutMs",
        type: "int32",
        versions: "10+",
        about: "How long to wait for lookups in remote storage, in ms.",
      },
    ],
  },
  response: {
    name: "ListOffsetsResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "2+", about: "Throttle duration in ms, or zero." },
      {
        name: "topics",
        type: "[]",
        struct: "ListOffsetsTopicResponse",
        versions: "0+",
        about: "One result per topic.",
        fields: [
          { name: "name", type: "string", versions: "0+", entityType: "topicName", about: "The topic name." },
          {
            name: "partitions",
            type: "[]",
            struct: "ListOffsetsPartitionResponse",
            versions: "0+",
            about: "One result per partition.",
            fields: [
              { name: "partitionIndex", type: "int32", versions: "0+", about: "The partition index." },
              { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0." },
              {
                name: "oldStyleOffsets",
                type: "[]int64",
                versions: "0",
                about: "The offsets found (v0 only).",
              },
              {
                name: "timestamp",
                type: "int64",
                versions: "1+",
                default: -1n,
                about: "The timestamp of the returned offset, or -1.",
              },
              {
                name: "offset",
                type: "int64",
                versions: "1+",
                default: -1n,
                about: "The offset found, or -1.",
              },
              {
                name: "leaderEpoch",
                type: "int32",
                versions: "4+",
                default: -1,
                about: "The leader epoch of the returned offset, or -1.",
              },
            ],
          },
        ],
      },
    ],
  },
});

export type ListOffsetsRequest = RequestValue<typeof ListOffsets>;
export type ListOffsetsResponse = ResponseValue<typeof ListOffsets>;
export type ListOffsetsRequestInput = RequestInput<typeof ListOffsets>;
export type ListOffsetsResponseInput = ResponseInput<typeof ListOffsets>;
