// OffsetForLeaderEpoch (key 23), used to find where a log diverges (KIP-101). v1 returns the
// leader epoch alongside the end offset (KIP-279); v2 adds the current leader epoch for fencing
// and throttle time (KIP-320); v3 adds the replica id, so consumers (-1) can use the API too and
// -2 marks a debug requester; v4 is the first flexible version. Kafka 4 removed v0-v1 (KIP-896).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const OffsetForLeaderEpoch = defineApi({
  name: "OffsetForLeaderEpoch",
  apiKey: 23,
  validVersions: "0-4",
  deprecatedVersions: "0-1",
  flexibleVersions: "4+",
  request: {
    name: "OffsetForLeaderEpochRequest",
    fields: [
      {
        name: "replicaId",
        type: "int32",
        versions: "3+",
        default: -2,
        entityType: "brokerId",
        about: "The follower's broker id, -1 for a consumer, -2 for a debug requester.",
      },
      {
        name: "topics",
        type: "[]",
        struct: "OffsetForLeaderTopic",
        versions: "0+",
        about: "The topics to look up.",
        fields: [
          {
            name: "topic",
            type: "string",
            versions: "0+",
            entityType: "topicName",
            about: "The topic name.",
          },
          {
            name: "partitions",
            type: "[]",
            struct: "OffsetForLeaderPartition",
            versions: "0+",
            about: "The partitions to look up.",
            fields: [
              { name: "partition", type: "int32", versions: "0+", about: "The partition index." },
              {
                name: "currentLeaderEpoch",
                type: "int32",
                versions: "2+",
                default: -1,
                about: "The leader epoch known to the requester, for fencing, or -1.",
              },
              {
                name: "leaderEpoch",
                type: "int32",
                versions: "0+",
                about: "The epoch whose end offset is wanted.",
              },
            ],
          },
        ],
      },
    ],
  },
  response: {
    name: "OffsetForLeaderEpochResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "2+", about: "Throttle duration in ms, or zero." },
      {
        name: "topics",
        type: "[]",
        struct: "OffsetForLeaderTopicResult",
        versions: "0+",
        about: "One result per topic.",
        fields: [
          {
            name: "topic",
            type: "string",
            versions: "0+",
            entityType: "topicName",
            about: "The topic name.",
          },
          {
            name: "partitions",
            type: "[]",
            struct: "EpochEndOffset",
            versions: "0+",
            about: "One result per partition.",
            fields: [
              { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0." },
              { name: "partition", type: "int32", versions: "0+", about: "The partition index." },
              {
                name: "leaderEpoch",
                type: "int32",
                versions: "1+",
                default: -1,
                about: "The largest known epoch not above the requested one, or -1.",
              },
              {
                name: "endOffset",
                type: "int64",
                versions: "0+",
                default: -1n,
                about: "The end offset of that epoch, or -1.",
              },
            ],
          },
        ],
      },
    ],
  },
});

export type OffsetForLeaderEpochRequest = RequestValue<typeof OffsetForLeaderEpoch>;
export type OffsetForLeaderEpochResponse = ResponseValue<typeof OffsetForLeaderEpoch>;
export type OffsetForLeaderEpochRequestInput = RequestInput<typeof OffsetForLeaderEpoch>;
export type OffsetForLeaderEpochResponseInput = ResponseInput<typeof OffsetForLeaderEpoch>;
