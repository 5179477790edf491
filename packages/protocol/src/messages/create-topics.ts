// CreateTopics (key 19). v1 adds validateOnly and per-topic error messages; v2 adds throttle time;
// v3 responds before throttling; v4 lets partitions and replication factor fall back to broker
// defaults (KIP-464); v5 is the first flexible version and returns the created topics' configs
// (KIP-525); v6 may return THROTTLING_QUOTA_EXCEEDED (KIP-599); v7 returns the new topic ids
// (KIP-516). Kafka 4 removed v0-v1 (KIP-896).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const CreateTopics = defineApi({
  name: "CreateTopics",
  apiKey: 19,
  validVersions: "0-7",
  deprecatedVersions: "0-1",
  flexibleVersions: "5+",
  request: {
    name: "CreateTopicsRequest",
    fields: [
      {
        name: "topics",
        type: "[]",
        struct: "CreatableTopic",
        versions: "0+",
        about: "The topics to create.",
        fields: [
          { name: "name", type: "string", versions: "0+", entityType: "topicName", about: "The topic name." },
          {
            name: "numPartitions",
            type: "int32",
            versions: "0+",
            about: "Partition count, or -1 for manual assignment or the broker default.",
          },
          {
            name: "replicationFactor",
            type: "int16",
            versions: "0+",
            about: "Replication factor, or -1 for manual assignment or the broker default.",
          },
          {
            name: "assignments",
            type: "[]",
            struct: "CreatableReplicaAssignment",
            versions: "0+",
            about: "Manual replica assignment; empty for automatic placement.",
            fields: [
              { name: "partitionIndex", type: "int32", versions: "0+", about: "The partition index." },
              {
                name: "brokerIds",
                type: "[]int32",
                versions: "0+",
                entityType: "brokerId",
                about: "The brokers to place the partition's replicas on.",
              },
            ],
          },
          {
            name: "configs",
            type: "[]",
            struct: "CreatableTopicConfig",
            versions: "0+",
            about: "Topic configuration overrides.",
            fields: [
              { name: "name", type: "string", versions: "0+", about: "The config name." },
              {
                name: "value",
                type: "string",
                versions: "0+",
                nullableVersions: "0+",
                about: "The config value.",
              },
            ],
          },
        ],
      },
      {
        name: "timeoutMs",
        type: "int32",
        versions: "0+",
        default: 60000,
        about: "How long to wait for creation to complete, in ms.",
      },
      {
        name: "validateOnly",
        type: "bool",
        versions: "1+",
        about: "If true, only validate the request without creating anything.",
      },
    ],
  },
  response: {
    name: "CreateTopicsResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "2+", about: "Throttle duration in ms, or zero." },
      {
        name: "topics",
        type: "[]",
        struct: "CreatableTopicResult",
        versions: "0+",
        about: "One result per topic.",
        fields: [
          { name: "name", type: "string", versions: "0+", entityType: "topicName", about: "The topic name." },
          { name: "topicId", type: "uuid", versions: "7+", about: "The new topic's id." },
          { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0." },
          {
            name: "errorMessage",
            type: "string",
            versions: "1+",
            nullableVersions: "0+",
            about: "The error message, or null.",
          },
          {
            name: "topicConfigErrorCode",
            type: "int16",
            versions: "5+",
            taggedVersions: "5+",
            tag: 0,
            about: "Why the configs are missing from the response, if they are.",
          },
          {
            name: "numPartitions",
            type: "int32",
            versions: "5+",
            default: -1,
            about: "The topic's partition count.",
          },
          {
            name: "replicationFactor",
            type: "int16",
            versions: "5+",
            default: -1,
            about: "The topic's replication factor.",
          },
          {
            name: "configs",
            type: "[]",
            struct: "CreatableTopicConfigs",
            versions: "5+",
            nullableVersions: "5+",
            about: "The topic's configuration.",
            fields: [
              { name: "name", type: "string", versions: "5+", about: "The config name." },
              {
                name: "value",
                type: "string",
                versions: "5+",
                nullableVersions: "5+",
                about: "The config value.",
              },
              { name: "readOnly", type: "bool", versions: "5+", about: "Whether the config is read-only." },
              {
                name: "configSource",
                type: "int8",
                versions: "5+",
                default: -1,
                about: "Where the config value comes from.",
              },
              {
                name: "isSensitive",
                type: "bool",
                versions: "5+",
                about: "Whether the config is sensitive.",
              },
            ],
          },
        ],
      },
    ],
  },
});

export type CreateTopicsRequest = RequestValue<typeof CreateTopics>;
export type CreateTopicsResponse = ResponseValue<typeof CreateTopics>;
export type CreateTopicsRequestInput = RequestInput<typeof CreateTopics>;
export type CreateTopicsResponseInput = ResponseInput<typeof CreateTopics>;
