// AlterPartitionReassignments (key 45). Introduced by KIP-455 to start or cancel replica
// reassignments through the controller; flexible from v0. v1 (Kafka 4.1) adds
// AllowReplicationFactorChange to the request and echoes it in the response, so a caller can
// refuse reassignments that would change a partition's replication factor (KIP-860).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const AlterPartitionReassignments = defineApi({
  name: "AlterPartitionReassignments",
  apiKey: 45,
  validVersions: "0-1",
  flexibleVersions: "0+",
  request: {
    name: "AlterPartitionReassignmentsRequest",
    fields: [
      {
        name: "timeoutMs",
        type: "int32",
        versions: "0+",
        default: 60000,
        about: "How long to wait for the request to complete, in ms.",
      },
      {
        name: "allowReplicationFactorChange",
        type: "bool",
        versions: "1+",
        default: true,
        about: "Whether a reassignment may change a partition's replication factor.",
      },
      {
        name: "topics",
        type: "[]",
        struct: "ReassignableTopic",
        versions: "0+",
        about: "The topics whose partitions to reassign.",
        fields: [
          { name: "name", type: "string", versions: "0+", entityType: "topicName", about: "The topic name." },
          {
            name: "partitions",
            type: "[]",
            struct: "ReassignablePartition",
            versions: "0+",
            about: "The partitions to reassign.",
            fields: [
              { name: "partitionIndex", type: "int32", versions: "0+", about: "The partition index." },
              {
                name: "replicas",
                type: "[]int32",
                versions: "0+",
                nullableVersions: "0+",
                default: null,
                entityType: "brokerId",
                about: "The target replicas, or null to cancel the partition's pending reassignment.",
              },
            ],
          },
        ],
      },
    ],
  },
  response: {
    name: "AlterPartitionReassignmentsResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      {
        name: "allowReplicationFactorChange",
        type: "bool",
        versions: "1+",
        default: true,
        about: "Whether replication factor changes were allowed for the request.",
      },
      { name: "errorCode", type: "int16", versions: "0+", about: "The top-level error code, or 0." },
      {
        name: "errorMessage",
        type: "string",
        versions: "0+",
        nullableVersions: "0+",
        about: "The top-level error message, or null.",
      },
      {
        name: "responses",
        type: "[]",
        struct: "ReassignableTopicResponse",
        versions: "0+",
        about: "The results per topic.",
        fields: [
          { name: "name", type: "string", versions: "0+", entityType: "topicName", about: "The topic name." },
          {
            name: "partitions",
            type: "[]",
            struct: "ReassignablePartitionResponse",
            versions: "0+",
            about: "The results per partition.",
            fields: [
              { name: "partitionIndex", type: "int32", versions: "0+", about: "The partition index." },
              {
                name: "errorCode",
                type: "int16",
                versions: "0+",
                about: "The partition's error code, or 0.",
              },
              {
                name: "errorMessage",
                type: "string",
                versions: "0+",
                nullableVersions: "0+",
                about: "The partition's error message, or null.",
              },
            ],
          },
        ],
      },
    ],
  },
});

export type AlterPartitionReassignmentsRequest = RequestValue<typeof AlterPartitionReassignments>;
export type AlterPartitionReassignmentsResponse = ResponseValue<typeof AlterPartitionReassignments>;
export type AlterPartitionReassignmentsRequestInput = RequestInput<typeof AlterPartitionReassignments>;
export type AlterPartitionReassignmentsResponseInput = ResponseInput<typeof AlterPartitionReassignments>;
