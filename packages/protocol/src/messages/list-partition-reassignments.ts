// ListPartitionReassignments (key 46). Introduced by KIP-455 to list the replica reassignments in
// progress; only v0 exists, flexible from the start.

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const ListPartitionReassignments = defineApi({
  name: "ListPartitionReassignments",
  apiKey: 46,
  validVersions: "0",
  flexibleVersions: "0+",
  request: {
    name: "ListPartitionReassignmentsRequest",
    fields: [
      {
        name: "timeoutMs",
        type: "int32",
        versions: "0+",
        default: 60000,
        about: "How long to wait for the request to complete, in ms.",
      },
      {
        name: "topics",
        type: "[]",
        struct: "ListPartitionReassignmentsTopics",
        versions: "0+",
        nullableVersions: "0+",
        default: null,
        about: "The topics to list reassignments of, or null for all.",
        fields: [
          { name: "name", type: "string", versions: "0+", entityType: "topicName", about: "The topic name." },
          {
            name: "partitionIndexes",
            type: "[]int32",
            versions: "0+",
            about: "The partitions to list reassignments of.",
          },
        ],
      },
    ],
  },
  response: {
    name: "ListPartitionReassignmentsResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      { name: "errorCode", type: "int16", versions: "0+", about: "The top-level error code, or 0." },
      {
        name: "errorMessage",
        type: "string",
        versions: "0+",
        nullableVersions: "0+",
        about: "The top-level error message, or null.",
      },
      {
        name: "topics",
        type: "[]",
        struct: "OngoingTopicReassignment",
        versions: "0+",
        about: "The reassignments in progress, per topic.",
        fields: [
          { name: "name", type: "string", versions: "0+", entityType: "topicName", about: "The topic name." },
          {
            name: "partitions",
            type: "[]",
            struct: "OngoingPartitionReassignment",
            versions: "0+",
            about: "The reassignments in progress, per partition.",
            fields: [
              { name: "partitionIndex", type: "int32", versions: "0+", about: "The partition index." },
              {
                name: "replicas",
                type: "[]int32",
                versions: "0+",
                entityType: "brokerId",
                about: "The current replicas.",
              },
              {
                name: "addingReplicas",
                type: "[]int32",
                versions: "0+",
                entityType: "brokerId",
                about: "The replicas being added.",
              },
              {
                name: "removingReplicas",
                type: "[]int32",
                versions: "0+",
                entityType: "brokerId",
                about: "The replicas being removed.",
              },
            ],
          },
        ],
      },
    ],
  },
});

export type ListPartitionReassignmentsRequest = RequestValue<typeof ListPartitionReassignments>;
export type ListPartitionReassignmentsResponse = ResponseValue<typeof ListPartitionReassignments>;
export type ListPartitionReassignmentsRequestInput = RequestInput<typeof ListPartitionReassignments>;
export type ListPartitionReassignmentsResponseInput = ResponseInput<typeof ListPartitionReassignments>;
