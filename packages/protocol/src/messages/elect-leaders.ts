// ElectLeaders (key 43). Introduced by KIP-183 (preferred leader election through the admin API).
// v1 adds the request's ElectionType (preferred or unclean, KIP-460) and a top-level error code
// in the response; v2 is the first flexible version (KIP-482).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const ElectLeaders = defineApi({
  name: "ElectLeaders",
  apiKey: 43,
  validVersions: "0-2",
  flexibleVersions: "2+",
  request: {
    name: "ElectLeadersRequest",
    fields: [
      {
        name: "electionType",
        type: "int8",
        versions: "1+",
        about: "0 elects the preferred replica, 1 the first live replica when no ISR member is alive.",
      },
      {
        name: "topicPartitions",
        type: "[]",
        struct: "TopicPartitions",
        versions: "0+",
        nullableVersions: "0+",
        about: "The partitions to hold elections for, or null for all.",
        fields: [
          {
            name: "topic",
            type: "string",
            versions: "0+",
            entityType: "topicName",
            about: "The topic name.",
          },
          { name: "partitions", type: "[]int32", versions: "0+", about: "The partitions of the topic." },
        ],
      },
      {
        name: "timeoutMs",
        type: "int32",
        versions: "0+",
        default: 60000,
        about: "How long to wait for the elections, in ms.",
      },
    ],
  },
  response: {
    name: "ElectLeadersResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      { name: "errorCode", type: "int16", versions: "1+", about: "The top-level error code." },
      {
        name: "replicaElectionResults",
        type: "[]",
        struct: "ReplicaElectionResult",
        versions: "0+",
        about: "The results per topic; empty if unauthorized for an all-partitions request.",
        fields: [
          {
            name: "topic",
            type: "string",
            versions: "0+",
            entityType: "topicName",
            about: "The topic name.",
          },
          {
            name: "partitionResult",
            type: "[]",
            struct: "PartitionResult",
            versions: "0+",
            about: "The results per partition.",
            fields: [
              { name: "partitionId", type: "int32", versions: "0+", about: "The partition index." },
              { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0." },
              {
                name: "errorMessage",
                type: "string",
                versions: "0+",
                nullableVersions: "0+",
                about: "The error message, or null.",
              },
            ],
          },
        ],
      },
    ],
  },
});

export type ElectLeadersRequest = RequestValue<typeof ElectLeaders>;
export type ElectLeadersResponse = ResponseValue<typeof ElectLeaders>;
export type ElectLeadersRequestInput = RequestInput<typeof ElectLeaders>;
export type ElectLeadersResponseInput = ResponseInput<typeof ElectLeaders>;
