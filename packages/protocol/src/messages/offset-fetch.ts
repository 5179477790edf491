// OffsetFetch (key 9). v0 read offsets kept in ZooKeeper, v1 those in __consumer_offsets; v2 lets
// a null topic list mean "every topic" and adds a top-level error code; v3 adds throttle time; v4
// throttles after answering (KIP-219); v5 returns the committed leader epoch (KIP-320); v6 is the
// first flexible version (KIP-482); v7 adds RequireStable (KIP-447); v8 replaces the single group
// with a batch of groups (KIP-709); v9 adds the member id and epoch of the new consumer group
// protocol (KIP-848); v10 names topics by id instead of by name (KIP-848). v0 is deprecated and
// gone from Kafka 4 brokers (KIP-896).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const OffsetFetch = defineApi({
  name: "OffsetFetch",
  apiKey: 9,
  validVersions: "0-10",
  deprecatedVersions: "0",
  flexibleVersions: "6+",
  request: {
    name: "OffsetFetchRequest",
    fields: [
      { name: "groupId", type: "string", versions: "0-7", entityType: "groupId", about: "The group id." },
      {
        name: "topics",
        type: "[]",
        struct: "OffsetFetchRequestTopic",
        versions: "0-7",
        nullableVersions: "2-7",
        about: "The topics to fetch, or null for all of them.",
        fields: [
          {
            name: "name",
            type: "string",
            versions: "0-7",
            entityType: "topicName",
            about: "The topic name.",
          },
          {
            name: "partitionIndexes",
            type: "[]int32",
            versions: "0-7",
            about: "The partitions to fetch offsets for.",
          },
        ],
      },
      {
        name: "groups",
        type: "[]",
        struct: "OffsetFetchRequestGroup",
        versions: "8+",
        about: "The groups to fetch offsets for.",
        fields: [
          { name: "groupId", type: "string", versions: "8+", entityType: "groupId", about: "The group id." },
          {
            name: "memberId",
            type: "string",
            versions: "9+",
            nullableVersions: "9+",
            default: null,
            about: "The member id, when using the consumer protocol.",
          },
          {
            name: "memberEpoch",
            type: "int32",
            versions: "9+",
            default: -1,
            about: "The member epoch, when using the consumer protocol.",
          },
          {
            name: "topics",
            type: "[]",
            struct: "OffsetFetchRequestTopics",
            versions: "8+",
            nullableVersions: "8+",
            about: "The topics to fetch, or null for all of them.",
            fields: [
              {
                name: "name",
                type: "string",
                versions: "8-9",
                entityType: "topicName",
                about: "The topic name.",
              },
              { name: "topicId", type: "uuid", versions: "10+", about: "The topic id." },
              {
                name: "partitionIndexes",
                type: "[]int32",
                versions: "8+",
                about: "The partitions to fetch offsets for.",
              },
            ],
          },
        ],
      },
      {
        name: "requireStable",
        type: "bool",
        versions: "7+",
        default: false,
        about: "Whether to fail partitions with pending transactional offsets.",
      },
    ],
  },
  response: {
    name: "OffsetFetchResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "3+", about: "Throttle duration in ms, or zero." },
      {
        name: "topics",
        type: "[]",
        struct: "OffsetFetchResponseTopic",
        versions: "0-7",
        about: "The results per topic.",
        fields: [
          {
            name: "name",
            type: "string",
            versions: "0-7",
            entityType: "topicName",
            about: "The topic name.",
          },
          {
            name: "partitions",
            type: "[]",
            struct: "OffsetFetchResponsePartition",
            versions: "0-7",
            about: "The results per partition.",
            fields: [
              { name: "partitionIndex", type: "int32", versions: "0-7", about: "The partition index." },
              { name: "committedOffset", type: "int64", versions: "0-7", about: "The committed offset." },
              {
                name: "committedLeaderEpoch",
                type: "int32",
                versions: "5-7",
                default: -1,
                about: "The leader epoch of the committed position.",
              },
              {
                name: "metadata",
                type: "string",
                versions: "0-7",
                nullableVersions: "0-7",
                about: "Client metadata stored with the offset.",
              },
              { name: "errorCode", type: "int16", versions: "0-7", about: "The error code, or 0." },
            ],
          },
        ],
      },
      {
        name: "errorCode",
        type: "int16",
        versions: "2-7",
        default: 0,
        about: "The top-level error code, or 0.",
      },
      {
        name: "groups",
        type: "[]",
        struct: "OffsetFetchResponseGroup",
        versions: "8+",
        about: "The results per group.",
        fields: [
          { name: "groupId", type: "string", versions: "8+", entityType: "groupId", about: "The group id." },
          {
            name: "topics",
            type: "[]",
            struct: "OffsetFetchResponseTopics",
            versions: "8+",
            about: "The results per topic.",
            fields: [
              {
                name: "name",
                type: "string",
                versions: "8-9",
                entityType: "topicName",
                about: "The topic name.",
              },
              { name: "topicId", type: "uuid", versions: "10+", about: "The topic id." },
              {
                name: "partitions",
                type: "[]",
                struct: "OffsetFetchResponsePartitions",
                versions: "8+",
                about: "The results per partition.",
                fields: [
                  { name: "partitionIndex", type: "int32", versions: "8+", about: "The partition index." },
                  { name: "committedOffset", type: "int64", versions: "8+", about: "The committed offset." },
                  {
                    name: "committedLeaderEpoch",
                    type: "int32",
                    versions: "8+",
                    default: -1,
                    about: "The leader epoch of the committed position.",
                  },
                  {
                    name: "metadata",
                    type: "string",
                    versions: "8+",
                    nullableVersions: "8+",
                    about: "Client metadata stored with the offset.",
                  },
                  {
                    name: "errorCode",
                    type: "int16",
                    versions: "8+",
                    about: "The partition error code, or 0.",
                  },
                ],
              },
            ],
          },
          {
            name: "errorCode",
            type: "int16",
            versions: "8+",
            default: 0,
            about: "The group error code, or 0.",
          },
        ],
      },
    ],
  },
});

export type OffsetFetchRequest = RequestValue<typeof OffsetFetch>;
export type OffsetFetchResponse = ResponseValue<typeof OffsetFetch>;
export type OffsetFetchRequestInput = RequestInput<typeof OffsetFetch>;
export type OffsetFetchResponseInput = ResponseInput<typeof OffsetFetch>;
