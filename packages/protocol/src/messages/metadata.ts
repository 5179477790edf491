// Metadata (key 3). v1 makes a null topic list mean "all topics" (an empty list meant that in v0)
// and adds broker racks, the controller id and the internal flag (KIP-4); v2 adds the cluster id;
// v3 adds throttle time; v4 adds AllowAutoTopicCreation; v5 adds offline replicas; v6 responds
// before throttling; v7 adds partition leader epochs; v8 can return authorized operations
// (KIP-430); v9 is the first flexible version; v10 adds topic ids (KIP-516); v11 drops cluster
// authorized operations, now served by DescribeCluster (KIP-700); v12 allows looking topics up by
// id, so response topic names become nullable; v13 adds a top-level error code used to ask
// clients to rebootstrap (KIP-1102). Kafka 4 removed v0-v3 (KIP-896).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const Metadata = defineApi({
  name: "Metadata",
  apiKey: 3,
  validVersions: "0-13",
  deprecatedVersions: "0-3",
  flexibleVersions: "9+",
  request: {
    name: "MetadataRequest",
    fields: [
      {
        name: "topics",
        type: "[]",
        struct: "MetadataRequestTopic",
        versions: "0+",
        nullableVersions: "1+",
        about: "The topics to describe; null for all topics (v1+).",
        fields: [
          { name: "topicId", type: "uuid", versions: "10+", about: "The topic id." },
          {
            name: "name",
            type: "string",
            versions: "0+",
            nullableVersions: "10+",
            entityType: "topicName",
            about: "The topic name.",
          },
        ],
      },
      {
        name: "allowAutoTopicCreation",
        type: "bool",
        versions: "4+",
        default: true,
        about: "Whether the broker may auto-create missing topics.",
      },
      {
        name: "includeClusterAuthorizedOperations",
        type: "bool",
        versions: "8-10",
        about: "Whether to return the cluster's authorized operations.",
      },
      {
        name: "includeTopicAuthorizedOperations",
        type: "bool",
        versions: "8+",
        about: "Whether to return each topic's authorized operations.",
      },
    ],
  },
  response: {
    name: "MetadataResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "3+", about: "Throttle duration in ms, or zero." },
      {
        name: "brokers",
        type: "[]",
        struct: "MetadataResponseBroker",
        versions: "0+",
        about: "The brokers in the cluster.",
        fields: [
          { name: "nodeId", type: "int32", versions: "0+", entityType: "brokerId", about: "The broker id." },
          { name: "host", type: "string", versions: "0+", about: "The broker's host name." },
          { name: "port", type: "int32", versions: "0+", about: "The broker's port." },
          {
            name: "rack",
            type: "string",
            versions: "1+",
            nullableVersions: "1+",
            default: null,
            about: "The broker's rack, or null.",
          },
        ],
      },
      {
        name: "clusterId",
        type: "string",
        versions: "2+",
        nullableVersions: "2+",
        default: null,
        about: "The cluster id.",
      },
      {
        name: "controllerId",
        type: "int32",
        versions: "1+",
        default: -1,
        entityType: "brokerId",
        about: "The controller's broker id, or -1.",
      },
      {
        name: "topics",
        type: "[]",
        struct: "MetadataResponseTopic",
        versions: "0+",
        about: "One entry per topic.",
        fields: [
          { name: "errorCode", type: "int16", versions: "0+", about: "The topic error code, or 0." },
          {
            name: "name",
            type: "string",
            versions: "0+",
            nullableVersions: "12+",
            entityType: "topicName",
            about: "The topic name; null for an unknown topic asked for by id.",
          },
          {
            name: "topicId",
            type: "uuid",
            versions: "10+",
            about: "The topic id; zero for an unknown topic asked for by name.",
          },
          { name: "isInternal", type: "bool", versions: "1+", about: "Whether the topic is internal." },
          {
            name: "partitions",
            type: "[]",
            struct: "MetadataResponsePartition",
            versions: "0+",
            about: "The topic's partitions.",
            fields: [
              { name: "errorCode", type: "int16", versions: "0+", about: "The partition error code, or 0." },
              { name: "partitionIndex", type: "int32", versions: "0+", about: "The partition index." },
              {
                name: "leaderId",
                type: "int32",
                versions: "0+",
                entityType: "brokerId",
                about: "The leader's id.",
              },
              {
                name: "leaderEpoch",
                type: "int32",
                versions: "7+",
                default: -1,
                about: "The partition's leader epoch.",
              },
              {
                name: "replicaNodes",
                type: "[]int32",
                versions: "0+",
                entityType: "brokerId",
                about: "All replicas of the partition.",
              },
              {
                name: "isrNodes",
                type: "[]int32",
                versions: "0+",
                entityType: "brokerId",
                about: "The in-sync replicas.",
              },
              {
                name: "offlineReplicas",
                type: "[]int32",
                versions: "5+",
                entityType: "brokerId",
                about: "The offline replicas.",
              },
            ],
          },
          {
            name: "topicAuthorizedOperations",
            type: "int32",
            versions: "8+",
            default: -2147483648,
            about: "Bitfield of operations allowed on the topic.",
          },
        ],
      },
      {
        name: "clusterAuthorizedOperations",
        type: "int32",
        versions: "8-10",
        default: -2147483648,
        about: "Bitfield of operations allowed on the cluster.",
      },
      { name: "errorCode", type: "int16", versions: "13+", about: "The top-level error code, or 0." },
    ],
  },
});

export type MetadataRequest = RequestValue<typeof Metadata>;
export type MetadataResponse = ResponseValue<typeof Metadata>;
export type MetadataRequestInput = RequestInput<typeof Metadata>;
export type MetadataResponseInput = ResponseInput<typeof Metadata>;
