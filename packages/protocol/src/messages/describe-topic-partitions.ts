// DescribeTopicPartitions (key 75), a paginated, cursor-driven topic description that also reports
// eligible leader replicas (KIP-966). Only v0 exists, flexible from the start.

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const DescribeTopicPartitions = defineApi({
  name: "DescribeTopicPartitions",
  apiKey: 75,
  validVersions: "0",
  flexibleVersions: "0+",
  request: {
    name: "DescribeTopicPartitionsRequest",
    fields: [
      {
        name: "topics",
        type: "[]",
        struct: "TopicRequest",
        versions: "0+",
        about: "The topics to describe.",
        fields: [
          { name: "name", type: "string", versions: "0+", entityType: "topicName", about: "The topic name." },
        ],
      },
      {
        name: "responsePartitionLimit",
        type: "int32",
        versions: "0+",
        default: 2000,
        about: "Most partitions to return in one response.",
      },
      {
        name: "cursor",
        type: "{}",
        struct: "Cursor",
        versions: "0+",
        nullableVersions: "0+",
        default: null,
        about: "Where to start: first topic and partition, or null.",
        fields: [
          {
            name: "topicName",
            type: "string",
            versions: "0+",
            entityType: "topicName",
            about: "The first topic to describe.",
          },
          {
            name: "partitionIndex",
            type: "int32",
            versions: "0+",
            about: "The first partition to describe.",
          },
        ],
      },
    ],
  },
  response: {
    name: "DescribeTopicPartitionsResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      {
        name: "topics",
        type: "[]",
        struct: "DescribeTopicPartitionsResponseTopic",
        versions: "0+",
        about: "One entry per topic.",
        fields: [
          { name: "errorCode", type: "int16", versions: "0+", about: "The topic error code, or 0." },
          {
            name: "name",
            type: "string",
            versions: "0+",
            nullableVersions: "0+",
            entityType: "topicName",
            about: "The topic name.",
          },
          { name: "topicId", type: "uuid", versions: "0+", about: "The topic id." },
          { name: "isInternal", type: "bool", versions: "0+", about: "Whether the topic is internal." },
          {
            name: "partitions",
            type: "[]",
            struct: "DescribeTopicPartitionsResponsePartition",
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
                versions: "0+",
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
                name: "eligibleLeaderReplicas",
                type: "[]int32",
                versions: "0+",
                nullableVersions: "0+",
                default: null,
                entityType: "brokerId",
                about: "The eligible leader replicas, or null.",
              },
              {
                name: "lastKnownElr",
                type: "[]int32",
                versions: "0+",
                nullableVersions: "0+",
                default: null,
                entityType: "brokerId",
                about: "The last known eligible leader replicas, or null.",
              },
              {
                name: "offlineReplicas",
                type: "[]int32",
                versions: "0+",
                entityType: "brokerId",
                about: "The offline replicas.",
              },
            ],
          },
          {
            name: "topicAuthorizedOperations",
            type: "int32",
            versions: "0+",
            default: -2147483648,
            about: "Bitfield of operations allowed on the topic.",
          },
        ],
      },
      {
        name: "nextCursor",
        type: "{}",
        struct: "Cursor",
        versions: "0+",
        nullableVersions: "0+",
        default: null,
        about: "Where the next page starts, or null when done.",
        fields: [
          {
            name: "topicName",
            type: "string",
            versions: "0+",
            entityType: "topicName",
            about: "The next topic to describe.",
          },
          { name: "partitionIndex", type: "int32", versions: "0+", about: "The next partition to describe." },
        ],
      },
    ],
  },
});

export type DescribeTopicPartitionsRequest = RequestValue<typeof DescribeTopicPartitions>;
export type DescribeTopicPartitionsResponse = ResponseValue<typeof DescribeTopicPartitions>;
export type DescribeTopicPartitionsRequestInput = RequestInput<typeof DescribeTopicPartitions>;
export type DescribeTopicPartitionsResponseInput = ResponseInput<typeof DescribeTopicPartitions>;
