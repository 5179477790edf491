// DescribeProducers (key 61), part of the tooling for finding hanging transactions (KIP-664):
// lists the active idempotent/transactional producers of partitions led by the broker. Only v0
// exists; it is flexible.

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const DescribeProducers = defineApi({
  name: "DescribeProducers",
  apiKey: 61,
  validVersions: "0",
  flexibleVersions: "0+",
  request: {
    name: "DescribeProducersRequest",
    fields: [
      {
        name: "topics",
        type: "[]",
        struct: "TopicRequest",
        versions: "0+",
        about: "The partitions to describe, by topic.",
        fields: [
          {
            name: "name",
            type: "string",
            versions: "0+",
            entityType: "topicName",
            about: "The topic name.",
          },
          {
            name: "partitionIndexes",
            type: "[]int32",
            versions: "0+",
            about: "The partition indexes to list producers of.",
          },
        ],
      },
    ],
  },
  response: {
    name: "DescribeProducersResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      {
        name: "topics",
        type: "[]",
        struct: "TopicResponse",
        versions: "0+",
        about: "The results, by topic.",
        fields: [
          {
            name: "name",
            type: "string",
            versions: "0+",
            entityType: "topicName",
            about: "The topic name.",
          },
          {
            name: "partitions",
            type: "[]",
            struct: "PartitionResponse",
            versions: "0+",
            about: "The results, by partition.",
            fields: [
              { name: "partitionIndex", type: "int32", versions: "0+", about: "The partition index." },
              {
                name: "errorCode",
                type: "int16",
                versions: "0+",
                about: "The partition's error code, or 0 on success.",
              },
              {
                name: "errorMessage",
                type: "string",
                versions: "0+",
                nullableVersions: "0+",
                default: null,
                about: "The partition's error message, or null.",
              },
              {
                name: "activeProducers",
                type: "[]",
                struct: "ProducerState",
                versions: "0+",
                about: "The producers currently active on the partition.",
                fields: [
                  {
                    name: "producerId",
                    type: "int64",
                    versions: "0+",
                    entityType: "producerId",
                    about: "The producer id.",
                  },
                  {
                    name: "producerEpoch",
                    type: "int32",
                    versions: "0+",
                    about: "The producer epoch.",
                  },
                  {
                    name: "lastSequence",
                    type: "int32",
                    versions: "0+",
                    default: -1,
                    about: "The last sequence number written, or -1.",
                  },
                  {
                    name: "lastTimestamp",
                    type: "int64",
                    versions: "0+",
                    default: -1n,
                    about: "The timestamp of the last write, or -1.",
                  },
                  {
                    name: "coordinatorEpoch",
                    type: "int32",
                    versions: "0+",
                    about: "The transaction coordinator epoch of the last transaction marker.",
                  },
                  {
                    name: "currentTxnStartOffset",
                    type: "int64",
                    versions: "0+",
                    default: -1n,
                    about: "The first offset of the ongoing transaction, or -1 if none.",
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
  },
});

export type DescribeProducersRequest = RequestValue<typeof DescribeProducers>;
export type DescribeProducersResponse = ResponseValue<typeof DescribeProducers>;
export type DescribeProducersRequestInput = RequestInput<typeof DescribeProducers>;
export type DescribeProducersResponseInput = ResponseInput<typeof DescribeProducers>;
