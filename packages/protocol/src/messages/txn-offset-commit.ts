// TxnOffsetCommit (key 28). v1 changes nothing on the wire, the broker answers before applying a
// quota throttle (KIP-219); v2 adds the committed leader epoch (KIP-320); v3 adds the group
// generation, member id and group instance id so the group coordinator can fence zombie members
// (KIP-447) and is the first flexible version (KIP-482); v4 may return TRANSACTION_ABORTABLE
// (KIP-890); v5 has the same schema and tells the coordinator the producer uses transactions v2,
// so the offsets partition joins the transaction without AddOffsetsToTxn (KIP-890 part 2).

import { defineApi } from "../schema/declaration.ts";
import type { RequestInput, RequestValue, ResponseInput, ResponseValue } from "../schema/value-types.ts";

export const TxnOffsetCommit = defineApi({
  name: "TxnOffsetCommit",
  apiKey: 28,
  validVersions: "0-5",
  flexibleVersions: "3+",
  request: {
    name: "TxnOffsetCommitRequest",
    fields: [
      {
        name: "transactionalId",
        type: "string",
        versions: "0+",
        entityType: "transactionalId",
        about: "The transactional id of the transaction.",
      },
      {
        name: "groupId",
        type: "string",
        versions: "0+",
        entityType: "groupId",
        about: "The group the offsets are committed for.",
      },
      {
        name: "producerId",
        type: "int64",
        versions: "0+",
        entityType: "producerId",
        about: "The producer id the transactional id currently uses.",
      },
      {
        name: "producerEpoch",
        type: "int16",
        versions: "0+",
        about: "The epoch that goes with the producer id.",
      },
      {
        name: "generationId",
        type: "int32",
        versions: "3+",
        default: -1,
        about: "The consumer's group generation.",
      },
      {
        name: "memberId",
        type: "string",
        versions: "3+",
        default: "",
        about: "The member id the group coordinator assigned.",
      },
      {
        name: "groupInstanceId",
        type: "string",
        versions: "3+",
        nullableVersions: "3+",
        default: null,
        about: "The static member's instance id, or null for a dynamic member.",
      },
      {
        name: "topics",
        type: "[]",
        struct: "TxnOffsetCommitRequestTopic",
        versions: "0+",
        about: "The offsets to commit, by topic.",
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
            struct: "TxnOffsetCommitRequestPartition",
            versions: "0+",
            about: "The offsets to commit, by partition.",
            fields: [
              { name: "partitionIndex", type: "int32", versions: "0+", about: "The partition index." },
              {
                name: "committedOffset",
                type: "int64",
                versions: "0+",
                about: "The offset to commit.",
              },
              {
                name: "committedLeaderEpoch",
                type: "int32",
                versions: "2+",
                default: -1,
                about: "The leader epoch of the last consumed record, or -1.",
              },
              {
                name: "committedMetadata",
                type: "string",
                versions: "0+",
                nullableVersions: "0+",
                about: "Client metadata stored with the offset.",
              },
            ],
          },
        ],
      },
    ],
  },
  response: {
    name: "TxnOffsetCommitResponse",
    fields: [
      { name: "throttleTimeMs", type: "int32", versions: "0+", about: "Throttle duration in ms, or zero." },
      {
        name: "topics",
        type: "[]",
        struct: "TxnOffsetCommitResponseTopic",
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
            struct: "TxnOffsetCommitResponsePartition",
            versions: "0+",
            about: "The results, by partition.",
            fields: [
              { name: "partitionIndex", type: "int32", versions: "0+", about: "The partition index." },
              {
                name: "errorCode",
                type: "int16",
                versions: "0+",
                about: "The error code, or 0 on success.",
              },
            ],
          },
        ],
      },
    ],
  },
});

export type TxnOffsetCommitRequest = RequestValue<typeof TxnOffsetCommit>;
export type TxnOffsetCommitResponse = ResponseValue<typeof TxnOffsetCommit>;
export type TxnOffsetCommitRequestInput = RequestInput<typeof TxnOffsetCommit>;
export type TxnOffsetCommitResponseInput = ResponseInput<typeof TxnOffsetCommit>;
