// OffsetCommit (key 8). v1 adds the generation and member id plus a per-partition commit timestamp
// (v1 only); v2 swaps that timestamp for a request-wide retention time; v3 adds throttle time to
// the response; v4 throttles after answering (KIP-219); v5 drops the retention time, now a broker
// setting (KIP-211); v6 adds the committed leader epoch (KIP-320); v7 adds the group instance id
// (KIP-345); v8 is the first flexible version (KIP-482); v9 may be sent by members of the new
// consumer group protocol, the generation field then carrying the member epoch (KIP-848); v10
// names topics by id instead of by name (KIP-848). v0-1 are deprecated and gone from Kafka 4
// brokers (KIP-896).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const OffsetCommit = defineApi({
  name: "OffsetCommit",
  apiKey: 8,
  validVersions: "0-10",
  deprecatedVersions: "0-1",
  flexibleVersions: "8+",
  request: {
    name: "OffsetCommitRequest",
    fields: [
      { name: "groupId", type: "string", versions: "0+", entityType: "groupId", about: "The group id." },
      {
        name: "generationIdOrMemberEpoch",
        type: "int32",
        versions: "1+",
        default: -1,
        about: "Generation (classic protocol) or member epoch (consumer protocol).",
      },
      { name: "memberId", type: "string", versions: "1+", about: "The member id given by the coordinator." },
      {
        name: "groupInstanceId",
        type: "string",
        versions: "7+",
        nullableVersions: "7+",
        default: null,
        about: "The static member's instance id, or null.",
      },
      {
        name: "retentionTimeMs",
        type: "int64",
        versions: "2-4",
        default: -1n,
        about: "How long to keep the offsets, in ms.",
      },
      {
        name: "topics",
        type: "[]",
        struct: "OffsetCommitRequestTopic",
        versions: "0+",
        about: "The topics whose offsets are committed.",
        fields: [
          {
            name: "name",
            type: "string",
            versions: "0-9",
            entityType: "topicName",
            about: "The topic name.",
          },
          { name: "topicId", type: "uuid", versions: "10+", about: "The topic id." },
          {
            name: "partitions",
            type: "[]",
            struct: "OffsetCommitRequestPartition",
            versions: "0+",
            about: "The partitions whose offsets are committed.",
            fields: [
              { name: "partitionIndex", type: "int32", versions: "0+", about: "The partition index." },
              { name: "committedOffset", type: "int64", versions: "0+", about: "The offset to commit." },
              {
                name: "committedLeaderEpoch",
                type: "int32",
                versions: "6+",
                default: -1,
                about: "The leader epoch of the committed position.",
              },
              {
                name: "commitTimestamp",
                type: "int64",
                versions: "1",
                default: -1n,
                about: "The commit timestamp (v1 only).",
              },
              {
                name: "committedMetadata",
                type: "string",
                versions: "0+",
                nullableVersions: "0+",
                about: "Client metadata stored with the offset.",
              },
            ],
          },
        ],
      },
    ],
  },
  response: {
    name: "OffsetCommitResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "3+", about: "Throttle duration in ms, or zero." },
      {
        name: "topics",
        type: "[]",
        struct: "OffsetCommitResponseTopic",
        versions: "0+",
        about: "The results per topic.",
        fields: [
          {
            name: "name",
            type: "string",
            versions: "0-9",
            entityType: "topicName",
            about: "The topic name.",
          },
          { name: "topicId", type: "uuid", versions: "10+", about: "The topic id." },
          {
            name: "partitions",
            type: "[]",
            struct: "OffsetCommitResponsePartition",
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

export type OffsetCommitRequest = RequestValue<typeof OffsetCommit>;
export type OffsetCommitResponse = ResponseValue<typeof OffsetCommit>;
export type OffsetCommitRequestInput = RequestInput<typeof OffsetCommit>;
export type OffsetCommitResponseInput = ResponseInput<typeof OffsetCommit>;
