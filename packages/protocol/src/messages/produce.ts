// Produce (key 0). v1-v2 change nothing in the request (v1 adds throttle time to the response, v2
// the log append time); v3 adds the transactional id and the v2 record batch format; v4 may return
// KAFKA_STORAGE_ERROR; v5 adds the log start offset to the response; v6 is unchanged; v7 allows
// zstd compression (KIP-110); v8 adds per-record errors and an error message (KIP-467); v9 is the
// first flexible version; v10 adds the current leader and node endpoints as tagged fields
// (KIP-951); v11 may return TRANSACTION_ABORTABLE (KIP-890); v12 is unchanged on the wire but may
// implicitly add the partition to the transaction (KIP-890 part 2); v13 addresses topics by id
// instead of name (KIP-516). Kafka 4 removed v0-v2 and deprecates up to v6 (KIP-896).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const Produce = defineApi({
  name: "Produce",
  apiKey: 0,
  validVersions: "0-13",
  deprecatedVersions: "0-6",
  flexibleVersions: "9+",
  request: {
    name: "ProduceRequest",
    fields: [
      {
        name: "transactionalId",
        type: "string",
        versions: "3+",
        nullableVersions: "3+",
        default: null,
        entityType: "transactionalId",
        about: "The transactional id, or null when not transactional.",
      },
      {
        name: "acks",
        type: "int16",
        versions: "0+",
        about: "Acknowledgements required: 0 none, 1 leader only, -1 full ISR.",
      },
      { name: "timeoutMs", type: "int32", versions: "0+", about: "How long to wait for the acks, in ms." },
      {
        name: "topicData",
        type: "[]",
        struct: "TopicProduceData",
        versions: "0+",
        about: "The topics to produce to.",
        fields: [
          {
            name: "name",
            type: "string",
            versions: "0-12",
            entityType: "topicName",
            about: "The topic name.",
          },
          { name: "topicId", type: "uuid", versions: "13+", about: "The topic id." },
          {
            name: "partitionData",
            type: "[]",
            struct: "PartitionProduceData",
            versions: "0+",
            about: "The partitions to produce to.",
            fields: [
              { name: "index", type: "int32", versions: "0+", about: "The partition index." },
              {
                name: "records",
                type: "records",
                versions: "0+",
                nullableVersions: "0+",
                about: "The record batches to append.",
              },
            ],
          },
        ],
      },
    ],
  },
  response: {
    name: "ProduceResponse",
    fields: [
      {
        name: "responses",
        type: "[]",
        struct: "TopicProduceResponse",
        versions: "0+",
        about: "One result per topic.",
        fields: [
          {
            name: "name",
            type: "string",
            versions: "0-12",
            entityType: "topicName",
            about: "The topic name.",
          },
          { name: "topicId", type: "uuid", versions: "13+", about: "The topic id." },
          {
            name: "partitionResponses",
            type: "[]",
            struct: "PartitionProduceResponse",
            versions: "0+",
            about: "One result per partition.",
            fields: [
              { name: "index", type: "int32", versions: "0+", about: "The partition index." },
              { name: "errorCode", type: "int16", versions: "0+", about: "The error code, or 0." },
              {
                name: "baseOffset",
                type: "int64",
                versions: "0+",
                about: "Offset of the first appended record.",
              },
              {
                name: "logAppendTimeMs",
                type: "int64",
                versions: "2+",
                default: -1n,
                about: "Broker append time when the topic uses LogAppendTime, otherwise -1.",
              },
              {
                name: "logStartOffset",
                type: "int64",
                versions: "5+",
                default: -1n,
                about: "The partition's log start offset.",
              },
              {
                name: "recordErrors",
                type: "[]",
                struct: "BatchIndexAndErrorMessage",
                versions: "8+",
                about: "Records that caused the whole batch to be rejected.",
                fields: [
                  {
                    name: "batchIndex",
                    type: "int32",
                    versions: "8+",
                    about: "Index of the offending record in the batch.",
                  },
                  {
                    name: "batchIndexErrorMessage",
                    type: "string",
                    versions: "8+",
                    nullableVersions: "8+",
                    default: null,
                    about: "Why that record was rejected, or null.",
                  },
                ],
              },
              {
                name: "errorMessage",
                type: "string",
                versions: "8+",
                nullableVersions: "8+",
                default: null,
                about: "Summary of why the batch was rejected, or null.",
              },
              {
                name: "currentLeader",
                type: "{}",
                struct: "LeaderIdAndEpoch",
                versions: "10+",
                taggedVersions: "10+",
                tag: 0,
                about: "The current leader, sent with NOT_LEADER_OR_FOLLOWER.",
                fields: [
                  {
                    name: "leaderId",
                    type: "int32",
                    versions: "10+",
                    default: -1,
                    entityType: "brokerId",
                    about: "The leader's id, or -1 if unknown.",
                  },
                  {
                    name: "leaderEpoch",
                    type: "int32",
                    versions: "10+",
                    default: -1,
                    about: "The leader epoch, or -1 if unknown.",
                  },
                ],
              },
            ],
          },
        ],
      },
      { name: "throttleTimeMs", type: "int32", versions: "1+", about: "Throttle duration in ms, or zero." },
      {
        name: "nodeEndpoints",
        type: "[]",
        struct: "NodeEndpoint",
        versions: "10+",
        taggedVersions: "10+",
        tag: 0,
        about: "Endpoints of the leaders named in currentLeader.",
        fields: [
          { name: "nodeId", type: "int32", versions: "10+", entityType: "brokerId", about: "The node id." },
          { name: "host", type: "string", versions: "10+", about: "The node's host name." },
          { name: "port", type: "int32", versions: "10+", about: "The node's port." },
          {
            name: "rack",
            type: "string",
            versions: "10+",
            nullableVersions: "10+",
            default: null,
            about: "The node's rack, or null.",
          },
        ],
      },
    ],
  },
});

export type ProduceRequest = RequestValue<typeof Produce>;
export type ProduceResponse = ResponseValue<typeof Produce>;
export type ProduceRequestInput = RequestInput<typeof Produce>;
export type ProduceResponseInput = ResponseInput<typeof Produce>;
