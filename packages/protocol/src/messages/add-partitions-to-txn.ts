// AddPartitionsToTxn (key 24). v1 changes nothing on the wire, the broker answers before applying
// a quota throttle (KIP-219); v2 may return PRODUCER_FENCED (KIP-588); v3 is the first flexible
// version (KIP-482). v4 (KIP-890) replaces the single-transaction body with a batch of
// transactions, each with a VerifyOnly flag to check partitions rather than add them, and adds a
// top-level error code to the response; v4+ is meant for broker-to-coordinator calls only, clients
// keep using v3 and below. v5 may return TRANSACTION_ABORTABLE (KIP-890).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const AddPartitionsToTxn = defineApi({
  name: "AddPartitionsToTxn",
  apiKey: 24,
  validVersions: "0-5",
  flexibleVersions: "3+",
  request: {
    name: "AddPartitionsToTxnRequest",
    fields: [
      {
        name: "transactions",
        type: "[]",
        struct: "AddPartitionsToTxnTransaction",
        versions: "4+",
        about: "The transactions to add partitions to (or to verify).",
        fields: [
          {
            name: "transactionalId",
            type: "string",
            versions: "4+",
            entityType: "transactionalId",
            about: "The transactional id of the transaction.",
          },
          {
            name: "producerId",
            type: "int64",
            versions: "4+",
            entityType: "producerId",
            about: "The producer id the transactional id currently uses.",
          },
          {
            name: "producerEpoch",
            type: "int16",
            versions: "4+",
            about: "The epoch that goes with the producer id.",
          },
          {
            name: "verifyOnly",
            type: "bool",
            versions: "4+",
            default: false,
            about: "Only check whether the partitions are already in the transaction, do not add them.",
          },
          {
            name: "topics",
            type: "[]",
            struct: "AddPartitionsToTxnTopic",
            versions: "4+",
            about: "The partitions to add, by topic.",
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
                type: "[]int32",
                versions: "0+",
                about: "The partition indexes to add.",
              },
            ],
          },
        ],
      },
      {
        name: "v3AndBelowTransactionalId",
        type: "string",
        versions: "0-3",
        entityType: "transactionalId",
        about: "The transactional id of the transaction.",
      },
      {
        name: "v3AndBelowProducerId",
        type: "int64",
        versions: "0-3",
        entityType: "producerId",
        about: "The producer id the transactional id currently uses.",
      },
      {
        name: "v3AndBelowProducerEpoch",
        type: "int16",
        versions: "0-3",
        about: "The epoch that goes with the producer id.",
      },
      {
        name: "v3AndBelowTopics",
        type: "[]",
        struct: "AddPartitionsToTxnTopic",
        versions: "0-3",
        about: "The partitions to add, by topic.",
        fields: [
          { name: "name", type: "string", versions: "0+", entityType: "topicName", about: "The topic name." },
          { name: "partitions", type: "[]int32", versions: "0+", about: "The partition indexes to add." },
        ],
      },
    ],
  },
  response: {
    name: "AddPartitionsToTxnResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      { name: "errorCode", type: "int16", versions: "4+", about: "The top-level error code." },
      {
        name: "resultsByTransaction",
        type: "[]",
        struct: "AddPartitionsToTxnResult",
        versions: "4+",
        about: "The results, by transactional id.",
        fields: [
          {
            name: "transactionalId",
            type: "string",
            versions: "4+",
            entityType: "transactionalId",
            about: "The transactional id of the transaction.",
          },
          {
            name: "topicResults",
            type: "[]",
            struct: "AddPartitionsToTxnTopicResult",
            versions: "4+",
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
                name: "resultsByPartition",
                type: "[]",
                struct: "AddPartitionsToTxnPartitionResult",
                versions: "0+",
                about: "The results, by partition.",
                fields: [
                  { name: "partitionIndex", type: "int32", versions: "0+", about: "The partition index." },
                  {
                    name: "partitionErrorCode",
                    type: "int16",
                    versions: "0+",
                    about: "The partition's error code, or 0 on success.",
                  },
                ],
              },
            ],
          },
        ],
      },
      {
        name: "resultsByTopicV3AndBelow",
        type: "[]",
        struct: "AddPartitionsToTxnTopicResult",
        versions: "0-3",
        about: "The results, by topic.",
        fields: [
          { name: "name", type: "string", versions: "0+", entityType: "topicName", about: "The topic name." },
          {
            name: "resultsByPartition",
            type: "[]",
            struct: "AddPartitionsToTxnPartitionResult",
            versions: "0+",
            about: "The results, by partition.",
            fields: [
              { name: "partitionIndex", type: "int32", versions: "0+", about: "The partition index." },
              {
                name: "partitionErrorCode",
                type: "int16",
                versions: "0+",
                about: "The partition's error code, or 0 on success.",
              },
            ],
          },
        ],
      },
    ],
  },
});

export type AddPartitionsToTxnRequest = RequestValue<typeof AddPartitionsToTxn>;
export type AddPartitionsToTxnResponse = ResponseValue<typeof AddPartitionsToTxn>;
export type AddPartitionsToTxnRequestInput = RequestInput<typeof AddPartitionsToTxn>;
export type AddPartitionsToTxnResponseInput = ResponseInput<typeof AddPartitionsToTxn>;
